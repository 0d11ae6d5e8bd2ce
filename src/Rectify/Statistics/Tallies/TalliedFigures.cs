using Marten;
using Rectify.Calendar;
using Rectify.ReferenceData;
using Rectify.Visits.Coverage;

namespace Rectify.Statistics.Tallies;

/// <summary>
/// The figures as of a moment from the tallies: the Fenwick nodes holding every whole day up to the moment (at most 16
/// rows per town and line), plus, for a moment inside a day, that day's acts up to it. The work depends on the
/// calendar and the reference data (towns, categories, units, grids), not on how many issues or events there are.
/// </summary>
public static class TalliedFigures
{
    public static async Task<CampaignFigures> Campaign(IQuerySession session, DistrictReferenceData references, DateTimeOffset asOf,
        string? townId, string? departmentId, string? categoryId, CancellationToken cancellation)
    {
        var lines = await Lines(session, asOf, townId, cancellation);
        var issues = new int[Tally.Width];
        var places = new int[Tally.Width];
        foreach (var row in lines)
        {
            if (row.Line == Tally.Places) { Tally.AddTo(places, row.V); continue; }
            if (IssueLine.Parse(row.Line) is not { } line) continue;
            if (categoryId is not null && line.CategoryId != categoryId) continue;
            // A department answers for the issues it held at that moment (the last holder once the work is done).
            if (departmentId is not null && line.Holder != departmentId) continue;
            Tally.AddTo(issues, row.V);
        }
        var figures = IssueLine.Figures(issues);
        var households = references.Towns.Where(t => townId is null || t.Id == townId).Sum(t => t.Communities.Sum(c => c.Grids.Sum(g => g.Households)));
        var visited = places[Tally.FirstVisits] + await Unregistered(session, references, asOf, townId, cancellation);
        return new CampaignFigures(asOf, townId, departmentId, categoryId,
            households, visited, GetCoverageEndpoint.Rate(visited, households), places[Tally.Visits], places[Tally.Leaflets],
            places[Tally.Groups], places[Tally.Posts], figures.ResolvedInGroups,
            figures.Ledger, figures.Closed, figures.ClosedResolved, figures.ClosedExplained, figures.InProgress, figures.ResolvedOnSpot, figures.Overdue,
            figures.OnTimeRate, figures.ResolutionRate, figures.SatisfactionRate);
    }

    /// <summary>Every town's figures and every department's (by the issues it held at the moment), for the rankings.</summary>
    public static async Task<(List<(string Id, string Name, IssueFigures Figures)> Towns, List<(string Id, string Name, IssueFigures Figures)> Departments)>
        Units(IQuerySession session, DistrictReferenceData references, DateTimeOffset asOf, CancellationToken cancellation)
    {
        var byTown = new Dictionary<string, int[]>();
        var byHolder = new Dictionary<string, int[]>();
        foreach (var row in await Lines(session, asOf, null, cancellation))
        {
            if (IssueLine.Parse(row.Line) is not { } line) continue;
            Tally.AddTo(Get(byTown, row.Town), row.V);
            Tally.AddTo(Get(byHolder, line.Holder), row.V);
        }
        var towns = references.Towns.Select(t => (t.Id, t.Name, IssueLine.Figures(byTown.GetValueOrDefault(t.Id) ?? new int[Tally.Width]))).ToList();
        var departments = references.Departments
            .Select(d => (d.Id, d.Name, Figures: IssueLine.Figures(byHolder.GetValueOrDefault(d.Id) ?? new int[Tally.Width])))
            .Where(d => d.Figures.Ledger > 0).ToList();
        return (towns, departments);
    }

    private static int[] Get(Dictionary<string, int[]> sums, string key) =>
        sums.TryGetValue(key, out var sum) ? sum : sums[key] = new int[Tally.Width];

    /// <summary>The lines' sums per town as of the moment: whole days from the Fenwick nodes, the moment's own day from its acts.</summary>
    private static async Task<IReadOnlyList<TallyRow>> Lines(IQuerySession session, DateTimeOffset asOf, string? townId, CancellationToken cancellation)
    {
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        var day = WorkingCalendar.ShanghaiDate(asOf);
        // A date asks for the end of its day (its last tick): every act of the day is in, so the nodes alone answer.
        var wholeDay = asOf >= Supervision.Clocks.EndOf(day).AddTicks(-1);
        var nodes = Fenwick.PrefixPath(Fenwick.Position(day) - (wholeDay ? 0 : 1));
        var town = townId is null ? "" : " and town = ?";
        var parameters = new List<object> { nodes };
        if (townId is not null) parameters.Add(townId);
        var acts = "";
        if (!wholeDay)
        {
            // Acts are stored to the microsecond, as events are recorded: the moment's floor compares alike.
            acts = $" union all select town, line, {TallySchema.Columns("{0}")} from {schema}.tally_act where day = ? and at <= ?{town}";
            parameters.Add(day);
            parameters.Add(Infrastructure.Microseconds.Floor(asOf).ToUniversalTime());
            if (townId is not null) parameters.Add(townId);
        }
        // The projection's position comes in the same statement (one snapshot): the issue events after it are added below.
        var progress = $" union all select '', '{Progress}', (select coalesce(max(last_seq_id), 0) from {schema}.mt_event_progression " +
            $"where name = '{TallySchema.ProjectionName}:All'), {string.Join(", ", Enumerable.Repeat("0", Tally.Width - 1))}";
        var rows = (await session.QueryAsync<TallyRow>(
            $"select jsonb_build_object('town', town, 'line', line, 'v', jsonb_build_array({TallySchema.Columns("sum({0})")})) from (" +
            $"select town, line, {TallySchema.Columns("{0}")} from {schema}.tally_node where node = any(?){town}{acts}{progress}) x group by town, line",
            cancellation, [.. parameters])).ToList();
        var position = rows.Single(r => r.Line == Progress);
        rows.Remove(position);
        rows.AddRange(await Unprojected(session, position.V[0], asOf, townId, cancellation));
        return rows;
    }

    private const string Progress = "#";

    /// <summary>
    /// The issue events stored since the projection's position, counted here: an issue read right after a command is
    /// in the figures, as when they were read from the inline issue summaries (normally none or a few; after a fresh
    /// seed, until the daemon has caught up, all of them, which is slower but still exact). Each issue's contribution at
    /// the moment is taken away as the tallies have it (its events up to the position) and added as it is now.
    /// </summary>
    private static async Task<IEnumerable<TallyRow>> Unprojected(IQuerySession session, long position, DateTimeOffset asOf, string? townId,
        CancellationToken cancellation)
    {
        var ids = (await session.Events.QueryAllRawEvents()
            .Where(e => e.Sequence > position && e.EventTypeName.IsOneOf(Issues.IssueEventVersions.StoredNames.ToArray()))
            .Select(e => e.StreamId).ToListAsync(cancellation)).Distinct().ToArray();
        if (ids.Length == 0) return [];
        var history = await session.Events.QueryAllRawEvents().Where(e => e.StreamId.IsOneOf(ids)).OrderBy(e => e.Sequence).ToListAsync(cancellation);
        var rows = new List<TallyRow>();
        foreach (var stream in history.GroupBy(e => e.StreamId))
        {
            var ordered = stream.OrderBy(e => e.Version).ToList();
            if (IssueLine.Fold(stream.Key, ordered.Where(e => e.Sequence <= position)) is { } projected)
                rows.Add(new TallyRow(projected.State.TownId, IssueLine.At(projected, asOf), [.. IssueLine.Vector(projected, asOf).Select(x => -(long)x)]));
            if (IssueLine.Fold(stream.Key, ordered) is { } now)
                rows.Add(new TallyRow(now.State.TownId, IssueLine.At(now, asOf), [.. IssueLine.Vector(now, asOf).Select(x => (long)x)]));
        }
        return rows.Where(r => townId is null || r.Town == townId);
    }

    /// <summary>
    /// Households visited by the moment that are not in today's register of their grid, taken away from the first visits
    /// so that coverage never exceeds 100% (docs/reference-data.md). A grid whose visited ids are all generated ids within
    /// its generated register needs no look; only the others (replaced or hand-written registers) are read id by id.
    /// </summary>
    private static async Task<int> Unregistered(IQuerySession session, DistrictReferenceData references, DateTimeOffset? asOf, string? townId,
        CancellationToken cancellation)
    {
        var outside = 0;
        foreach (var (grid, ids) in await Irregular(session, references, asOf, townId, cancellation))
            outside += ids.Count(id => references.RegisterOf(grid)?.Contains(id) != true);
        return -outside;
    }

    /// <summary>Households visited per grid in today's registers, as the coverage list shows them (all history).</summary>
    public static async Task<IReadOnlyDictionary<string, int>> VisitedPerGrid(IQuerySession session, DistrictReferenceData references, string? townId,
        CancellationToken cancellation)
    {
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        var grids = await Grids(session, schema, townId, cancellation);
        var counts = grids.Where(g => references.RegisterOf(g.Grid) is not null).ToDictionary(g => g.Grid, g => g.Visited);
        foreach (var (grid, ids) in await Irregular(session, references, null, townId, cancellation))
            if (references.RegisterOf(grid) is { } register) counts[grid] = ids.Count(register.Contains);
        return counts;
    }

    private static async Task<List<(string Grid, IReadOnlyList<string> Ids)>> Irregular(IQuerySession session, DistrictReferenceData references,
        DateTimeOffset? asOf, string? townId, CancellationToken cancellation)
    {
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        var irregular = new List<(string, IReadOnlyList<string>)>();
        foreach (var g in await Grids(session, schema, townId, cancellation))
        {
            if (references.RegisterOf(g.Grid) is { } register && g.Generated == g.Visited && g.Highest <= register.Generated) continue;
            var ids = asOf is { } moment
                ? await session.QueryAsync<string>($"select household from {schema}.tally_household where grid = ? and first_at <= ?",
                    cancellation, g.Grid, Infrastructure.Microseconds.Floor(moment).ToUniversalTime())
                : await session.QueryAsync<string>($"select household from {schema}.tally_household where grid = ?", cancellation, g.Grid);
            irregular.Add((g.Grid, ids));
        }
        return irregular;
    }

    private static Task<IReadOnlyList<GridTally>> Grids(IQuerySession session, string schema, string? townId, CancellationToken cancellation) =>
        townId is null
            ? session.QueryAsync<GridTally>(
                $"select jsonb_build_object('grid', grid, 'visited', visited, 'generated', generated, 'highest', highest) from {schema}.tally_grid", cancellation)
            : session.QueryAsync<GridTally>(
                $"select jsonb_build_object('grid', grid, 'visited', visited, 'generated', generated, 'highest', highest) from {schema}.tally_grid where town = ?",
                cancellation, townId);

    private sealed record TallyRow(string Town, string Line, long[] V);

    private sealed record GridTally(string Grid, int Visited, int Generated, long Highest);
}
