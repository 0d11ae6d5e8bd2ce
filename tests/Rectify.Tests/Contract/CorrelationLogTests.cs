using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rectify.Infrastructure;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Extensions.Logging;

namespace Rectify.Tests.Contract;

/// <summary>The service's log pipeline (Logging.Configure) behind the correlation middleware: every line names the id.</summary>
public sealed class CorrelationLogTests
{
    private sealed class Captured : ILogEventSink
    {
        public List<LogEvent> Events { get; } = [];
        public void Emit(LogEvent logEvent) => Events.Add(logEvent);
    }

    [Theory]
    [InlineData("hotline-7", "hotline-7")]
    [InlineData("not valid!", null)]
    public async Task Every_line_logged_during_a_request_carries_its_correlation_id(string given, string? expected)
    {
        var sink = new Captured();
        var serilog = Logging.Configure(new LoggerConfiguration(), new ConfigurationBuilder().Build(), s => s.Sink(sink)).CreateLogger();
        using var factory = new SerilogLoggerFactory(serilog, dispose: true);
        var logger = factory.CreateLogger("Rectify.Issues");

        var app = new ApplicationBuilder(new ServiceCollection().BuildServiceProvider());
        app.UseCorrelationIds();
        app.Run(_ =>
        {
            logger.LogInformation("Escalated {IssueId}", 42);
            return Task.CompletedTask;
        });
        var http = new DefaultHttpContext();
        http.Request.Headers[CorrelationIds.Header] = given;
        await app.Build()(http);

        var line = Assert.Single(sink.Events);
        var logged = ((ScalarValue)line.Properties["CorrelationId"]).Value as string;
        Assert.Equal(expected ?? CorrelationIds.Of(http), logged);
        Assert.True(CorrelationIds.IsValid(logged));
    }
}
