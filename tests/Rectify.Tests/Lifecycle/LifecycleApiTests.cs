using System.Text.Json;
using Rectify.Tests.Support;

namespace Rectify.Tests.Lifecycle;

/// <summary>The lifecycle over HTTP against real PostgreSQL: both walk-throughs and every error class.</summary>
public sealed class LifecycleApiTests(AppFixture app) : ApiTest(app)
{
    private static readonly DateTimeOffset FridayBeforeNationalDay = new(2022, 9, 30, 10, 0, 0, TimeSpan.FromHours(8));

    private async Task<Reply> Act(Guid id, string command, object body, string client, int expectedStatus = 200, Action<Alba.Scenario>? configure = null) =>
        await Post($"/api/v1/issues/{id}/{command}", body, client, expectedStatus, configure);

    private async Task<long> VersionOf(Guid id) => (await Get($"/api/v1/issues/{id}", "admin", 200)).Version;

    private static object Assignment(long version, string unitId = "qicun-governance") => new
    {
        version, unitId, measures = "更换路灯灯具", responsibleOffice = "综治中心", responsiblePerson = "李明"
    };

    [Fact]
    public async Task Assign_accept_resolve_feedback_close()
    {
        App.Clock.Set(FridayBeforeNationalDay.AddDays(-2));
        var id = await Collect();
        App.Clock.Set(FridayBeforeNationalDay);

        var assigned = await Act(id, "assign", Assignment(1), "qicun-office");
        Assert.Equal("assigned", assigned.Status);
        Assert.Equal("2022-10-10", assigned.Json.GetProperty("deadline").GetString());
        Assert.Equal("\"2\"", assigned.Header("ETag"));

        Assert.Equal("in-progress", (await Act(id, "accept", new { version = 2 }, "qicun-office")).Status);
        Assert.Equal("resolved", (await Act(id, "resolve", new { version = 3, outcome = "已更换灯具" }, "qicun-office")).Status);
        Assert.Equal("resolved", (await Act(id, "feedback", new { version = 4, satisfaction = "satisfied", comment = "很满意" }, "qicun-visitor")).Status);
        var closed = await Act(id, "close", new { version = 5 }, "qicun-leader");
        Assert.Equal("closed", closed.Status);
        Assert.Equal(6, closed.Version);

        var history = (await Get($"/api/v1/issues/{id}/history", "auditor", 200)).Json.EnumerateArray().ToList();
        Assert.Equal(
            ["issue_collected.v1", "issue_assigned.v1", "issue_accepted.v1", "issue_resolved.v1", "issue_feedback_recorded.v1", "issue_closed.v1"],
            history.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(["qicun-visitor", "qicun-office", "qicun-office", "qicun-office", "qicun-visitor", "qicun-leader"],
            history.Select(e => e.GetProperty("actor").GetProperty("clientName").GetString()));
    }

    [Fact]
    public async Task Escalate_accept_explain_feedback_close_keeps_the_milestones()
    {
        App.Clock.Set(FridayBeforeNationalDay);
        var id = await Collect();

        var escalated = await Act(id, "escalate", new { version = 1, departmentId = "housing", reason = "需区住建局统筹改造" }, "qicun-office");
        Assert.Equal("escalated", escalated.Status);
        Assert.Equal("housing", escalated.Json.GetProperty("unitId").GetString());

        var accepted = await Act(id, "accept", new { version = 2, measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "housing");
        Assert.Equal("2022-10-10", accepted.Json.GetProperty("deadline").GetString());

        await Act(id, "explain", new
        {
            version = 3,
            explanation = "老旧小区改造已列入明年计划",
            milestones = new[] { new { dueDate = "2022-12-30", description = "完成设计" }, new { dueDate = "2023-06-30", description = "完工" } }
        }, "housing");
        await Act(id, "feedback", new { version = 4, satisfaction = "basically-satisfied" }, "qicun-office");
        await Act(id, "close", new { version = 5 }, "qicun-office");

        var issue = await Get($"/api/v1/issues/{id}", "auditor", 200);
        Assert.Equal("closed", issue.Status);
        Assert.Equal("explained", issue.Json.GetProperty("outcome").GetString());
        Assert.Equal(["2022-12-30", "2023-06-30"], issue.Json.GetProperty("milestones").EnumerateArray().Select(m => m.GetProperty("dueDate").GetString()));
    }

    [Fact]
    public async Task Dissatisfaction_sends_it_back_to_work_and_a_return_clears_the_unit()
    {
        var id = await Collect();
        await Act(id, "assign", Assignment(1), "qicun-office");
        var returned = await Act(id, "return", new { version = 2, reason = "不属本办职责" }, "qicun-office");
        Assert.Equal("collected", returned.Status);
        Assert.Equal(JsonValueKind.Null, returned.Json.GetProperty("unitId").ValueKind);

        await Act(id, "assign", Assignment(3, "qicun-enforcement"), "qicun-office");
        await Act(id, "accept", new { version = 4 }, "qicun-office");
        await Act(id, "resolve", new { version = 5, outcome = "已清理" }, "qicun-office");
        var reworked = await Act(id, "feedback", new { version = 6, satisfaction = "dissatisfied", comment = "没有清理干净" }, "qicun-visitor");

        Assert.Equal("in-progress", reworked.Status);
        Assert.Equal(8, reworked.Version);
        var issue = await Get($"/api/v1/issues/{id}", "admin", 200);
        Assert.Equal(1, issue.Json.GetProperty("reworkCount").GetInt32());
        Assert.Equal(1, issue.Json.GetProperty("returnCount").GetInt32());
    }

    [Fact]
    public async Task A_command_not_allowed_now_is_409_naming_the_state_and_the_allowed_commands()
    {
        var id = await Collect();

        var reply = await Act(id, "resolve", new { version = 1, outcome = "x" }, "admin", 409);

        Assert.Equal("collected", reply.Json.GetProperty("currentStatus").GetString());
        Assert.Equal(["resolve-on-spot", "assign", "escalate"], reply.Json.GetProperty("allowedCommands").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(1, await VersionOf(id));
    }

    [Fact]
    public async Task Returning_an_escalated_issue_is_409()
    {
        var id = await Collect();
        await Act(id, "escalate", new { version = 1, departmentId = "housing", reason = "r" }, "qicun-office");

        var reply = await Act(id, "return", new { version = 2, reason = "不归我们" }, "housing", 409);

        Assert.Equal("escalated", reply.Json.GetProperty("currentStatus").GetString());
        Assert.Equal(2, await VersionOf(id));
    }

    [Fact]
    public async Task Missing_fields_are_400_naming_each_one()
    {
        var id = await Collect();

        var reply = await Act(id, "assign", new { deadline = "soon" }, "qicun-office", 400);

        Assert.Equal(["deadline", "measures", "responsibleOffice", "responsiblePerson", "version"], reply.ErrorFields.Order());
        Assert.Equal(1, await VersionOf(id));
    }

    [Fact]
    public async Task Explaining_needs_a_milestone_after_today()
    {
        App.Clock.Set(FridayBeforeNationalDay);
        var id = await Collect();
        await Act(id, "escalate", new { version = 1, departmentId = "housing", reason = "r" }, "qicun-office");
        await Act(id, "accept", new { version = 2, measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "housing");

        var past = await Act(id, "explain", new { version = 3, explanation = "e", milestones = new[] { new { dueDate = "2022-09-30", description = "d" } } }, "housing", 400);
        var malformed = await Act(id, "explain", new { version = 3, explanation = "e", milestones = new object[] { new { dueDate = "tomorrow" } } }, "housing", 400);

        Assert.Equal(["milestones"], past.ErrorFields);
        Assert.Equal(["milestones[0].description", "milestones[0].dueDate"], malformed.ErrorFields.Order());
    }

    [Fact]
    public async Task Unknown_issue_is_404_and_malformed_id_is_400()
    {
        await Act(Guid.NewGuid(), "accept", new { version = 1 }, "admin", 404);
        var malformed = await Post("/api/v1/issues/not-an-id/accept", new { version = 1 }, "admin", 400);
        Assert.Equal(["id"], malformed.ErrorFields);
    }

    [Fact]
    public async Task A_unit_that_does_not_hold_the_issue_is_403()
    {
        var id = await Collect();
        await Act(id, "assign", Assignment(1, "transport"), "qicun-office");

        var reply = await Act(id, "accept", new { version = 2, measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "housing", 403);

        Assert.Contains("transport", reply.Json.GetProperty("detail").GetString());
        Assert.Equal(2, await VersionOf(id));
    }

    [Fact]
    public async Task Another_towns_office_is_422()
    {
        var id = await Collect();

        var reply = await Act(id, "assign", Assignment(1, "mengzhuang-governance"), "qicun-office", 422);

        Assert.Equal(["unitId"], reply.ErrorFields);
    }

    [Fact]
    public async Task A_stale_body_version_is_409_and_a_stale_if_match_is_412()
    {
        var id = await Collect();
        await Act(id, "assign", Assignment(1), "qicun-office");

        var stale = await Act(id, "accept", new { version = 1 }, "qicun-office", 409);
        Assert.Equal(2, stale.Json.GetProperty("currentVersion").GetInt64());
        Assert.Equal("assigned", stale.Json.GetProperty("currentStatus").GetString());
        Assert.EndsWith("/stale-version", stale.Json.GetProperty("type").GetString());

        // A version the issue never had is not stale: it is named for what it is, body and If-Match alike.
        var ahead = await Act(id, "accept", new { version = 7 }, "qicun-office", 409);
        Assert.EndsWith("/version-ahead", ahead.Json.GetProperty("type").GetString());
        Assert.Contains("version 7 is ahead of the issue, which is at version 2", ahead.Json.GetProperty("detail").GetString());
        var aheadIfMatch = await Act(id, "accept", new { }, "qicun-office", 412, s => s.WithRequestHeader("If-Match", "\"9\""));
        Assert.EndsWith("/version-ahead", aheadIfMatch.Json.GetProperty("type").GetString());
        Assert.Equal(2, await VersionOf(id));

        await Act(id, "accept", new { }, "qicun-office", 412, s => s.WithRequestHeader("If-Match", "\"1\""));
        Assert.Equal(2, await VersionOf(id));

        var etag = (await Get($"/api/v1/issues/{id}", "admin", 200)).Header("ETag")!;
        var list = await Act(id, "accept", new { }, "qicun-office", 400, s => s.WithRequestHeader("If-Match", $"\"1\", {etag}"));
        Assert.Equal(["If-Match"], list.ErrorFields);
        var malformed = await Act(id, "accept", new { }, "qicun-office", 400, s => s.WithRequestHeader("If-Match", "version-two"));
        Assert.Equal(["If-Match"], malformed.ErrorFields);

        var accepted = await Act(id, "accept", new { }, "qicun-office", 200, s => s.WithRequestHeader("If-Match", etag));
        Assert.Equal("in-progress", accepted.Status);
    }

    [Fact]
    public async Task Checks_run_in_the_documented_order()
    {
        var id = await Collect();
        await Act(id, "assign", Assignment(1, "transport"), "qicun-office");

        // 400 before 404: a bad body on an unknown issue
        await Act(Guid.NewGuid(), "return", new { version = 1 }, "housing", 400);
        // 404 before 403: an auditor may accept nothing, yet an unknown issue is 404
        await Act(Guid.NewGuid(), "accept", new { version = 1 }, "auditor", 404);
        await Act(id, "accept", new { version = 2 }, "auditor", 403);
        // 403 before a stale version
        await Act(id, "accept", new { version = 1, measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "housing", 403);
        // a stale version before the state check
        var stale = await Act(id, "resolve", new { version = 1, outcome = "o" }, "transport", 409);
        Assert.Contains("stale", stale.Json.GetProperty("type").GetString());
        // 401 before everything
        await Act(Guid.NewGuid(), "accept", "", null!, 401);
    }

    [Fact]
    public async Task After_an_unreachable_resident_only_a_district_supervisor_closes()
    {
        var id = await Collect();
        await Act(id, "escalate", new { version = 1, departmentId = "housing", reason = "r" }, "qicun-office");
        await Act(id, "accept", new { version = 2, measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "housing");
        await Act(id, "resolve", new { version = 3, outcome = "o" }, "housing");
        await Act(id, "feedback", new { version = 4, satisfaction = "unreachable" }, "qicun-office");

        await Act(id, "close", new { version = 5 }, "qicun-office", 403);
        Assert.Equal("closed", (await Act(id, "close", new { version = 5 }, "supervisor")).Status);
    }

    [Fact]
    public async Task Resolving_on_the_spot_is_terminal()
    {
        var id = await Collect();

        Assert.Equal("resolved-on-spot", (await Act(id, "resolve-on-spot", new { version = 1, outcome = "当场协调" }, "qicun-visitor")).Status);
        var reply = await Act(id, "assign", Assignment(2), "qicun-office", 409);
        Assert.Empty(reply.Json.GetProperty("allowedCommands").EnumerateArray());
    }

    [Fact]
    public async Task A_back_filled_act_keeps_its_domain_time_and_may_not_predate_the_history()
    {
        var collectedAt = new DateTimeOffset(2022, 6, 1, 9, 0, 0, TimeSpan.FromHours(8));
        var id = await Collect(b => b["collectedAt"] = collectedAt.ToString("O"));

        var early = await Act(id, "assign", new { version = 1, unitId = "qicun-governance", measures = "m", responsibleOffice = "o", responsiblePerson = "p", occurredAt = "2022-05-31T09:00:00+08:00" }, "qicun-office", 422);
        Assert.Equal(["occurredAt"], early.ErrorFields);

        var assigned = await Act(id, "assign", new { version = 1, unitId = "qicun-governance", measures = "m", responsibleOffice = "o", responsiblePerson = "p", occurredAt = "2022-06-01T15:00:00+08:00" }, "qicun-office");
        Assert.Equal("2022-06-07", assigned.Json.GetProperty("deadline").GetString()); // Dragon Boat 3-5 June off
    }

    [Fact]
    public async Task Two_racing_commands_on_the_same_version_append_once_and_the_loser_gets_409()
    {
        var id = await Collect();
        await Act(id, "assign", Assignment(1), "qicun-office");

        var statuses = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            var result = await Host.Scenario(s =>
            {
                s.Post.Json(new { version = 2, note = $"进展 {i}" }).ToUrl($"/api/v1/issues/{id}/progress");
                s.WithRequestHeader("Authorization", $"Bearer {App.Keys["qicun-office"]}");
                s.IgnoreStatusCode();
            });
            return result.Context.Response.StatusCode;
        }));

        Assert.Equal(1, statuses.Count(s => s == 200));
        Assert.All(statuses.Where(s => s != 200), s => Assert.Equal(409, s));
        Assert.Equal(3, await VersionOf(id));
    }

    [Theory]
    [InlineData("resolve-on-spot")] [InlineData("assign")] [InlineData("accept")] [InlineData("return")] [InlineData("escalate")]
    [InlineData("progress")] [InlineData("resolve")] [InlineData("explain")] [InlineData("feedback")] [InlineData("close")]
    [InlineData("request-reroute")] [InlineData("reroute")] [InlineData("reject-reroute")]
    [InlineData("request-extension")] [InlineData("approve-extension")] [InlineData("reject-extension")]
    public async Task Every_command_without_a_key_is_401_and_appends_nothing(string command)
    {
        var id = await Collect();

        await Act(id, command, new { version = 1 }, null!, 401);

        Assert.Equal(1, await VersionOf(id));
    }

    [Theory]
    [InlineData("request-extension", """{"version":1}""", "newDeadline,reason")]
    [InlineData("request-extension", """{"version":1,"newDeadline":"soon","reason":"需采购"}""", "newDeadline")]
    [InlineData("approve-extension", "{}", "version")]
    [InlineData("reject-extension", """{"version":1}""", "reason")]
    [InlineData("request-reroute", """{"version":1,"reason":" "}""", "reason")]
    [InlineData("reroute", """{"version":1,"reason":"r"}""", "departmentId")]
    [InlineData("reroute", """{"version":1,"departmentId":"nowhere"}""", "departmentId")]
    [InlineData("reject-reroute", """{"version":1}""", "reason")]
    public async Task Extension_and_rerouting_requests_with_bad_fields_are_400_naming_them(string command, string body, string fields)
    {
        var id = await Collect();

        var reply = await Post($"/api/v1/issues/{id}/{command}", body, "supervisor", 400);

        Assert.Equal(fields.Split(','), reply.ErrorFields.Order());
        Assert.Equal(1, await VersionOf(id));
    }

    [Fact]
    public async Task Unknown_units_and_departments_and_overlong_text_are_400()
    {
        var id = await Collect();

        var unit = await Act(id, "assign", new { version = 1, unitId = "nowhere", measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "qicun-office", 400);
        var department = await Act(id, "escalate", new { version = 1, departmentId = "nowhere", reason = new string('因', 2001) }, "qicun-office", 400);

        Assert.Equal(["unitId"], unit.ErrorFields);
        Assert.Equal(["departmentId", "reason"], department.ErrorFields.Order());
        Assert.Equal(1, await VersionOf(id));
    }

    [Fact]
    public async Task Accepting_an_issue_nobody_holds_is_409_naming_the_state()
    {
        var id = await Collect();

        var reply = await Act(id, "accept", new { version = 1, measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "housing", 409);

        Assert.Equal("collected", reply.Json.GetProperty("currentStatus").GetString());
    }

    [Fact]
    public async Task Duplicate_keys_and_broken_text_are_400_not_500()
    {
        var id = await Collect();

        var duplicate = await Post($"/api/v1/issues/{id}/progress", """{"version":1,"note":"a","note":"b"}""", "qicun-office", 400);
        var surrogate = await Post($"/api/v1/issues/{id}/progress", """{"version":1,"note":"\ud800"}""", "qicun-office", 400);
        var collect = await Post("/api/v1/issues", """{"townId":"qicun","townId":"mengzhuang"}""", "admin", 400);

        Assert.Equal(["body"], duplicate.ErrorFields);
        Assert.Equal(["note"], surrogate.ErrorFields);
        Assert.Equal(["body"], collect.ErrorFields);
        Assert.Equal(1, await VersionOf(id));
    }

    [Fact]
    public async Task A_write_that_loses_a_race_inside_the_store_is_409_or_412_with_if_match()
    {
        var handler = new Rectify.Infrastructure.ConcurrencyConflicts(
            Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Microsoft.AspNetCore.Http.IProblemDetailsService>(Host.Services));
        var exception = new JasperFx.Events.EventStreamUnexpectedMaxEventIdException(Guid.NewGuid(), typeof(Rectify.Issues.Issue), 2, 3);

        async Task<int> StatusFor(string? ifMatch)
        {
            var http = new Microsoft.AspNetCore.Http.DefaultHttpContext { RequestServices = Host.Services };
            http.Response.Body = new MemoryStream();
            if (ifMatch is not null) http.Request.Headers.IfMatch = ifMatch;
            Assert.True(await handler.TryHandleAsync(http, exception, CancellationToken.None));
            return http.Response.StatusCode;
        }

        Assert.Equal(409, await StatusFor(null));
        Assert.Equal(412, await StatusFor("\"2\""));
        Assert.False(await handler.TryHandleAsync(new Microsoft.AspNetCore.Http.DefaultHttpContext(), new InvalidOperationException(), CancellationToken.None));
    }

    [Fact]
    public async Task Dates_out_of_range_control_characters_and_huge_pages_are_400_not_500()
    {
        var id = await Collect();

        var farDeadline = await Act(id, "assign", new { version = 1, unitId = "qicun-governance", measures = "m", responsibleOffice = "o", responsiblePerson = "p", deadline = "9999-12-31" }, "qicun-office", 400);
        var nul = await Act(id, "progress", new { version = 1, note = "a\u0000b" }, "qicun-office", 400);

        Assert.Equal(["deadline"], farDeadline.ErrorFields);
        Assert.Equal(["note"], nul.ErrorFields);
        Assert.Equal(["asOf"], (await Get("/api/v1/statistics?asOf=9999-12-31", "auditor", 400)).ErrorFields);
        Assert.Equal(["page"], (await Get("/api/v1/issues?page=2147483647&pageSize=200", "auditor", 400)).ErrorFields);
        Assert.Equal(["q"], (await Get("/api/v1/issues?q=%00", "auditor", 400)).ErrorFields);
        await Get("/api/v1/issues?page=abc", "auditor", 400);
        Assert.Equal(1, await VersionOf(id));
    }
}
