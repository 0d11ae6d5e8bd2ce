using Marten;
using Marten.Events;
using Rectify.Issues;
using Rectify.Ledgers;
using Rectify.ReferenceData;
using Rectify.Visits;

namespace Rectify.Statistics;

/// <summary>
/// knownAt: the figures as Rectify would have served them at a stored moment, i.e. from the events stored
/// (mt_events.timestamp) at or before it, whatever domain time they carry. The read models (IssueSummary, TownDay,
/// VisitedHousehold) hold only the latest knowledge, so this path reads the events themselves: issue streams are
/// folded with the same projection code that builds IssueSummary, and visit and group figures are summed in SQL. It is
/// exact and slower (the whole issue history is read); without knownAt the read models answer as before.
/// </summary>
public static class KnownAt
{
    /// <summary>Each issue's summary as the inline projection had it once the events stored by <paramref name="knownAt"/> were applied.</summary>
    public static async Task<List<IssueSummary>> IssueSummaries(IQuerySession session, DateTimeOffset knownAt, CancellationToken cancellation)
    {
        var stored = knownAt.ToUniversalTime(); // Npgsql writes only UTC instants to timestamptz
        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.Timestamp <= stored && e.EventTypeName.IsOneOf(IssueEventVersions.StoredNames.ToArray()))
            .OrderBy(e => e.Sequence)
            .ToListAsync(cancellation);
        var projection = new IssueSummaryProjection();
        return events.GroupBy(e => e.StreamId)
            .Select(stream => stream.OrderBy(e => e.Version)
                .Aggregate((IssueSummary?)null, (summary, e) => projection.Evolve(summary, stream.Key, e))!)
            .ToList();
    }

    /// <summary>Visit and group figures from the events stored by <paramref name="knownAt"/> whose acts happened by <paramref name="asOf"/>.</summary>
    public static async Task<PlaceFigures> Places(IQuerySession session, string schema, DistrictReferenceData references, DateTimeOffset asOf,
        DateTimeOffset knownAt, string? townId, CancellationToken cancellation)
    {
        var town = townId is null ? "" : "and data ->> 'townId' = ?";
        object[] Args() => townId is null ? [knownAt.ToUniversalTime(), asOf.ToUniversalTime()] : [knownAt.ToUniversalTime(), asOf.ToUniversalTime(), townId];
        async Task<int> Scalar(string select, string type) => (await session.QueryAsync<int>(
            $"select {select} from {schema}.mt_events where type = '{type}' and timestamp <= ? and (data ->> 'occurredAt')::timestamptz <= ? {town}",
            cancellation, Args())).Single();

        var visited = VisitEventNames.All[typeof(HouseholdVisited)];
        // As on the live path (the tallies' per-grid counts): only households of the registers count, so coverage never exceeds 100%.
        var households = await session.QueryAsync<VisitedPair>(
            $"select distinct jsonb_build_object('gridId', data ->> 'gridId', 'householdId', data ->> 'householdId') from {schema}.mt_events " +
            $"where type = '{visited}' and timestamp <= ? and (data ->> 'occurredAt')::timestamptz <= ? {town}", cancellation, Args());
        return new PlaceFigures(
            households.Count(h => references.RegisterOf(h.GridId)?.Contains(h.HouseholdId) == true),
            await Scalar("count(*)::int", visited),
            await Scalar("coalesce(sum((data ->> 'leaflets')::int), 0)::int", visited),
            await Scalar("count(*)::int", VisitEventNames.All[typeof(WechatGroupRegistered)]),
            await Scalar("coalesce(sum((data ->> 'posts')::int), 0)::int", VisitEventNames.All[typeof(PolicyPosted)]));
    }
}

public sealed record VisitedPair(string GridId, string HouseholdId);

public sealed record PlaceFigures(int HouseholdsVisited, int Visits, int Leaflets, int WechatGroups, int PolicyPosts);
