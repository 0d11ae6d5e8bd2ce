using Marten;
using Microsoft.Extensions.Options;
using Rectify.Calendar;
using Rectify.Issues;
using Wolverine;

namespace Rectify.Supervision;

/// <summary>
/// Runs a fired clock's check; a check for a clock replaced or done since appends nothing. A missed clock sends its
/// supervision notices to their recipients' sides.
/// </summary>
public static class CheckClockHandler
{
    /// <summary>Retrying after a fixed delay, not at the due instant, so a check can never spin.</summary>
    public static readonly TimeSpan TooEarlyRetry = TimeSpan.FromMinutes(1);

    public static async Task<OutgoingMessages> Handle(CheckClock check, IDocumentSession session, LiveCalendar live,
        TimeProvider clock, IOptions<SupervisionOptions> options, CancellationToken cancellation)
    {
        var messages = new OutgoingMessages();
        var calendar = await live.LoadAsync(session, cancellation);
        var stream = await session.Events.FetchForWriting<Issue>(check.IssueId, cancellation);
        if (stream.Aggregate is null) return messages;

        var outcome = SupervisionCheck.Check(stream.Aggregate, check, clock.GetUtcNow(), calendar, options.Value);
        if (outcome.Events.Count > 0) stream.AppendMany(outcome.Events.Cast<object>().ToArray());
        // The notices go out through the outbox in the same transaction as the event that records them.
        foreach (var missed in outcome.Events.OfType<DeadlineMissed>())
            foreach (var notice in Notices.For(missed, stream.Aggregate)) messages.Add(Notices.Message(notice));
        foreach (var followUp in outcome.FollowUps) messages.Add(Clocks.Schedule(followUp, calendar, options.Value));
        if (outcome.TooEarly) messages.Add(check.DelayedFor(TooEarlyRetry));
        return messages;
    }
}
