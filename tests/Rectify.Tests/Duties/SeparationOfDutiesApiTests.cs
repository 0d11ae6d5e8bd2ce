using Rectify.Issues.Closing;
using Rectify.Issues.Extending;
using Rectify.Issues.Feedback;
using Rectify.Tests.Support;

namespace Rectify.Tests.Duties;

/// <summary>The separation-of-duties refusals over HTTP: 403 problem details naming the rule, and nothing appended.</summary>
public sealed class SeparationOfDutiesApiTests(AppFixture app) : ApiTest(app)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private Task<Reply> Act(Guid id, string command, object body, string client, int expectedStatus = 200) =>
        Post($"/api/v1/issues/{id}/{command}", body, client, expectedStatus);

    /// <summary>A refusal that names its rule as a problem detail and leaves the store as it was.</summary>
    private async Task Refused(Guid id, string command, object body, string client, string rule)
    {
        var before = await StoredEventCount();
        var reply = await Act(id, command, body, client, 403);
        Assert.Equal("https://rectify.invalid/problems/forbidden", reply.Json.GetProperty("type").GetString());
        Assert.Contains(rule, reply.Json.GetProperty("detail").GetString());
        Assert.Equal(before, await StoredEventCount());
    }

    private async Task<Guid> ResolvedByTheQicunOffice()
    {
        App.Clock.Set(new DateTimeOffset(2022, 6, 13, 9, 0, 0, Beijing));
        var id = await Collect();
        await Act(id, "assign", new { version = 1, unitId = "qicun-governance", measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "qicun-office");
        await Act(id, "accept", new { version = 2 }, "qicun-office");
        await Act(id, "resolve", new { version = 3, outcome = "已更换灯具" }, "qicun-office");
        return id;
    }

    [Fact]
    public async Task The_office_that_resolved_an_issue_does_not_record_the_residents_satisfaction_nor_close_it()
    {
        var id = await ResolvedByTheQicunOffice();

        await Refused(id, "feedback", new { version = 4, satisfaction = "satisfied" }, "qicun-office", FeedbackDuties.NotTheOutcomeClient);
        await Act(id, "feedback", new { version = 4, satisfaction = "satisfied" }, "qicun-visitor");
        await Refused(id, "close", new { version = 5 }, "qicun-office", CloseDuties.NotTheOutcomeClient);
        Assert.Equal("closed", (await Act(id, "close", new { version = 5 }, "qicun-leader")).Status);

        var history = (await Get($"/api/v1/issues/{id}/history", "auditor", 200)).Json.EnumerateArray()
            .Select(e => (e.GetProperty("type").GetString(), e.GetProperty("actor").GetProperty("clientName").GetString())).ToList();
        Assert.Equal([("issue_resolved.v1", "qicun-office"), ("issue_feedback_recorded.v1", "qicun-visitor"), ("issue_closed.v1", "qicun-leader")], history[^3..]);
    }

    [Fact]
    public async Task The_department_that_explained_an_issue_does_not_judge_it_and_the_town_office_may()
    {
        App.Clock.Set(new DateTimeOffset(2022, 6, 13, 9, 0, 0, Beijing));
        var id = await Collect();
        await Tracked(() => Act(id, "escalate", new { version = 1, departmentId = "housing", reason = "r" }, "qicun-office"));
        await Act(id, "accept", new { version = 2, measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "housing");
        await Act(id, "explain", new { version = 3, explanation = "列入改造计划", milestones = new[] { new { dueDate = "2022-12-30", description = "完工" } } }, "housing");

        await Refused(id, "feedback", new { version = 4, satisfaction = "satisfied" }, "housing", FeedbackDuties.NotTheOutcomeClient);
        await Act(id, "feedback", new { version = 4, satisfaction = "basically-satisfied" }, "qicun-office");
        Assert.Equal("closed", (await Act(id, "close", new { version = 5 }, "qicun-office")).Status);
    }

    [Fact]
    public async Task A_town_office_can_no_longer_extend_its_own_deadline_to_any_date()
    {
        // The issue's reproduction: request-extension {"newDeadline":"2027-06-30"} then approve-extension with the same key.
        App.Clock.Set(new DateTimeOffset(2026, 12, 2, 9, 0, 0, Beijing));
        var id = await Collect();
        var assigned = await Act(id, "assign", new { version = 1, unitId = "qicun-governance", measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "qicun-office");
        var deadline = DateOnly.Parse(assigned.Json.GetProperty("deadline").GetString()!);

        var before = await StoredEventCount();
        var far = await Act(id, "request-extension", new { version = 2, newDeadline = "2027-06-30", reason = "需协调资金" }, "qicun-office", 422);
        Assert.Contains("Supervision:Extensions:MaxWorkingDays", far.Json.GetProperty("detail").GetString());
        Assert.Equal(before, await StoredEventCount());

        var within = deadline.AddDays(14).DayOfWeek switch { DayOfWeek.Saturday => deadline.AddDays(16), DayOfWeek.Sunday => deadline.AddDays(15), _ => deadline.AddDays(14) };
        await Act(id, "request-extension", new { version = 2, newDeadline = within.ToString("yyyy-MM-dd"), reason = "需协调资金" }, "qicun-office");
        await Refused(id, "approve-extension", new { version = 3 }, "qicun-office", ExtensionDuties.NotTheRequester);
        await Refused(id, "approve-extension", new { version = 3 }, "mengzhuang-office", ExtensionDuties.DecidedAbove);
        var approved = await Act(id, "approve-extension", new { version = 3 }, "qicun-leader");
        Assert.Equal(within.ToString("yyyy-MM-dd"), approved.Json.GetProperty("deadline").GetString());
    }

    [Fact]
    public async Task A_third_extension_in_one_stage_is_refused_naming_the_limit()
    {
        App.Clock.Set(new DateTimeOffset(2022, 6, 13, 9, 0, 0, Beijing)); // deadline Thursday 16 June
        var id = await Collect();
        await Act(id, "assign", new { version = 1, unitId = "qicun-governance", measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "qicun-office");
        await Act(id, "request-extension", new { version = 2, newDeadline = "2022-06-17", reason = "r" }, "qicun-office");
        await Act(id, "approve-extension", new { version = 3 }, "qicun-leader");
        await Act(id, "request-extension", new { version = 4, newDeadline = "2022-06-20", reason = "r" }, "qicun-office");
        await Act(id, "approve-extension", new { version = 5 }, "supervisor");

        var third = await Act(id, "request-extension", new { version = 6, newDeadline = "2022-06-21", reason = "r" }, "qicun-office", 422);

        Assert.Contains("At most 2 extensions per stage", third.Json.GetProperty("detail").GetString());
        Assert.Contains("Supervision:Extensions:MaxPerStage", third.Json.GetProperty("detail").GetString());
    }
}
