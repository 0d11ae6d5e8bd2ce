using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Rectify.Infrastructure;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace Rectify.Tests.Foundation;

/// <summary>
/// The service's log pipeline (Logging.Configure, as Program.cs uses it) fed exactly what Wolverine logs when a handler
/// throws: a supervision check that lost a concurrency race, and is retried, is a debug line, not an error.
/// </summary>
public sealed class RetriedConflictLogTests
{
    private sealed class Captured : ILogEventSink
    {
        public List<LogEvent> Events { get; } = [];
        public void Emit(LogEvent logEvent) => Events.Add(logEvent);
    }

    // Wolverine's Executor: LoggerMessage.Define(LogLevel.Error, MessageFailedEventId 105, ...), logged by a logger
    // named for the message type, with the handler's exception; 108 when the retries are spent.
    private static readonly Action<Microsoft.Extensions.Logging.ILogger, string, Guid, string, Exception?> MessageFailed =
        LoggerMessage.Define<string, Guid, string>(LogLevel.Error, 105, "Failed to process message {Name}#{envelope} from {ReplyUri}");
    private static readonly Action<Microsoft.Extensions.Logging.ILogger, string, Exception?> MovedToErrorQueue =
        LoggerMessage.Define<string>(LogLevel.Error, 108, "Envelope {envelope} was moved to the error queue");

    private static (Microsoft.Extensions.Logging.ILogger Logger, Captured Sink, IDisposable Owner) Pipeline(string? minimumLevel = null)
    {
        var settings = new Dictionary<string, string?>();
        if (minimumLevel is not null) settings["Serilog:MinimumLevel:Override:Rectify.Supervision"] = minimumLevel;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var sink = new Captured();
        var serilog = Logging.Configure(new LoggerConfiguration(), configuration, s => s.Sink(sink)).CreateLogger();
        var factory = new SerilogLoggerFactory(serilog, dispose: true);
        return (factory.CreateLogger("Rectify.Supervision.CheckClock"), sink, factory);
    }

    /// <summary>What Marten throws when another writer appended to the stream first.</summary>
    private static Exception LostRace() =>
        new JasperFx.Events.EventStreamUnexpectedMaxEventIdException(Guid.NewGuid(), typeof(Rectify.Issues.Issue), 3, 4);

    [Fact]
    public void A_check_that_lost_a_concurrency_race_and_is_retried_is_no_error()
    {
        var (logger, sink, owner) = Pipeline();
        using (owner) MessageFailed(logger, "CheckClock", Guid.NewGuid(), "local://durable/", LostRace());

        Assert.Empty(sink.Events); // at the default level a retry is not shown at all
    }

    [Fact]
    public void With_debug_on_the_retry_is_one_debug_line_without_a_stack_trace()
    {
        var (logger, sink, owner) = Pipeline("Debug");
        using (owner) MessageFailed(logger, "CheckClock", Guid.NewGuid(), "local://durable/", LostRace());

        var line = Assert.Single(sink.Events);
        Assert.Equal(LogEventLevel.Debug, line.Level);
        Assert.Null(line.Exception);
        Assert.StartsWith("Retrying \"CheckClock\"#", line.RenderMessage());
        Assert.Contains("lost a race", line.RenderMessage());
    }

    [Fact]
    public void A_delivery_that_lost_the_race_to_record_its_inbox_entry_is_a_debug_line_too()
    {
        var (logger, sink, owner) = Pipeline("Debug");
        using (owner) MessageFailed(logger, "DeliverToDepartment", Guid.NewGuid(), "local://durable/",
            new JasperFx.DocumentAlreadyExistsException(null, typeof(Rectify.Routing.InboxEntry), Guid.NewGuid()));

        var line = Assert.Single(sink.Events);
        Assert.Equal(LogEventLevel.Debug, line.Level);
        Assert.StartsWith("Retrying \"DeliverToDepartment\"#", line.RenderMessage());
    }

    [Fact]
    public void Any_other_failure_and_spent_retries_stay_errors_with_their_stack_trace()
    {
        var (logger, sink, owner) = Pipeline("Debug");
        using (owner)
        {
            MessageFailed(logger, "CheckClock", Guid.NewGuid(), "local://durable/", new InvalidOperationException("a bug"));
            MovedToErrorQueue(logger, "CheckClock#1", LostRace());
        }

        Assert.Equal([LogEventLevel.Error, LogEventLevel.Error], sink.Events.Select(e => e.Level));
        Assert.All(sink.Events, e => Assert.NotNull(e.Exception));
    }
}
