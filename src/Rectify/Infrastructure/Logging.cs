using Serilog;
using Serilog.Configuration;
using Serilog.Events;

namespace Rectify.Infrastructure;

/// <summary>The service's log pipeline: levels, configuration, what is dropped or rewritten, then the sinks.</summary>
public static class Logging
{
    public const string ConsoleTemplate = "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    public static LoggerConfiguration Configure(LoggerConfiguration logging, IConfiguration configuration, Action<LoggerSinkConfiguration> sinks)
    {
        // The same levels as the root, to ask whether a rewritten retry (debug) is wanted for its source.
        var levels = Levels(new LoggerConfiguration(), configuration).CreateLogger();
        var output = new LoggerConfiguration().MinimumLevel.Verbose();
        sinks(output.WriteTo);
        return Levels(logging, configuration)
            // Two writers racing on one issue: the store refuses the second append and Marten logs the refusal as an error
            // with a stack trace, although the loser is answered 409 (or its message retried) and nothing is lost.
            .Filter.ByExcluding(e => e.Exception is Npgsql.PostgresException { SqlState: "23505", ConstraintName: "pk_mt_events_stream_and_version" })
            .Enrich.FromLogContext()
            .WriteTo.Sink(new RetriedConflicts(output.CreateLogger(),
                source => (source is null ? levels : levels.ForContext(Serilog.Core.Constants.SourceContextPropertyName, source)).IsEnabled(LogEventLevel.Debug)));
    }

    // One line per request comes from the request logging; ASP.NET Core's own per-request lines are noise.
    // Configuration (Serilog__MinimumLevel__Override__...) may change either.
    private static LoggerConfiguration Levels(LoggerConfiguration logging, IConfiguration configuration) => logging
        .MinimumLevel.Information()
        .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
        .ReadFrom.Configuration(configuration);
}
