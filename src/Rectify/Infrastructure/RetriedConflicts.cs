using Serilog.Core;
using Serilog.Events;

namespace Rectify.Infrastructure;

/// <summary>
/// A message handler (a supervision check) that loses an optimistic-concurrency race to a person's command is retried
/// by the error policy in Program.cs, and the retry runs on the new state: nothing is wrong. Wolverine still logs
/// the failed attempt as an error with a stack trace ("Failed to process message", event id 105) before its policy
/// decides to retry. This sink in front of the real ones writes that attempt as a debug line naming the retry, and
/// passes everything else through: when the retries run out, Wolverine's "moved to the error queue" stays an error,
/// for a person to look at.
/// </summary>
public sealed class RetriedConflicts(ILogEventSink inner, Func<string?, bool> debugEnabled) : ILogEventSink
{
    /// <summary>Wolverine's Executor.MessageFailedEventId: a handler threw; its error policy decides what follows.</summary>
    public const int MessageFailedEventId = 105;

    public void Emit(LogEvent logEvent)
    {
        if (!IsRetriedConflict(logEvent))
        {
            inner.Emit(logEvent);
            return;
        }
        var source = (logEvent.Properties.GetValueOrDefault(Constants.SourceContextPropertyName) as ScalarValue)?.Value as string;
        if (!debugEnabled(source)) return;
        var properties = logEvent.Properties.Select(p => new LogEventProperty(p.Key, p.Value)).ToList();
        properties.Add(new LogEventProperty("Conflict", new ScalarValue(logEvent.Exception!.Message)));
        inner.Emit(new LogEvent(logEvent.Timestamp, LogEventLevel.Debug, null,
            new Serilog.Parsing.MessageTemplateParser().Parse("Retrying {Name}#{envelope} while attempts remain: it lost a race to another writer ({Conflict})"),
            properties));
    }

    /// <summary>Wolverine's failed-attempt error for a concurrency conflict, which the error policy retries.</summary>
    public static bool IsRetriedConflict(LogEvent e) =>
        e.Level == LogEventLevel.Error
        && e.Properties.GetValueOrDefault("EventId") is StructureValue id
        && id.Properties.Any(p => p.Name == "Id" && p.Value is ScalarValue { Value: MessageFailedEventId })
        // Both are retried by the error policies in Program.cs: a check racing a command, two deliveries racing.
        && Causes(e.Exception).Any(x => x is JasperFx.ConcurrencyException or JasperFx.DocumentAlreadyExistsException);

    private static IEnumerable<Exception> Causes(Exception? exception)
    {
        for (var x = exception; x is not null; x = x.InnerException) yield return x;
    }
}
