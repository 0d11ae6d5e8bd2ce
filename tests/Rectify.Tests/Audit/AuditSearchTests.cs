using Rectify.Querying;
using System.Text.Json;
using Marten;
using Rectify.Seeding;
using Rectify.Tests.Lifecycle;
using Rectify.Tests.Support;

namespace Rectify.Tests.Audit;

/// <summary>GET /api/v1/audit: who did what across issues, with the history's fields, for auditors and district supervisors.</summary>
public sealed class AuditSearchTests(AppFixture app) : ApiTest(app)
{
    private static string Moment(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("yyyy-MM-ddTHH:mm:ss.fffffffzzz"));

    private static List<JsonElement> Items(Reply reply) => reply.Json.GetProperty("items").EnumerateArray().ToList();

    private static IEnumerable<string?> Field(IEnumerable<JsonElement> items, string name) => items.Select(i => i.GetProperty(name).GetString());

    [Fact]
    public async Task Acts_are_found_by_actor_unit_type_and_stored_time_with_every_history_field()
    {
        var first = await Collect();
        await Post($"/api/v1/issues/{first}/escalate", new { version = 1, departmentId = "housing", reason = "需区住建局统筹改造" }, "qicun-office", 200);
        await Task.Delay(20);
        var between = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        await Post($"/api/v1/issues/{first}/accept", new { version = 2, measures = "列入改造计划", responsibleOffice = "城建科", responsiblePerson = "王建国" }, "housing", 200);
        var second = await Collect(b => b["description"] = "路面坑洼");
        await Post($"/api/v1/issues/{second}/assign", new { version = 1, measures = "修补", responsibleOffice = "综治中心", responsiblePerson = "李明" }, "qicun-office", 200);

        var all = await Get("/api/v1/audit", "auditor", 200);
        Assert.Equal(5, all.Json.GetProperty("total").GetInt64());
        Assert.Equal((1, 50), (all.Json.GetProperty("page").GetInt32(), all.Json.GetProperty("pageSize").GetInt32()));
        var positions = Items(all).Select(i => i.GetProperty("position").GetInt64()).ToList();
        Assert.Equal(positions.Order(), positions);

        // The office's acts on both issues, each with the same fields as the issue's own history plus the issue id.
        var office = Items(await Get("/api/v1/audit?actor=qicun-office", "supervisor", 200));
        Assert.Equal(["issue_escalated.v1", "issue_assigned.v1"], Field(office, "type"));
        Assert.Equal([first.ToString(), second.ToString()], Field(office, "issueId"));
        var escalated = office[0];
        var history = (await Get($"/api/v1/issues/{first}/history", "auditor", 200)).Json.EnumerateArray().ElementAt(1);
        foreach (var property in history.EnumerateObject())
            Assert.Equal(property.Value.ToString(), escalated.GetProperty(property.Name).ToString());
        Assert.Equal(("town-office", "qicun", "需区住建局统筹改造"),
            (escalated.GetProperty("role").GetString(), escalated.GetProperty("actingUnitId").GetString(), escalated.GetProperty("reason").GetString()));
        Assert.Equal(2, escalated.GetProperty("version").GetInt64());
        Assert.True(escalated.GetProperty("position").GetInt64() > 0);
        Assert.False(string.IsNullOrEmpty(escalated.GetProperty("correlationId").GetString()));
        Assert.True(escalated.GetProperty("storedAt").GetDateTimeOffset() >= escalated.GetProperty("occurredAt").GetDateTimeOffset().AddMinutes(-1));

        // The acting unit is the actor's department or town.
        Assert.Equal(["issue_accepted.v1"], Field(Items(await Get("/api/v1/audit?unitId=housing", "auditor", 200)), "type"));
        Assert.Equal(4, Items(await Get("/api/v1/audit?unitId=qicun", "auditor", 200)).Count);
        // Filters combine; from/to are stored time.
        Assert.Equal(["issue_collected.v1"], Field(Items(await Get($"/api/v1/audit?unitId=qicun&from={Moment(between)}&actor=qicun-visitor", "auditor", 200)), "type"));
        Assert.Equal([first.ToString()], Field(Items(await Get($"/api/v1/audit?to={Moment(between)}&type=issue_collected.v1", "auditor", 200)), "issueId"));
        Assert.Equal(3, Items(await Get($"/api/v1/audit?from={Moment(between)}", "auditor", 200)).Count);
        var today = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd");
        Assert.Equal(5, (await Get($"/api/v1/audit?from={today}&to={today}", "admin", 200)).Json.GetProperty("total").GetInt64());
        Assert.Equal(0, (await Get("/api/v1/audit?to=2022-01-01", "admin", 200)).Json.GetProperty("total").GetInt64());
        Assert.Empty(Items(await Get("/api/v1/audit?actor=nobody", "auditor", 200)));
        Assert.Equal(0, (await Get("/api/v1/audit?actor=qicun-office&type=issue_accepted.v1", "auditor", 200)).Json.GetProperty("total").GetInt64());

        // Paged like the other lists.
        var page = await Get("/api/v1/audit?page=2&pageSize=2", "auditor", 200);
        Assert.Equal(5, page.Json.GetProperty("total").GetInt64());
        Assert.Equal(positions.Skip(2).Take(2), Items(page).Select(i => i.GetProperty("position").GetInt64()));
    }

    [Fact]
    public async Task Only_auditors_district_supervisors_and_admins_search_and_bad_filters_are_400()
    {
        foreach (var client in new[] { "qicun-office", "qicun-visitor", "housing", "qicun-leader" })
        {
            var refused = await Get("/api/v1/audit", client, 403);
            Assert.Equal(403, refused.Json.GetProperty("status").GetInt32());
        }
        await Get("/api/v1/audit", null, 401);

        var unknown = await Get("/api/v1/audit?type=issue_teleported.v1", "auditor", 400);
        Assert.Equal(["type"], unknown.ErrorFields);
        Assert.Contains("issue_teleported.v1", unknown.Text);
        Assert.Equal(["from", "to"], (await Get("/api/v1/audit?from=yesterday&to=2022-13-01", "auditor", 400)).ErrorFields.Order());
        Assert.Equal(["to"], (await Get("/api/v1/audit?from=2022-07-01&to=2022-06-01", "auditor", 400)).ErrorFields);
        Assert.Equal(["pageSize"], (await Get("/api/v1/audit?pageSize=1000", "auditor", 400)).ErrorFields);
        Assert.Equal(["actor"], (await Get($"/api/v1/audit?actor={new string('a', 300)}", "auditor", 400)).ErrorFields);
    }

    [Fact]
    public async Task The_schema_tools_create_the_indexes_the_search_filters_use()
    {
        await using var session = Store.QuerySession();
        var names = await session.QueryAsync<string>(
            "select indexname from pg_indexes where schemaname = 'rectify' and tablename = 'mt_events' and indexname like 'mt_events_audit_%' order by 1");
        Assert.Equal(["mt_events_audit_acting_unit", "mt_events_audit_actor", "mt_events_audit_timestamp", "mt_events_audit_type"], names);
        // Marten's own migration leaves them alone: nothing to change after the application's schema was applied.
        await Store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        Assert.Equal(4, (await session.QueryAsync<string>(
            "select indexname from pg_indexes where schemaname = 'rectify' and indexname like 'mt_events_audit_%'")).Count);

        // The filter expressions are the indexed ones: with sequential scans off the planner takes each index.
        await using var connection = new Npgsql.NpgsqlConnection(Store.Options.Tenancy.Default.Database.CreateConnection().ConnectionString);
        await connection.OpenAsync();
        async Task<string> Plan(string where)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"set enable_seqscan = off; explain select seq_id from rectify.mt_events where {where}";
            var lines = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            do { while (await reader.ReadAsync()) lines.Add(reader.GetString(0)); } while (await reader.NextResultAsync());
            return string.Join("\n", lines);
        }
        Assert.Contains("mt_events_audit_actor", await Plan($"{Rectify.Audit.AuditIndexes.ActorSql} = 'qicun-office'"));
        Assert.Contains("mt_events_audit_acting_unit", await Plan($"{Rectify.Audit.AuditIndexes.ActingUnitSql} = 'housing'"));
        Assert.Contains("mt_events_audit_timestamp", await Plan("timestamp >= now()"));
    }

    [Fact]
    public async Task On_a_seeded_campaign_the_search_counts_what_the_statistics_count()
    {
        const double scale = 0.01;
        var plan = new CampaignPlan(3, scale, Given.References, Given.Calendar);
        await CampaignSeeder.AppendAsync(Store, plan, _ => { }, CancellationToken.None);
        var planned = plan.Issues.SelectMany(i => i.Events).ToList();

        var closed = await Get("/api/v1/audit?type=issue_closed.v1&pageSize=200", "auditor", 200);
        Assert.Equal(planned.OfType<Rectify.Issues.IssueClosed>().Count(), closed.Json.GetProperty("total").GetInt64());
        Assert.True(Items(closed).Count > 0);
        var collected = (await Get("/api/v1/audit?type=issue_collected.v1", "auditor", 200)).Json.GetProperty("total").GetInt64();
        Assert.Equal(plan.Issues.Count, collected);

        // One town office's acts: every entry is its own, and the count is the campaign's.
        var expected = planned.OfType<Rectify.Issues.IIssueEvent>().Count(e => e.Actor.ClientName == "qicun-office");
        Assert.True(expected > 0);
        var office = await Get("/api/v1/audit?actor=qicun-office&unitId=qicun&pageSize=200", "auditor", 200);
        Assert.Equal(expected, office.Json.GetProperty("total").GetInt64());
        Assert.All(Items(office), i => Assert.Equal("qicun-office", i.GetProperty("actor").GetProperty("clientName").GetString()));
    }
}
