using JasperFx.Events;
using Marten;
using Marten.Events.Projections;
using Rectify.Calendar;
using Rectify.Issues;
using Rectify.Ledgers;
using Rectify.Visits;

namespace Rectify.Statistics.Tallies;

/// <summary>
/// Builds the statistics read model (<see cref="TallySchema"/>) from the events, a page at a time. Visits and groups add
/// to their town's place line; a household's first visit is decided in SQL against tally_household (a back-filled
/// earlier visit moves it: minus one at the old moment, plus one at the new). An issue's events replace its steps: its
/// stream is folded with the code that builds <see cref="IssueSummary"/> up to before and up to after this page's
/// events (read from mt_events, where they are stored before any projection sees them), and the steps before are
/// taken away and the steps after added. Every write is an addition in SQL, so nothing read here can be stale, whether
/// the daemon commits each page or several at once during a rebuild.
/// </summary>
public sealed class TallyProjection(string schema) : IProjection
{
    private static readonly IssueSummaryProjection Summaries = new();

    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var net = new Net();
        var visits = new FirstVisits(events.Count);
        foreach (var e in events)
        {
            switch (e.Data)
            {
                case HouseholdVisited v:
                    // Its visit, leaflets and (when it is the household's first) household go in one act, in SQL.
                    visits.Add(v.TownId, v.GridId, v.HouseholdId, Moment(v.OccurredAt), v.Leaflets);
                    break;
                case WechatGroupRegistered g:
                    net.At(g.TownId, g.OccurredAt, Tally.Places)[Tally.Groups] += 1;
                    break;
                case PolicyPosted p:
                    net.At(p.TownId, p.OccurredAt, Tally.Places)[Tally.Posts] += p.Posts;
                    break;
            }
        }
        await AddIssueSteps(operations, events, net, cancellation);

        Write(operations, net);
        if (visits.Count > 0)
            operations.QueueSqlCommand(VisitsSql(), visits.Towns.ToArray(), visits.Grids.ToArray(), visits.Households.ToArray(), visits.Ats.ToArray(),
                visits.Leaflets.ToArray());
    }

    private static async Task AddIssueSteps(IDocumentOperations operations, IReadOnlyList<IEvent> events, Net net, CancellationToken cancellation)
    {
        var pages = events.Where(e => e.Data is IIssueEvent).GroupBy(e => e.StreamId)
            .ToDictionary(g => g.Key, g => (First: g.Min(e => e.Sequence), Last: g.Max(e => e.Sequence)));
        if (pages.Count == 0) return;
        var ids = pages.Keys.ToArray();
        var last = pages.Values.Max(p => p.Last);
        var history = await operations.Events.QueryAllRawEvents()
            .Where(e => e.StreamId.IsOneOf(ids) && e.Sequence <= last)
            .OrderBy(e => e.Sequence)
            .ToListAsync(cancellation);

        foreach (var stream in history.GroupBy(e => e.StreamId))
        {
            var page = pages[stream.Key];
            IssueSummary? summary = null;
            var seen = false;
            foreach (var e in stream.OrderBy(e => e.Version).Where(e => e.Sequence <= page.Last))
            {
                // The steps the issue had before this page's first event of it are taken away (now: Evolve changes the
                // summary in place), those after it added.
                if (!seen && e.Sequence >= page.First)
                {
                    seen = true;
                    if (summary is not null) net.Add(summary, -1);
                }
                summary = Summaries.Evolve(summary, stream.Key, e);
            }
            if (summary is not null) net.Add(summary, 1);
        }
    }

    /// <summary>Every delta as an act of its day, and summed into the Fenwick nodes of its day, per town and line.</summary>
    private void Write(IDocumentOperations operations, Net net)
    {
        // Steps taken away and put back at the same moment cancel out: only what changed is written.
        var acts = net.Deltas.Where(d => !Tally.IsZero(d.Value)).ToList();
        if (acts.Count == 0) return;

        var days = new Dictionary<(string Town, string Line, DateOnly Day), int[]>();
        var town = new string[acts.Count];
        var line = new string[acts.Count];
        var day = new DateOnly[acts.Count];
        var at = new string[acts.Count];
        var counters = Columns(acts.Count);
        for (var i = 0; i < acts.Count; i++)
        {
            var ((t, moment, l), v) = (acts[i].Key, acts[i].Value);
            (town[i], line[i], day[i], at[i]) = (t, l, WorkingCalendar.ShanghaiDate(moment), Moment(moment));
            for (var c = 0; c < Tally.Width; c++) counters[c][i] = v[c];
            AddTo(days, (t, l, day[i]), v);
        }
        operations.QueueSqlCommand(
            $"insert into {schema}.tally_act (town, day, at, line, {TallySchema.Columns("{0}")}) " +
            $"select * from unnest(?::text[], ?::date[], ?::text[]::timestamptz[], ?::text[], {TallySchema.Columns("?::int[]")})",
            [town, day, at, line, .. counters]);

        // A day's acts are summed first, then added to each node on the day's update path.
        var nodes = new Dictionary<(int Node, string Town, string Line), int[]>();
        foreach (var ((t, l, d), v) in days)
            foreach (var node in Fenwick.UpdatePath(Fenwick.Position(d)))
                AddTo(nodes, (node, t, l), v);
        var rows = nodes.ToList();
        var nodeColumn = new int[rows.Count];
        var nodeTown = new string[rows.Count];
        var nodeLine = new string[rows.Count];
        var nodeCounters = Columns(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            (nodeColumn[i], nodeTown[i], nodeLine[i]) = rows[i].Key;
            for (var c = 0; c < Tally.Width; c++) nodeCounters[c][i] = rows[i].Value[c];
        }
        operations.QueueSqlCommand(
            $"insert into {schema}.tally_node as t (node, town, line, {TallySchema.Columns("{0}")}) " +
            $"select * from unnest(?::int[], ?::text[], ?::text[], {TallySchema.Columns("?::int[]")}) " +
            $"on conflict (node, town, line) do update set {TallySchema.Columns("{0} = t.{0} + excluded.{0}")}",
            [nodeColumn, nodeTown, nodeLine, .. nodeCounters]);
    }

    /// <summary>
    /// A moment as text for PostgreSQL to read, as it reads a moment in JSON: a moment finer than a microsecond (the
    /// seeded campaign's) is rounded by PostgreSQL, where Npgsql would truncate a binary parameter.
    /// </summary>
    private static string Moment(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    private static int[][] Columns(int rows) => [.. Enumerable.Range(0, Tally.Width).Select(_ => new int[rows])];

    private static void AddTo<TKey>(Dictionary<TKey, int[]> sums, TKey key, int[] v) where TKey : notnull
    {
        if (!sums.TryGetValue(key, out var sum)) sums[key] = sum = new int[Tally.Width];
        for (var i = 0; i < Tally.Width; i++) sum[i] += v[i];
    }

    /// <summary>A page's deltas summed per town, moment and line.</summary>
    private sealed class Net
    {
        public readonly Dictionary<(string Town, DateTimeOffset At, string Line), int[]> Deltas = [];

        public int[] At(string town, DateTimeOffset at, string line)
        {
            if (!Deltas.TryGetValue((town, at, line), out var counters)) Deltas[(town, at, line)] = counters = new int[Tally.Width];
            return counters;
        }

        /// <summary>An issue's steps, added (sign 1) or taken away (sign -1).</summary>
        public void Add(IssueSummary summary, int sign)
        {
            foreach (var (at, line, delta) in IssueLine.Steps(summary))
            {
                var counters = At(summary.State.TownId, at, line);
                for (var i = 0; i < Tally.Width; i++) counters[i] += sign * delta[i];
            }
        }
    }

    /// <summary>A page's visits as columns, for <see cref="VisitsSql"/>.</summary>
    private sealed class FirstVisits(int capacity)
    {
        public readonly List<string> Towns = new(capacity), Grids = new(capacity), Households = new(capacity);
        public readonly List<string> Ats = new(capacity);
        public readonly List<int> Leaflets = new(capacity);
        public int Count => Towns.Count;

        public void Add(string town, string grid, string household, string at, int leaflets)
        {
            Towns.Add(town); Grids.Add(grid); Households.Add(household); Ats.Add(at); Leaflets.Add(leaflets);
        }
    }

    /// <summary>
    /// A page's visits as acts of their town's place line (a visit and its leaflets at its moment), together with each
    /// household's first visit so far: a new household, or an earlier visit than the one known, moves the first visit;
    /// its deltas (+1 at the new moment, -1 at the old) go to the same acts and Fenwick nodes, one row per town and moment.
    /// Generated register ids are four digits, or more without a leading zero (as RegisteredVisits reads them).
    /// </summary>
    private string VisitsSql() => $$"""
        with v as (select * from unnest(?::text[], ?::text[], ?::text[], ?::text[]::timestamptz[], ?::int[]) as r(town, grid, household, at, leaflets)),
        b as (select grid, household, min(town) as town, min(at) as at from v group by grid, household),
        c as (select b.grid, b.household, coalesce(h.town, b.town) as town, b.at, h.first_at as old_at
              from b left join {{schema}}.tally_household h on h.grid = b.grid and h.household = b.household
              where h.first_at is null or b.at < h.first_at),
        hh as (insert into {{schema}}.tally_household as h (grid, household, town, first_at) select grid, household, town, at from c
               on conflict (grid, household) do update set first_at = excluded.first_at),
        g as (insert into {{schema}}.tally_grid as t (grid, town, visited, generated, highest)
              select grid, min(town), count(*), count(*) filter (where household ~ '^([0-9]{4}|[1-9][0-9]{4,8})$'),
                     coalesce(max(household::bigint) filter (where household ~ '^([0-9]{4}|[1-9][0-9]{4,8})$'), 0)
              from c where old_at is null group by grid
              on conflict (grid) do update set visited = t.visited + excluded.visited, generated = t.generated + excluded.generated,
                                              highest = greatest(t.highest, excluded.highest)),
        d as (select town, at, 1 as visits, leaflets, 0 as n from v
              union all select town, at, 0, 0, 1 from c union all select town, old_at, 0, 0, -1 from c where old_at is not null),
        a as (insert into {{schema}}.tally_act (town, day, at, line, c0, c1, c4)
              select town, (at at time zone 'Asia/Shanghai')::date, at, '{{Tally.Places}}', sum(visits)::int, sum(leaflets)::int, sum(n)::int
              from d group by town, at),
        x as (select town, ((at at time zone 'Asia/Shanghai')::date - date '2000-01-01') + 1 as p,
                     sum(visits) as visits, sum(leaflets) as leaflets, sum(n) as n from d group by 1, 2)
        insert into {{schema}}.tally_node as t (node, town, line, c0, c1, c4)
        select node, town, '{{Tally.Places}}', sum(visits)::int, sum(leaflets)::int, sum(n)::int
        from x cross join lateral (select x.p as node union all
              select ((x.p >> k) | 1) << k from generate_series(1, 16) k where (x.p >> k) & 1 = 0 and x.p & ((1 << k) - 1) <> 0) path
        group by node, town
        on conflict (node, town, line) do update set c0 = t.c0 + excluded.c0, c1 = t.c1 + excluded.c1, c4 = t.c4 + excluded.c4
        """;

}
