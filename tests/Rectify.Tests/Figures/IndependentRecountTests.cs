using System.Text.Json;
using Marten;
using Marten.Events;
using Npgsql;
using Rectify.Seeding;
using Rectify.Tests.Lifecycle;
using Rectify.Tests.Support;

namespace Rectify.Tests.Figures;

/// <summary>
/// The done-when of issue 10: the statistics served at three cutoffs of the seeded campaign equal, figure by figure,
/// a re-count done with this test's own SQL over the stored events (rectify.mt_events), not over any read model.
/// The definitions below are written from docs/statistics.md, independently of the code that serves the figures.
/// </summary>
public sealed class IndependentRecountTests(AppFixture app) : ApiTest(app)
{
    // Large enough that every figure, overdue included, is well above zero at mid-campaign.
    private const double Scale = 0.1;

    private const string Recount = """
        with ev as (
            select stream_id as id, version, type, data, (data ->> 'occurredAt')::timestamptz as at
            from rectify.mt_events where type like 'issue\_%'),
        issue as (
            select c.id, c.at as collected_at, c.data ->> 'channel' as channel,
                (select min(e.at) from ev e where e.id = c.id and e.type in ('issue_resolved_on_spot.v1', 'issue_resolved_on_spot.v2')) as settled_at,
                (select min(e.at) from ev e where e.id = c.id and e.type = 'issue_closed.v1') as closed_at,
                (select e.data ->> 'outcome' from ev e where e.id = c.id and e.type = 'issue_closed.v1' order by e.version desc limit 1) as closed_outcome
            from ev c where c.type = 'issue_collected.v1'),
        ledger as (
            select * from issue where collected_at <= @asOf and not coalesce(settled_at <= @asOf, false)),
        first_outcome as (
            select distinct on (e.id) e.id, e.version, e.at from ev e
            where e.type in ('issue_resolved.v1', 'issue_explained.v1') order by e.id, e.version),
        on_time as (
            select f.id, f.at,
                -- the deadline in force before the first outcome: set by the last routing or deadline act before it
                (select case when d.type in ('issue_returned.v1', 'issue_escalated.v1', 'issue_rerouted.v1') then true
                             else (f.at at time zone 'Asia/Shanghai')::date <= coalesce(d.data ->> 'deadline', d.data ->> 'newDeadline')::date end
                 from ev d where d.id = f.id and d.version < f.version
                   and d.type in ('issue_assigned.v1', 'issue_accepted.v1', 'issue_extension_approved.v1', 'issue_returned.v1', 'issue_escalated.v1', 'issue_rerouted.v1')
                 order by d.version desc limit 1) as in_time
            from first_outcome f),
        missed as (
            select distinct on (m.id, m.data ->> 'clockId') m.id, m.data ->> 'clock' as clock, m.data ->> 'clockId' as clock_id,
                (m.data ->> 'dueDate')::date as due,
                (((m.data ->> 'dueDate')::date + 1)::timestamp at time zone 'Asia/Shanghai') as since
            from ev m where m.type = 'issue_deadline_missed.v1'),
        clock_span as (
            -- a missed clock is overdue from the end of its due date until the first act that does what was due
            select k.id, k.since, (select min(e.at) from ev e where e.id = k.id and e.at >= k.since and case lower(k.clock)
                when 'handling' then e.type in ('issue_resolved.v1', 'issue_explained.v1', 'issue_returned.v1', 'issue_escalated.v1',
                        'issue_rerouted.v1', 'issue_assigned.v1', 'issue_closed.v1')
                    or (e.type in ('issue_accepted.v1', 'issue_extension_approved.v1', 'issue_rework_started.v1') and e.data ->> 'deadlineId' <> k.clock_id)
                when 'acceptance' then e.type in ('issue_accepted.v1', 'issue_returned.v1', 'issue_escalated.v1', 'issue_rerouted.v1',
                        'issue_assigned.v1', 'issue_resolved.v1', 'issue_explained.v1', 'issue_closed.v1')
                when 'feedback' then e.type in ('issue_feedback_recorded.v1', 'issue_rework_started.v1', 'issue_resolved.v1',
                        'issue_explained.v1', 'issue_closed.v1')
                else (e.type = 'issue_progress_noted.v1' and (e.data ->> 'milestoneDueDate')::date = k.due)
                    or e.type in ('issue_explained.v1', 'issue_rework_started.v1') end) as until
            from missed k),
        feedback as (
            select e.data ->> 'satisfaction' as satisfaction from ev e join ledger l on l.id = e.id
            where e.type = 'issue_feedback_recorded.v1' and e.at <= @asOf and lower(e.data ->> 'satisfaction') <> 'unreachable'),
        visit as (
            select data ->> 'gridId' as grid, data ->> 'householdId' as household, (data ->> 'leaflets')::int as leaflets,
                (data ->> 'occurredAt')::timestamptz as at
            from rectify.mt_events where type = 'household_visited.v1')
        select
            (select count(distinct (grid, household)) from visit where at <= @asOf) as households_visited,
            (select count(*) from visit where at <= @asOf) as visits,
            (select coalesce(sum(leaflets), 0) from visit where at <= @asOf) as leaflets,
            (select count(*) from rectify.mt_events where type = 'wechat_group_registered.v1' and (data ->> 'occurredAt')::timestamptz <= @asOf) as wechat_groups,
            (select coalesce(sum((data ->> 'posts')::int), 0) from rectify.mt_events
                where type = 'wechat_policy_posted.v1' and (data ->> 'occurredAt')::timestamptz <= @asOf) as policy_posts,
            (select count(*) from issue where settled_at <= @asOf and lower(channel) = 'wechatgroup') as resolved_in_groups,
            (select count(*) from issue where settled_at <= @asOf and lower(channel) <> 'wechatgroup') as resolved_on_spot,
            (select count(*) from ledger) as ledger,
            (select count(*) from ledger where closed_at <= @asOf) as closed,
            (select count(*) from ledger where closed_at <= @asOf and lower(closed_outcome) = 'resolved') as closed_resolved,
            (select count(*) from ledger where closed_at <= @asOf and lower(closed_outcome) = 'explained') as closed_explained,
            (select count(distinct l.id) from ledger l join clock_span s on s.id = l.id
                where s.since <= @asOf and (s.until is null or s.until > @asOf)) as overdue,
            (select count(*) from ledger l join on_time o on o.id = l.id where o.at <= @asOf and o.in_time) as on_time,
            (select count(*) from ledger l join on_time o on o.id = l.id where o.at <= @asOf) as with_outcome,
            (select count(*) from feedback where lower(satisfaction) in ('satisfied', 'basicallysatisfied')) as satisfied,
            (select count(*) from feedback) as answered
        """;

    [Fact]
    public async Task The_served_statistics_equal_a_recount_from_the_events_at_three_cutoffs()
    {
        var plan = new CampaignPlan(7, Scale, Given.References, Given.Calendar);
        await CampaignSeeder.AppendAsync(Store, plan, _ => { }, CancellationToken.None);
        await Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(5));

        var households = Given.References.Towns.Sum(t => t.Communities.Sum(c => c.Grids.Sum(g => g.Households)));
        var overdueSeen = 0;
        foreach (var cutoff in new[] { "2022-06-15", "2022-07-10T12:00:00+08:00", "2022-07-31" })
        {
            var asOf = cutoff.Length == 10
                ? new DateTimeOffset(DateOnly.Parse(cutoff).AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(8)).AddTicks(-1)
                : DateTimeOffset.Parse(cutoff);
            var counted = await Count(asOf);
            var expected = new Dictionary<string, object?>
            {
                ["householdsTotal"] = households,
                ["householdsVisited"] = counted["households_visited"],
                ["coverageRate"] = Rate(counted["households_visited"], households) ?? 0m,
                ["visits"] = counted["visits"],
                ["leaflets"] = counted["leaflets"],
                ["wechatGroups"] = counted["wechat_groups"],
                ["policyPosts"] = counted["policy_posts"],
                ["resolvedInGroups"] = counted["resolved_in_groups"],
                ["ledger"] = counted["ledger"],
                ["closed"] = counted["closed"],
                ["closedResolved"] = counted["closed_resolved"],
                ["closedExplained"] = counted["closed_explained"],
                ["inProgress"] = counted["ledger"] - counted["closed"],
                ["resolvedOnSpot"] = counted["resolved_on_spot"],
                ["overdue"] = counted["overdue"],
                ["onTimeRate"] = Rate(counted["on_time"], counted["with_outcome"]),
                ["resolutionRate"] = Rate(counted["closed"], counted["ledger"]),
                ["satisfactionRate"] = Rate(counted["satisfied"], counted["answered"])
            };

            var served = (await Get($"/api/v1/statistics?asOf={Uri.EscapeDataString(cutoff)}", "auditor", 200)).Json;
            Assert.Equal(asOf, served.GetProperty("asOf").GetDateTimeOffset());
            foreach (var filter in new[] { "townId", "departmentId", "categoryId" })
                Assert.Equal(JsonValueKind.Null, served.GetProperty(filter).ValueKind);
            // Every figure served is one re-counted here: a new figure must be added to the re-count too.
            Assert.Equal(expected.Keys.Order(), served.EnumerateObject().Select(p => p.Name)
                .Except(["asOf", "knownAt", "townId", "departmentId", "categoryId"]).Order());
            foreach (var (name, value) in expected)
            {
                var actual = served.GetProperty(name);
                object? read = actual.ValueKind == JsonValueKind.Null ? null : value is decimal ? actual.GetDecimal() : (object)actual.GetInt32();
                Assert.True(Equals(value, read), $"{name} as of {cutoff}: re-counted {value}, served {read}");
            }
            overdueSeen += counted["overdue"];

            // The stored-events path (knownAt, here the end of tomorrow: after everything was stored) serves the same figures.
            var known = (await Get($"/api/v1/statistics?asOf={Uri.EscapeDataString(cutoff)}&knownAt={DateTime.UtcNow.AddDays(1):yyyy-MM-dd}",
                "auditor", 200)).Json;
            foreach (var figure in served.EnumerateObject().Where(p => p.Name != "knownAt"))
                Assert.Equal(figure.Value.GetRawText(), known.GetProperty(figure.Name).GetRawText());
        }

        // The published figures at the end, and a re-count that is not trivially zero.
        var end = await Count(new DateTimeOffset(2022, 8, 1, 0, 0, 0, TimeSpan.FromHours(8)).AddTicks(-1));
        Assert.Equal(plan.Target.Ledger, end["ledger"]);
        Assert.Equal(plan.Target.Closed, end["closed"]);
        Assert.Equal(plan.Target.ResolvedOnSpot, end["resolved_on_spot"]);
        Assert.True(overdueSeen > 0);
    }

    private static decimal? Rate(int part, int whole) => whole == 0 ? null : Math.Round(100m * part / whole, 1, MidpointRounding.AwayFromZero);

    private static async Task<Dictionary<string, int>> Count(DateTimeOffset asOf)
    {
        await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("ConnectionStrings__marten"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(Recount, connection);
        command.Parameters.AddWithValue("asOf", asOf.UtcDateTime);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => Convert.ToInt32(reader.GetValue(i)));
    }
}
