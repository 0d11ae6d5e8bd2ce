using System.Text.Json;
using Rectify.Issues;
using Rectify.Routing;
using Rectify.Supervision;
using Rectify.Tests.Support;
using Wolverine.Tracking;

namespace Rectify.Tests.Supervision;

/// <summary>
/// No unsupervised work, over HTTP: what a town collected or got back is in its inbox "to assign"; when it waits too
/// long the scheduled check (played through tracked sessions) puts it on the overdue list and notifies the town,
/// then the district.
/// </summary>
public sealed class AssignmentApiTests(AppFixture app) : ApiTest(app)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Monday = new(2022, 6, 13, 9, 0, 0, Beijing);

    private async Task<ITrackedSession> Play(CheckClock check) =>
        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(30)).InvokeMessageAndWaitAsync(check);

    private static CheckClock AssignmentCheck(ITrackedSession tracked) =>
        tracked.Scheduled.Envelopes().Select(e => e.Message).OfType<CheckClock>().Single(c => c.Clock == SupervisionClock.Assignment);

    private async Task<List<JsonElement>> Items(string url, string client) =>
        (await Get(url, client, 200)).Json.GetProperty("items").EnumerateArray().ToList();

    private async Task<List<JsonElement>> Overdue() =>
        (await Get("/api/v1/supervision/overdue", "supervisor", 200)).Json.GetProperty("units").EnumerateArray()
            .SelectMany(u => u.GetProperty("items").EnumerateArray().Select(i => i)).ToList();

    [Fact]
    public async Task A_wait_to_assign_that_ends_in_a_year_without_a_holiday_notice_is_provisional_in_the_towns_inbox()
    {
        // Collected on Thursday 31 December 2026: due on the next working day, in 2027, whose notice is not entered.
        App.Clock.Set(new DateTimeOffset(2026, 12, 31, 10, 0, 0, Beijing));
        await Tracked(() => Post("/api/v1/issues", NewIssue(), "qicun-visitor", 201));

        var waiting = Assert.Single(await Items("/api/v1/units/qicun/inbox", "qicun-office"));
        Assert.Equal("2027-01-01", waiting.GetProperty("dueBy").GetString());
        Assert.True(waiting.GetProperty("provisional").GetBoolean());
    }

    [Fact]
    public async Task An_issue_collected_and_left_unassigned_is_to_assign_then_overdue_and_its_town_then_the_district_are_notified()
    {
        App.Clock.Set(Monday);
        // Collected on Monday 6 June, entered a week later: its assignment was due by the end of Tuesday 7 June.
        var (collected, created) = await Tracked(() => Post("/api/v1/issues", NewIssue(b => b["collectedAt"] = "2022-06-06T10:00:00+08:00"), "qicun-visitor", 201));
        var id = created.Json.GetProperty("id").GetGuid();
        var check = AssignmentCheck(collected);
        Assert.Equal(new DateOnly(2022, 6, 7), check.DueDate);
        // Entered after the fact: judged only after a grace for entering its assignment, not at once.
        Assert.Equal(Monday + AssignmentClock.BackfillGrace, collected.Scheduled.Envelopes().Single(e => e.Message is CheckClock).ScheduledTime);

        var waiting = Assert.Single(await Items("/api/v1/units/qicun/inbox", "qicun-office"));
        Assert.Equal(id, waiting.GetProperty("issueId").GetGuid());
        Assert.Equal("to-assign", waiting.GetProperty("kind").GetString());
        Assert.Equal("collected", waiting.GetProperty("status").GetString());
        Assert.Equal("2022-06-07", waiting.GetProperty("dueBy").GetString());
        Assert.Equal(JsonValueKind.Null, waiting.GetProperty("acceptBy").ValueKind);
        Assert.False(waiting.GetProperty("provisional").GetBoolean()); // 2022's notice is in the calendar
        Assert.True(waiting.GetProperty("overdue").GetBoolean());
        Assert.Equal(0, waiting.GetProperty("supervisionLevel").GetInt32());

        var first = await Play(check);

        Assert.Equal(["qicun"], first.Executed.MessagesOf<NoticeToTown>().Select(n => n.Notice.RecipientId));
        Assert.Empty(first.Executed.MessagesOf<NoticeToDistrict>());
        var notice = Assert.Single(await Items("/api/v1/units/qicun/notices", "qicun-office"));
        Assert.Equal(("assignment", 1, "2022-06-07"), (notice.GetProperty("clock").GetString(), notice.GetProperty("level").GetInt32(), notice.GetProperty("dueDate").GetString()));
        Assert.Equal("2022-06-08T00:00:00+08:00", notice.GetProperty("notifiedAt").GetString());

        var report = (await Get("/api/v1/supervision/overdue", "qicun-office", 200)).Json;
        var unit = Assert.Single(report.GetProperty("units").EnumerateArray());
        Assert.Equal(("qicun", "齐村镇"), (unit.GetProperty("unitId").GetString(), unit.GetProperty("unitName").GetString()));
        var item = Assert.Single(unit.GetProperty("items").EnumerateArray());
        Assert.Equal(id, item.GetProperty("issueId").GetGuid());
        Assert.Equal("assignment", item.GetProperty("clock").GetString());
        Assert.Equal("collected", item.GetProperty("status").GetString());
        Assert.Equal(4, item.GetProperty("workingDaysOverdue").GetInt32()); // 8, 9, 10 and 13 June
        // The filters narrow the list within the caller's scope; an unknown one is a 400, another town's a 403.
        int Total(Reply r) => r.Json.GetProperty("total").GetInt32();
        Assert.Equal(1, Total(await Get("/api/v1/supervision/overdue?townId=qicun", "supervisor", 200)));
        Assert.Equal(1, Total(await Get("/api/v1/supervision/overdue?unitId=qicun", "qicun-office", 200)));
        Assert.Equal(0, Total(await Get("/api/v1/supervision/overdue?townId=mengzhuang", "supervisor", 200)));
        Assert.Equal(0, Total(await Get("/api/v1/supervision/overdue?unitId=qicun-governance", "supervisor", 200)));
        Assert.Equal(["townId"], (await Get("/api/v1/supervision/overdue?townId=nowhere", "supervisor", 400)).ErrorFields);
        await Get("/api/v1/supervision/overdue?townId=mengzhuang", "qicun-office", 403);
        Assert.Equal(1, Assert.Single(await Items("/api/v1/units/qicun/inbox", "qicun-office")).GetProperty("supervisionLevel").GetInt32());

        // Two working days after the due date the district is notified too.
        App.Clock.Set(new DateTimeOffset(2022, 6, 14, 9, 0, 0, Beijing));
        var second = await Play(first.Scheduled.Envelopes().Select(e => e.Message).OfType<CheckClock>().Single());
        Assert.Equal(SupervisionCheck.DistrictSupervisor, second.Executed.SingleMessage<NoticeToDistrict>().Notice.RecipientId);
        var toDistrict = Assert.Single(await Items("/api/v1/supervision/notices", "supervisor"));
        Assert.Equal(("assignment", 2), (toDistrict.GetProperty("clock").GetString(), toDistrict.GetProperty("level").GetInt32()));
        Assert.Equal(2, Assert.Single(await Overdue()).GetProperty("level").GetInt32());

        // Assigned at last: off the town's inbox and the overdue list, into the office's inbox.
        var version = (await Get($"/api/v1/issues/{id}", "admin", 200)).Version;
        await Tracked(() => Post($"/api/v1/issues/{id}/assign",
            new { version, unitId = "qicun-governance", measures = "更换灯具", responsibleOffice = "综治中心", responsiblePerson = "李明" }, "qicun-office", 200));
        Assert.Empty(await Items("/api/v1/units/qicun/inbox", "qicun-office"));
        Assert.Empty(await Overdue());
        Assert.Equal("to-accept", Assert.Single(await Items("/api/v1/units/qicun-governance/inbox", "qicun-office")).GetProperty("kind").GetString());
    }

    [Fact]
    public async Task A_returned_issue_is_to_assign_again_and_reassigned_in_time_its_checks_record_nothing()
    {
        App.Clock.Set(Monday);
        var (collected, created) = await Tracked(() => Post("/api/v1/issues", NewIssue(), "qicun-visitor", 201));
        var id = created.Json.GetProperty("id").GetGuid();
        var collection = AssignmentCheck(collected);
        Assert.Equal(new DateOnly(2022, 6, 14), collection.DueDate);
        Assert.Equal(Clocks.EndOf(new DateOnly(2022, 6, 14)), collected.Scheduled.Envelopes().Single(e => e.Message is CheckClock).ScheduledTime);

        await Tracked(() => Post($"/api/v1/issues/{id}/assign",
            new { version = 1, unitId = "qicun-governance", measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "qicun-office", 200));
        Assert.Empty(await Items("/api/v1/units/qicun/inbox", "qicun-office"));

        App.Clock.Set(new DateTimeOffset(2022, 6, 15, 10, 0, 0, Beijing));
        var (returned, _) = await Tracked(() => Post($"/api/v1/issues/{id}/return", new { version = 2, reason = "不属本办职责" }, "qicun-office", 200));
        var reassignment = AssignmentCheck(returned);
        Assert.NotEqual(collection.ClockId, reassignment.ClockId);
        Assert.Equal(new DateOnly(2022, 6, 16), reassignment.DueDate);

        var again = Assert.Single(await Items("/api/v1/units/qicun/inbox", "qicun-office"));
        Assert.Equal("to-assign", again.GetProperty("kind").GetString());
        Assert.Equal("2022-06-16", again.GetProperty("dueBy").GetString());
        Assert.False(again.GetProperty("overdue").GetBoolean());
        Assert.Equal("2022-06-15T10:00:00+08:00", again.GetProperty("receivedAt").GetString());

        // The collection's clock is dead although the issue waits again; the return's clock runs.
        App.Clock.Set(new DateTimeOffset(2022, 6, 20, 9, 0, 0, Beijing));
        Assert.Empty((await Play(collection)).Executed.MessagesOf<NoticeToTown>());
        Assert.Equal(3, (await Get($"/api/v1/issues/{id}", "admin", 200)).Version);

        await Tracked(() => Post($"/api/v1/issues/{id}/assign", new
        {
            version = 3, unitId = "qicun-social-affairs", measures = "m", responsibleOffice = "o", responsiblePerson = "p",
            occurredAt = "2022-06-16T15:00:00+08:00"
        }, "qicun-office", 200));
        Assert.Empty((await Play(reassignment)).Executed.MessagesOf<NoticeToTown>());
        Assert.Equal(4, (await Get($"/api/v1/issues/{id}", "admin", 200)).Version);
        Assert.Empty(await Overdue());
    }

    [Fact]
    public async Task Only_the_towns_offices_supervisors_and_auditors_read_a_towns_inbox()
    {
        App.Clock.Set(Monday);
        await Collect();

        Assert.Single(await Items("/api/v1/units/qicun/inbox", "auditor"));
        Assert.Single(await Items("/api/v1/units/qicun/inbox", "supervisor"));
        Assert.Empty(await Items("/api/v1/units/mengzhuang/inbox", "mengzhuang-office"));
        await Get("/api/v1/units/qicun/inbox", "mengzhuang-office", 403);
        await Get("/api/v1/units/qicun/inbox", "qicun-visitor", 403);
        await Get("/api/v1/units/qicun/inbox", "housing", 403);
        await Get("/api/v1/units/nowhere/inbox", "admin", 404);
        var bad = await Get("/api/v1/units/qicun/inbox?page=0", "admin", 400);
        Assert.Equal(["page"], bad.ErrorFields);
    }
}
