using Marten;
using Microsoft.Extensions.Options;
using Rectify.Issues;
using Rectify.Routing;
using Rectify.Supervision;
using Wolverine;

namespace Rectify.Calendar.Replanning;

/// <summary>
/// Re-plan one issue's clocks after version <paramref name="CalendarVersion"/> of a year's calendar was stored.
/// Cascaded by the change, one per open issue, in the change's transaction; handled durably.
/// </summary>
public sealed record ReplanDeadlines(Guid IssueId, int Year, long CalendarVersion, string? Notice);

public static class ReplanDeadlinesHandler
{
    public static async Task<OutgoingMessages> Handle(ReplanDeadlines message, IDocumentSession session, LiveCalendar live,
        TimeProvider clock, IOptions<SupervisionOptions> options, CancellationToken cancellation)
    {
        var messages = new OutgoingMessages();
        var stream = await session.Events.FetchForWriting<Issue>(message.IssueId, cancellation);
        if (stream.Aggregate is not { } issue) return messages;

        // After: the calendar as stored now (a later change too, if one came meanwhile). Before: the same, with the
        // changed year as it stood before this change's version.
        var after = await live.LoadAsync(session, cancellation);
        var years = await session.Query<CalendarYear>().ToListAsync(cancellation);
        var previous = CalendarYear.Fold((await session.Events.FetchStreamAsync(CalendarYear.StreamId(message.Year),
                version: message.CalendarVersion - 1, token: cancellation))
            .Select(e => e.Data).OfType<CalendarYearChanged>());
        var before = WorkingCalendar.From(years.Where(y => y.Year != message.Year).Select(y => y.Data)
            .Concat(previous is null || message.CalendarVersion <= 1 ? [] : [previous.Data]));

        var history = (await session.Events.FetchStreamAsync(message.IssueId, token: cancellation))
            .Select(e => e.Data).OfType<IIssueEvent>().ToList();
        var replanned = DeadlineReplanning.Decide(issue, history, before, after, options.Value, message.Year, message.CalendarVersion,
            message.Notice, clock.GetUtcNow());
        if (replanned.Moves.Count == 0) return messages;

        stream.AppendMany(replanned.Moves.Cast<object>().ToArray());
        foreach (var move in replanned.Moves.Where(m => m.Clock == SupervisionClock.Acceptance))
            if (await session.LoadAsync<InboxEntry>(move.ClockId, cancellation) is { } entry)
            {
                entry.AcceptBy = move.DueDate;
                session.Store(entry);
            }
        foreach (var check in replanned.Checks) messages.Add(Clocks.Schedule(check, after, options.Value));
        return messages;
    }
}
