using System.Text.Json;
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
        var deltas = new List<Delta>();
        var visits = new List<FirstVisit>();
        foreach (var e in events)
        {
            switch (e.Data)
            {
                case HouseholdVisited v:
                    deltas.Add(Place(v.TownId, v.OccurredAt, Tally.Visits, 1, (Tally.Leaflets, v.Leaflets)));
                    visits.Add(new FirstVisit(v.TownId, v.GridId, v.HouseholdId, v.OccurredAt.ToUniversalTime()));
                    break;
                case WechatGroupRegistered g:
                    deltas.Add(Place(g.TownId, g.OccurredAt, Tally.Groups, 1));
                    break;
                case PolicyPosted p:
                    deltas.Add(Place(p.TownId, p.OccurredAt, Tally.Posts, p.Posts));
                    break;
            }
        }
        deltas.AddRange(await IssueDeltas(operations, events, cancellation));

        if (deltas.Count > 0) Write(operations, deltas);
        if (visits.Count > 0) operations.QueueSqlCommand(FirstVisitsSql(), JsonSerializer.Serialize(visits, Json));
    }

    private static Delta Place(string town, DateTimeOffset at, int counter, int value, (int Counter, int Value)? also = null)
    {
        var v = new int[Tally.Width];
        v[counter] = value;
        if (also is { } a) v[a.Counter] += a.Value;
        return new Delta(town, at, Tally.Places, v);
    }

    private static async Task<List<Delta>> IssueDeltas(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var pages = events.Where(e => e.Data is IIssueEvent).GroupBy(e => e.StreamId)
            .ToDictionary(g => g.Key, g => (First: g.Min(e => e.Sequence), Last: g.Max(e => e.Sequence)));
        if (pages.Count == 0) return [];
        var ids = pages.Keys.ToArray();
        var last = pages.Values.Max(p => p.Last);
        var history = await operations.Events.QueryAllRawEvents()
            .Where(e => e.StreamId.IsOneOf(ids) && e.Sequence <= last)
            .OrderBy(e => e.Sequence)
            .ToListAsync(cancellation);

        var deltas = new List<Delta>();
        foreach (var stream in history.GroupBy(e => e.StreamId))
        {
            var page = pages[stream.Key];
            IssueSummary? summary = null;
            List<Delta>? before = null;
            foreach (var e in stream.OrderBy(e => e.Version).Where(e => e.Sequence <= page.Last))
            {
                // The steps the issue had before this page's first event of it are taken away, those after it added.
                if (before is null && e.Sequence >= page.First) before = summary is null ? [] : Steps(summary, -1);
                summary = Summaries.Evolve(summary, stream.Key, e);
            }
            if (summary is null) continue;
            deltas.AddRange(before ?? []);
            deltas.AddRange(Steps(summary, 1));
        }
        return deltas;
    }

    private static List<Delta> Steps(IssueSummary summary, int sign) =>
        IssueLine.Steps(summary).Select(s => new Delta(summary.State.TownId, s.At, s.Line, sign == 1 ? s.Delta : [.. s.Delta.Select(x => -x)])).ToList();

    /// <summary>Every delta as an act of its day, and summed into the Fenwick nodes of its day, per town and line.</summary>
    private void Write(IDocumentOperations operations, List<Delta> deltas)
    {
        // Steps taken away and put back at the same moment cancel out: only what changed is written.
        var net = deltas.GroupBy(d => (d.Town, d.At, d.Line))
            .Select(g => new Delta(g.Key.Town, g.Key.At, g.Key.Line, Sum(g.Select(d => d.V))))
            .Where(d => !Tally.IsZero(d.V)).ToList();
        if (net.Count == 0) return;
        var acts = net.Select(d => Row(d.Town, WorkingCalendar.ShanghaiDate(d.At), d.At.ToUniversalTime(), d.Line, d.V, null));
        operations.QueueSqlCommand(
            $"insert into {schema}.tally_act (town, day, at, line, {TallySchema.Columns("{0}")}) " +
            $"select town, day, at, line, {TallySchema.Columns("{0}")} from jsonb_to_recordset(?::jsonb) as r(town text, day date, at timestamptz, line text, {TallySchema.Columns("{0} int")})",
            JsonSerializer.Serialize(acts, Json));

        var nodes = net
            .SelectMany(d => Fenwick.UpdatePath(Fenwick.Position(WorkingCalendar.ShanghaiDate(d.At))).Select(n => (n, d)))
            .GroupBy(x => (Node: x.n, x.d.Town, x.d.Line))
            .Select(g => Row(g.Key.Town, null, null, g.Key.Line, Sum(g.Select(x => x.d.V)), g.Key.Node));
        operations.QueueSqlCommand(
            $"insert into {schema}.tally_node as t (node, town, line, {TallySchema.Columns("{0}")}) " +
            $"select node, town, line, {TallySchema.Columns("{0}")} from jsonb_to_recordset(?::jsonb) as r(node int, town text, line text, {TallySchema.Columns("{0} int")}) " +
            $"on conflict (node, town, line) do update set {TallySchema.Columns("{0} = t.{0} + excluded.{0}")}",
            JsonSerializer.Serialize(nodes, Json));
    }

    private static Dictionary<string, object?> Row(string town, DateOnly? day, DateTimeOffset? at, string line, int[] v, int? node)
    {
        var row = new Dictionary<string, object?> { ["town"] = town, ["line"] = line };
        if (day is { } d) row["day"] = d.ToString("yyyy-MM-dd");
        if (at is { } a) row["at"] = a;
        if (node is { } n) row["node"] = n;
        for (var i = 0; i < Tally.Width; i++) row[$"c{i}"] = v[i];
        return row;
    }

    private static int[] Sum(IEnumerable<int[]> vectors)
    {
        var sum = new int[Tally.Width];
        foreach (var v in vectors)
            for (var i = 0; i < Tally.Width; i++) sum[i] += v[i];
        return sum;
    }

    /// <summary>
    /// A page's visits against each household's first visit so far: a new household, or an earlier visit than the one
    /// known, moves the first visit; its deltas (+1 at the new moment, -1 at the old) go to acts and Fenwick nodes in SQL.
    /// Generated register ids are four digits, or more without a leading zero (as RegisteredVisits reads them).
    /// </summary>
    private string FirstVisitsSql() => $$"""
        with v as (select * from jsonb_to_recordset(?::jsonb) as r(town text, grid text, household text, at timestamptz)),
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
        d as (select town, at, 1 as n from c union all select town, old_at, -1 from c where old_at is not null),
        a as (insert into {{schema}}.tally_act (town, day, at, line, c4)
              select town, (at at time zone 'Asia/Shanghai')::date, at, '{{Tally.Places}}', sum(n)::int from d group by town, at),
        x as (select town, ((at at time zone 'Asia/Shanghai')::date - date '2000-01-01') + 1 as p, sum(n) as n from d group by 1, 2)
        insert into {{schema}}.tally_node as t (node, town, line, c4)
        select node, town, '{{Tally.Places}}', sum(n)::int
        from x cross join lateral (select x.p as node union all
              select ((x.p >> k) | 1) << k from generate_series(1, 16) k where (x.p >> k) & 1 = 0 and x.p & ((1 << k) - 1) <> 0) path
        group by node, town
        on conflict (node, town, line) do update set c4 = t.c4 + excluded.c4
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private sealed record Delta(string Town, DateTimeOffset At, string Line, int[] V);

    private sealed record FirstVisit(string Town, string Grid, string Household, DateTimeOffset At);
}
