using System.Text.Json;
using Rectify.Tests.Support;

namespace Rectify.Tests.Lifecycle;

/// <summary>
/// A department accepting an escalated issue names its measures, responsible office and person (整改措施, 责任科室, 责任人);
/// the holding unit changes them later with /plan; every read of the issue shows them.
/// </summary>
public sealed class EscalationPlanTests(AppFixture app) : ApiTest(app)
{
    private static readonly DateTimeOffset June1 = new(2022, 6, 1, 9, 0, 0, TimeSpan.FromHours(8));

    private Task<Reply> Act(Guid id, string command, object body, string client, int expectedStatus = 200) =>
        Post($"/api/v1/issues/{id}/{command}", body, client, expectedStatus);

    private static (string?, string?, string?) Plan(JsonElement row) =>
        (row.GetProperty("measures").GetString(), row.GetProperty("responsibleOffice").GetString(), row.GetProperty("responsiblePerson").GetString());

    private async Task<Guid> Escalated()
    {
        App.Clock.Set(June1);
        var id = await Collect();
        await Act(id, "escalate", new { version = 1, departmentId = "housing", reason = "镇级无力承担整体翻修" }, "qicun-office");
        return id;
    }

    [Fact]
    public async Task Accepting_an_escalation_without_measures_office_or_person_is_a_400_naming_each_and_stores_nothing()
    {
        var id = await Escalated();
        var before = await StoredEventCount();

        var missing = await Act(id, "accept", new { version = 2 }, "housing", 400);
        Assert.Equal(["measures", "responsibleOffice", "responsiblePerson"], missing.ErrorFields.Order());
        var partly = await Act(id, "accept", new { version = 2, measures = "整体翻修", responsibleOffice = "" }, "housing", 400);
        Assert.Equal(["responsibleOffice", "responsiblePerson"], partly.ErrorFields.Order());

        Assert.Equal(before, await StoredEventCount());
        Assert.Equal("escalated", (await Get($"/api/v1/issues/{id}", "admin", 200)).Status);
    }

    [Fact]
    public async Task The_departments_plan_is_on_the_issue_every_ledger_search_and_export()
    {
        var id = await Escalated();
        await Act(id, "accept", new { version = 2, measures = "列入老旧小区改造计划", responsibleOffice = "城建科", responsiblePerson = "王建国" }, "housing");

        var plan = ("列入老旧小区改造计划", "城建科", "王建国");
        Assert.Equal(plan, Plan((await Get($"/api/v1/issues/{id}", "auditor", 200)).Json));
        var department = (await Get("/api/v1/ledgers/departments/housing", "auditor", 200)).Json;
        Assert.Equal(plan, Plan(Assert.Single(department.GetProperty("items").EnumerateArray())));
        var domain = (await Get("/api/v1/ledgers/domains/living-environment", "auditor", 200)).Json;
        Assert.Equal(plan, Plan(Assert.Single(domain.GetProperty("ledger").GetProperty("items").EnumerateArray())));
        var search = (await Get("/api/v1/issues?unitId=housing", "auditor", 200)).Json;
        Assert.Equal(plan, Plan(Assert.Single(search.GetProperty("items").EnumerateArray())));
        var town = (await Get("/api/v1/ledgers/towns/qicun/2022-06-01", "auditor", 200)).Json;
        Assert.Equal(plan, Plan(Assert.Single(town.GetProperty("items").EnumerateArray())));

        var csv = (await Get("/api/v1/ledgers/departments/housing?format=csv", "auditor", 200)).Text.Split("\r\n");
        var header = csv[0].TrimStart('\uFEFF').Split(',');
        var row = csv[1].Split(',');
        Assert.Equal(plan, (row[Array.IndexOf(header, "整改措施")], row[Array.IndexOf(header, "责任科室")], row[Array.IndexOf(header, "责任人")]));
    }

    [Fact]
    public async Task The_holding_unit_changes_its_plan_later_and_the_history_shows_each_change()
    {
        var id = await Escalated();
        await Act(id, "accept", new { version = 2, measures = "整体翻修", responsibleOffice = "城建科", responsiblePerson = "王建国" }, "housing");

        var changed = await Act(id, "plan", new { version = 3, responsiblePerson = "李强" }, "housing");
        Assert.Equal(("in-progress", 4L), (changed.Status, changed.Version));
        Assert.Equal(("整体翻修", "城建科", "李强"), Plan((await Get($"/api/v1/issues/{id}", "auditor", 200)).Json));
        await Act(id, "plan", new { version = 4, measures = "分两期翻修", responsibleOffice = "物业科" }, "housing");
        var row = Assert.Single((await Get("/api/v1/ledgers/departments/housing", "auditor", 200)).Json.GetProperty("items").EnumerateArray());
        Assert.Equal(("分两期翻修", "物业科", "李强"), Plan(row));

        var history = (await Get($"/api/v1/issues/{id}/history", "auditor", 200)).Json.EnumerateArray().ToList();
        Assert.Equal(["issue_collected.v1", "issue_escalated.v1", "issue_accepted.v1", "issue_plan_changed.v1", "issue_plan_changed.v1"],
            history.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal("王建国", history[2].GetProperty("data").GetProperty("responsiblePerson").GetString());
        Assert.Equal("李强", history[3].GetProperty("data").GetProperty("responsiblePerson").GetString());
        Assert.Equal("housing", history[4].GetProperty("actor").GetProperty("clientName").GetString());
    }

    [Fact]
    public async Task A_plan_change_takes_the_checked_path_of_every_command()
    {
        var id = await Escalated();
        // Not yet accepted: the state is named.
        var early = await Act(id, "plan", new { version = 2, measures = "m" }, "housing", 409);
        Assert.Equal("escalated", early.Json.GetProperty("currentStatus").GetString());
        await Act(id, "accept", new { version = 2, measures = "整体翻修", responsibleOffice = "城建科", responsiblePerson = "王建国" }, "housing");

        Assert.Equal(["measures"], (await Act(id, "plan", new { version = 3 }, "housing", 400)).ErrorFields);
        Assert.Equal(["responsiblePerson"], (await Act(id, "plan", new { version = 3, responsiblePerson = new string('x', 51) }, "housing", 400)).ErrorFields);
        await Act(id, "plan", new { version = 3, measures = "m" }, "transport", 403);
        var stale = await Act(id, "plan", new { version = 2, measures = "m" }, "housing", 409);
        Assert.Equal(3, stale.Json.GetProperty("currentVersion").GetInt64());
        await Act(id, "plan", new { version = 3, measures = "整体翻修" }, "housing", 422);
        await Post($"/api/v1/issues/{id}/plan", new { measures = "m" }, "housing", 412, s => s.WithRequestHeader("If-Match", "\"2\""));
        await Post($"/api/v1/issues/{id}/plan", new { measures = "m" }, "housing", 200, s => s.WithRequestHeader("If-Match", "\"3\""));
        await Post($"/api/v1/issues/{Guid.NewGuid()}/plan", new { version = 1, measures = "m" }, "admin", 404);

        await Act(id, "resolve", new { version = 4, outcome = "已翻修" }, "housing");
        await Act(id, "feedback", new { version = 5, satisfaction = "satisfied" }, "qicun-office");
        await Act(id, "close", new { version = 6 }, "qicun-office");
        var closed = await Act(id, "plan", new { version = 7, measures = "再修" }, "housing", 409);
        Assert.Equal("closed", closed.Json.GetProperty("currentStatus").GetString());
    }

    [Fact]
    public async Task An_assignments_acceptance_keeps_the_towns_plan_and_ignores_the_fields()
    {
        App.Clock.Set(June1);
        var id = await Collect();
        await Act(id, "assign", new { version = 1, unitId = "qicun-governance", measures = "更换灯具", responsibleOffice = "综治中心", responsiblePerson = "李明" }, "qicun-office");
        await Act(id, "accept", new { version = 2, measures = "别的", responsibleOffice = "别的", responsiblePerson = "别的" }, "qicun-office");
        await Act(id, "accept", new { version = 2 }, "qicun-office", 409);
        Assert.Equal(("更换灯具", "综治中心", "李明"), Plan((await Get($"/api/v1/issues/{id}", "auditor", 200)).Json));
    }
}
