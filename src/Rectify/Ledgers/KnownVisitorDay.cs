using Marten;
using Marten.Events;
using Rectify.Issues;
using Rectify.Visits;

namespace Rectify.Ledgers;

/// <summary>
/// knownAt for a visitor's day: the ledger as the VisitorDay projection had it once the visits and collections stored
/// (mt_events.timestamp) by then were applied. Its own Apply methods fold them, so the two cannot drift apart.
/// </summary>
public static class KnownVisitorDay
{
    public static async Task<VisitorDay?> Of(IQuerySession session, string visitorId, DateOnly day, DateTimeOffset knownAt,
        CancellationToken cancellation)
    {
        // SQL narrows to this visitor's events near the day (the JSON holds occurredAt, the event table does not);
        // the day itself is decided below by the projection's own key.
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        var from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).AddDays(-1);
        var types = new[] { VisitEventNames.All[typeof(HouseholdVisited)], IssueEventNames.All[typeof(IssueCollected)] };
        var sequences = (await session.QueryAsync<long>(
            $"select seq_id from {schema}.mt_events where type = any(?) and timestamp <= ? and data ->> 'visitorId' = ? " +
            "and (data ->> 'occurredAt')::timestamptz >= ? and (data ->> 'occurredAt')::timestamptz < ?",
            cancellation, types, knownAt.ToUniversalTime(), visitorId, from.ToUniversalTime(), from.AddDays(3).ToUniversalTime())).ToHashSet();
        if (sequences.Count == 0) return null;

        var wanted = sequences.ToArray();
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => wanted.Contains(e.Sequence))
            .OrderBy(e => e.Sequence)
            .ToListAsync(cancellation);

        var key = VisitorDay.Key(visitorId, day);
        var projection = new VisitorDayProjection();
        VisitorDay? ledger = null;
        foreach (var e in events.Where(e => sequences.Contains(e.Sequence)))
        {
            switch (e.Data)
            {
                case HouseholdVisited visit when VisitorDay.Key(visit.VisitorId, visit.OccurredAt) == key:
                    projection.Apply(ledger ??= new VisitorDay(), visit);
                    break;
                case IssueCollected collected when VisitorDay.Key(collected.VisitorId, collected.OccurredAt) == key:
                    projection.Apply(ledger ??= new VisitorDay(), collected);
                    break;
            }
        }
        return ledger;
    }
}
