using System.Text.Json;
using Marten;
using Rectify.Routing;
using Rectify.Tests.Support;
using Wolverine.Tracking;

namespace Rectify.Tests.Routing;

/// <summary>Routing as messaging, end to end on the real host: cascades, unit-side handlers, inboxes, re-routing.</summary>
public sealed class RoutingApiTests(AppFixture app) : ApiTest(app)
{
    private static readonly DateTimeOffset FridayBeforeNationalDay = new(2022, 9, 30, 10, 0, 0, TimeSpan.FromHours(8));

    private Task<Reply> Act(Guid id, string command, object body, string client, int expectedStatus = 200) =>
        Post($"/api/v1/issues/{id}/{command}", body, client, expectedStatus);

    private async Task<List<JsonElement>> Inbox(string unitId, string client, string query = "")
    {
        var reply = await Get($"/api/v1/units/{unitId}/inbox{query}", client, 200);
        return reply.Json.GetProperty("items").EnumerateArray().ToList();
    }

    private async Task<Guid> Escalated(string departmentId = "housing")
    {
        var id = await Collect();
        await Tracked(() => Act(id, "escalate", new { version = 1, departmentId, reason = "镇级无法解决" }, "qicun-office"));
        return id;
    }

    [Fact]
    public async Task An_escalation_cascades_a_delivery_that_the_department_side_records_in_its_inbox()
    {
        App.Clock.Set(FridayBeforeNationalDay);
        var id = await Collect();

        var (tracked, reply) = await Tracked(() => Act(id, "escalate", new { version = 1, departmentId = "housing", reason = "需区住建局统筹" }, "qicun-office"));

        var delivery = tracked.Executed.SingleMessage<DeliverToDepartment>();
        Assert.Equal(id, delivery.IssueId);
        Assert.Equal("housing", delivery.DepartmentId);
        Assert.Empty(tracked.AllExceptions());
        Assert.Equal(2, reply.Version);

        var item = Assert.Single(await Inbox("housing", "housing"));
        Assert.Equal(id, item.GetProperty("issueId").GetGuid());
        Assert.Equal("escalated", item.GetProperty("status").GetString());
        Assert.Equal("2022-10-08", item.GetProperty("acceptBy").GetString());
        Assert.False(item.GetProperty("overdue").GetBoolean());
        Assert.Equal(2, (await Get($"/api/v1/issues/{id}", "admin", 200)).Version); // receipt does not move the version
    }

    [Fact]
    public async Task An_assignment_to_a_town_office_is_handled_on_the_town_side()
    {
        var id = await Collect();

        var (tracked, _) = await Tracked(() => Act(id, "assign", new { version = 1, unitId = "qicun-governance", measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "qicun-office"));

        Assert.Equal("qicun-governance", tracked.Executed.SingleMessage<DeliverToTownOffice>().UnitId);
        Assert.Empty(tracked.Executed.MessagesOf<DeliverToDepartment>());
        Assert.Equal("assigned", Assert.Single(await Inbox("qicun-governance", "qicun-office")).GetProperty("status").GetString());
        Assert.Empty(await Inbox("qicun-enforcement", "qicun-office"));
    }

    [Fact]
    public async Task Without_a_unit_the_routing_rules_choose_and_the_event_names_the_rule()
    {
        var id = await Collect(); // living-environment
        var assigned = await Act(id, "assign", new { version = 1, measures = "清理", responsibleOffice = "执法办", responsiblePerson = "赵强" }, "qicun-office");
        Assert.Equal("qicun-enforcement", assigned.Json.GetProperty("unitId").GetString());

        var escalated = await Act(id, "escalate", new { version = 2, reason = "需要部门协调" }, "qicun-office");
        Assert.Equal("housing", escalated.Json.GetProperty("unitId").GetString());

        var history = (await Get($"/api/v1/issues/{id}/history", "auditor", 200)).Json.EnumerateArray().ToList();
        Assert.Equal("living-environment-2022-05-27", history[1].GetProperty("data").GetProperty("ruleId").GetString());
        Assert.Equal("living-environment-2022-05-27", history[2].GetProperty("data").GetProperty("ruleId").GetString());
    }

    [Fact]
    public async Task The_same_delivery_handled_twice_stores_and_appends_nothing_the_second_time()
    {
        var id = await Escalated();
        var issue = await Get($"/api/v1/issues/{id}", "admin", 200);
        await using var query = Store.QuerySession();
        var routingId = (await query.Query<InboxEntry>().SingleAsync(e => e.IssueId == id)).Id;
        var first = await query.LoadAsync<InboxEntry>(routingId);
        App.Clock.Set(DateTimeOffset.UtcNow.AddDays(2)); // a redelivery that stored anything would show a later receipt

        // Two more envelopes carrying the same fact, as a retrying sender would produce.
        var again = new DeliverToDepartment(id, "housing", routingId, first!.ReceivedAt);
        var invoked = await Host.TrackActivity().InvokeMessageAndWaitAsync(again);
        var sent = await Host.TrackActivity().SendMessageAndWaitAsync(again);

        await using var after = Store.QuerySession();
        var entries = await after.Query<InboxEntry>().Where(e => e.IssueId == id).ToListAsync();
        Assert.Equal(first.ReceivedAt, Assert.Single(entries).ReceivedAt);
        Assert.Equal(first.AcceptBy, entries[0].AcceptBy);
        Assert.Equal(issue.Version, (await Get($"/api/v1/issues/{id}", "admin", 200)).Version);
        Assert.Empty(invoked.Scheduled.Envelopes());
        Assert.Empty(sent.Scheduled.Envelopes());
        Assert.Equal(2, invoked.Executed.MessagesOf<DeliverToDepartment>().Count() + sent.Executed.MessagesOf<DeliverToDepartment>().Count());
    }

    [Fact]
    public async Task A_late_delivery_of_a_replaced_routing_stores_nothing()
    {
        var id = await Collect();
        await Tracked(() => Act(id, "assign", new { version = 1, unitId = "qicun-governance", measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "qicun-office"));
        await Tracked(() => Act(id, "assign", new { version = 2, unitId = "transport", measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "qicun-office"));
        // The first assignment's delivery is held up: it reaches the town side only now, after the reassignment.
        var replaced = Rectify.Issues.RoutingIds.For(id, 2);
        await using (var session = Store.LightweightSession())
        {
            session.Delete<InboxEntry>(replaced);
            await session.SaveChangesAsync();
        }

        await Host.InvokeMessageAndWaitAsync(new DeliverToTownOffice(id, "qicun", "qicun-governance", replaced, DateTimeOffset.UtcNow));

        await using var query = Store.QuerySession();
        Assert.Null(await query.LoadAsync<InboxEntry>(replaced));
        Assert.Empty(await Inbox("qicun-governance", "qicun-office"));
        Assert.Single(await Inbox("transport", "transport"));
    }

    [Fact]
    public async Task The_inbox_puts_the_earliest_due_first_pages_and_flags_overdue_work()
    {
        App.Clock.Set(FridayBeforeNationalDay);
        var accepted = await Escalated();
        await Act(accepted, "accept", new { version = 2, measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "housing"); // deadline 2022-10-10
        var waiting = await Escalated(); // acceptance due 2022-10-08

        var items = await Inbox("housing", "housing");
        Assert.Equal([waiting, accepted], items.Select(i => i.GetProperty("issueId").GetGuid()));
        Assert.Equal(["2022-10-08", "2022-10-10"], items.Select(i => i.GetProperty("dueBy").GetString()));

        App.Clock.Set(new DateTimeOffset(2022, 10, 9, 9, 0, 0, TimeSpan.FromHours(8)));
        var later = await Get("/api/v1/units/housing/inbox?page=2&pageSize=1", "housing", 200);
        Assert.Equal(2, later.Json.GetProperty("total").GetInt64());
        var second = Assert.Single(later.Json.GetProperty("items").EnumerateArray());
        Assert.Equal(accepted, second.GetProperty("issueId").GetGuid());
        Assert.False(second.GetProperty("overdue").GetBoolean());
        Assert.True((await Inbox("housing", "housing", "?pageSize=1")).Single().GetProperty("overdue").GetBoolean());
    }

    [Fact]
    public async Task Before_acceptance_a_deadline_earlier_than_the_acceptance_date_is_what_is_due()
    {
        App.Clock.Set(FridayBeforeNationalDay);
        var waiting = await Escalated(); // acceptance due 2022-10-08, collected first
        var dueToday = await Collect();
        await Tracked(() => Act(dueToday, "assign", new { version = 1, unitId = "housing", deadline = "2022-09-30", measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "qicun-office"));

        var items = await Inbox("housing", "housing");
        Assert.Equal([dueToday, waiting], items.Select(i => i.GetProperty("issueId").GetGuid()));
        Assert.Equal(["2022-09-30", "2022-10-08"], items.Select(i => i.GetProperty("dueBy").GetString()));
        Assert.Equal("2022-10-08", items[0].GetProperty("acceptBy").GetString());

        App.Clock.Set(new DateTimeOffset(2022, 10, 1, 9, 0, 0, TimeSpan.FromHours(8)));
        Assert.Equal([true, false], (await Inbox("housing", "housing")).Select(i => i.GetProperty("overdue").GetBoolean()));
    }

    [Fact]
    public async Task Resolved_work_leaves_the_inbox()
    {
        var id = await Escalated();
        await Act(id, "accept", new { version = 2, measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "housing");
        await Act(id, "resolve", new { version = 3, outcome = "已修复" }, "housing");

        Assert.Empty(await Inbox("housing", "housing"));
    }

    [Fact]
    public async Task Inbox_requests_are_checked()
    {
        await Get("/api/v1/units/housing/inbox", "transport", 403);
        await Get("/api/v1/units/qicun-governance/inbox", "mengzhuang-office", 403);
        await Get("/api/v1/units/housing/inbox", "auditor", 200);
        await Get("/api/v1/units/nowhere/inbox", "admin", 404);
        await Get("/api/v1/units/housing/inbox", null, 401);
        var bad = await Get("/api/v1/units/housing/inbox?page=0&pageSize=500", "admin", 400);
        Assert.Equal(["page", "pageSize"], bad.ErrorFields.Order());
    }

    [Fact]
    public async Task A_department_asks_to_reroute_and_the_district_sends_it_to_another_department()
    {
        var id = await Escalated();

        var requested = await Act(id, "request-reroute", new { version = 2, reason = "属道路管理，应由区交通运输局办理" }, "housing");
        Assert.Equal("escalated", requested.Status);
        Assert.True(Assert.Single(await Inbox("housing", "housing")).GetProperty("rerouteRequested").GetBoolean());

        await Act(id, "reroute", new { version = 3, departmentId = "transport" }, "qicun-office", 403);
        var (tracked, rerouted) = await Tracked(() => Act(id, "reroute", new { version = 3, departmentId = "transport" }, "supervisor"));

        Assert.Equal("escalated", rerouted.Status);
        Assert.Equal("transport", rerouted.Json.GetProperty("unitId").GetString());
        Assert.Equal("transport", tracked.Executed.SingleMessage<DeliverToDepartment>().DepartmentId);
        Assert.Empty(await Inbox("housing", "housing"));
        Assert.Single(await Inbox("transport", "transport"));
        await Act(id, "accept", new { version = 4, measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "housing", 403);
        await Act(id, "accept", new { version = 4, measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "transport");
    }

    [Fact]
    public async Task The_district_may_refuse_and_the_department_keeps_the_issue()
    {
        var id = await Escalated();
        await Act(id, "reroute", new { version = 2, departmentId = "transport" }, "supervisor", 409); // nothing asked yet
        await Act(id, "request-reroute", new { version = 2, reason = "不属本局" }, "transport", 403);
        await Act(id, "request-reroute", new { version = 2, reason = "不属本局" }, "housing");
        await Act(id, "request-reroute", new { version = 3, reason = "再次申请" }, "housing", 409);
        await Act(id, "reroute", new { version = 3, departmentId = "housing" }, "supervisor", 422);

        var rejected = await Act(id, "reject-reroute", new { version = 3, reason = "属住建局职责，照单全收" }, "supervisor");

        Assert.Equal("escalated", rejected.Status);
        Assert.Equal("housing", rejected.Json.GetProperty("unitId").GetString());
        Assert.False(Assert.Single(await Inbox("housing", "housing")).GetProperty("rerouteRequested").GetBoolean());
        var types = (await Get($"/api/v1/issues/{id}/history", "auditor", 200)).Json.EnumerateArray().Select(e => e.GetProperty("type").GetString());
        Assert.Equal(["issue_collected.v1", "issue_escalated.v1", "issue_reroute_requested.v1", "issue_reroute_rejected.v1"], types);
    }

    [Fact]
    public async Task Routing_rules_are_published_with_their_dates()
    {
        var rules = (await Get("/api/v1/routing-rules", null, 200)).Json.EnumerateArray().ToList();

        var living = rules.Single(r => r.GetProperty("categoryId").GetString() == "living-environment");
        Assert.Equal("2022-05-27", living.GetProperty("effectiveFrom").GetString());
        Assert.Equal("enforcement", living.GetProperty("officeKind").GetString());
        Assert.Equal("housing", living.GetProperty("departmentId").GetString());
    }
}
