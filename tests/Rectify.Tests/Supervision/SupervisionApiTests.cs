using System.Text.Json;
using Rectify.Issues;
using Rectify.Supervision;
using Marten;
using Rectify.Tests.Support;
using Wolverine.Tracking;

namespace Rectify.Tests.Supervision;

/// <summary>Deadlines over HTTP: scheduled checks (played through tracked sessions), supervision, extensions.</summary>
public sealed class SupervisionApiTests(AppFixture app) : ApiTest(app)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset Monday = new(2022, 6, 13, 9, 0, 0, Beijing); // deadline Thursday 16 June

    private Task<Reply> Act(Guid id, string command, object body, string client, int expectedStatus = 200) =>
        Post($"/api/v1/issues/{id}/{command}", body, client, expectedStatus);

    private async Task<(Guid Id, CheckClock Check)> AssignedWithScheduledCheck()
    {
        App.Clock.Set(Monday);
        var id = await Collect();
        var (tracked, _) = await Tracked(() => Act(id, "assign", new { version = 1, unitId = "qicun-governance", measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "qicun-office"));
        var scheduled = tracked.Scheduled.Envelopes().Single(e => e.Message is CheckClock { Clock: SupervisionClock.Handling });
        Assert.Equal(new DateTimeOffset(2022, 6, 17, 0, 0, 0, Beijing), scheduled.ScheduledTime);
        return (id, (CheckClock)scheduled.Message!);
    }

    private async Task<ITrackedSession> Play(CheckClock check) =>
        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(30)).InvokeMessageAndWaitAsync(check);

    [Fact]
    public async Task A_missed_deadline_is_recorded_and_the_issue_appears_under_supervision_by_unit()
    {
        var (id, check) = await AssignedWithScheduledCheck();
        App.Clock.Set(new DateTimeOffset(2022, 6, 20, 10, 0, 0, Beijing)); // Monday after: 2 working days overdue

        var tracked = await Play(check);

        var history = (await Get($"/api/v1/issues/{id}/history", "auditor", 200)).Json.EnumerateArray().ToList();
        var missed = history.Last();
        Assert.Equal("issue_deadline_missed.v1", missed.GetProperty("type").GetString());
        Assert.Equal(["qicun-governance", "qicun"], missed.GetProperty("data").GetProperty("notifiedParties").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("rectify", missed.GetProperty("actor").GetProperty("clientName").GetString());

        var report = (await Get("/api/v1/supervision/overdue", "supervisor", 200)).Json;
        var unit = Assert.Single(report.GetProperty("units").EnumerateArray());
        Assert.Equal("qicun-governance", unit.GetProperty("unitId").GetString());
        var item = Assert.Single(unit.GetProperty("items").EnumerateArray());
        Assert.Equal(id, item.GetProperty("issueId").GetGuid());
        Assert.Equal("handling", item.GetProperty("clock").GetString());
        Assert.Equal(2, item.GetProperty("workingDaysOverdue").GetInt32());

        // The second notice is scheduled two working days after the deadline and goes to the district.
        var second = (CheckClock)tracked.Scheduled.Envelopes().Single(e => e.Message is CheckClock).Message!;
        Assert.Equal(2, second.Level);
        App.Clock.Set(new DateTimeOffset(2022, 6, 21, 10, 0, 0, Beijing));
        await Play(second);
        var level2 = (await Get($"/api/v1/issues/{id}/history", "auditor", 200)).Json.EnumerateArray().Last();
        Assert.Contains("district-supervisor", level2.GetProperty("data").GetProperty("notifiedParties").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(2, Assert.Single((await Get("/api/v1/units/qicun-governance/inbox", "qicun-office", 200)).Json.GetProperty("items").EnumerateArray())
            .GetProperty("supervisionLevel").GetInt32());

        // The overdue issue is found by search and counted by the statistics until the work is done.
        Assert.Equal(id, (await Get("/api/v1/issues?overdue=true", "auditor", 200)).Json.GetProperty("items")[0].GetProperty("issueId").GetGuid());
        Assert.Equal(1, (await Get("/api/v1/statistics?townId=qicun", "auditor", 200)).Json.GetProperty("overdue").GetInt32());
        Assert.Equal(0, (await Get("/api/v1/statistics?townId=qicun&asOf=2022-06-16", "auditor", 200)).Json.GetProperty("overdue").GetInt32());

        // A notice on the record cannot be undone by back-dating the work before it.
        var version = (await Get($"/api/v1/issues/{id}", "admin", 200)).Version;
        await Post($"/api/v1/issues/{id}/accept", new { version, occurredAt = "2022-06-14T09:00:00+08:00" }, "qicun-office", 422);
    }

    [Fact]
    public async Task Playing_the_same_check_twice_records_once_and_resolving_clears_supervision()
    {
        var (id, check) = await AssignedWithScheduledCheck();
        App.Clock.Set(new DateTimeOffset(2022, 6, 20, 10, 0, 0, Beijing));

        await Play(check);
        var version = (await Get($"/api/v1/issues/{id}", "admin", 200)).Version;
        var again = await Play(check);
        Assert.Equal(version, (await Get($"/api/v1/issues/{id}", "admin", 200)).Version);
        Assert.Empty(again.Executed.MessagesOf<NoticeToTown>());

        await Act(id, "accept", new { version }, "qicun-office");
        await Act(id, "resolve", new { version = version + 1, outcome = "已修复" }, "qicun-office");
        Assert.Equal(0, (await Get("/api/v1/supervision/overdue", "supervisor", 200)).Json.GetProperty("total").GetInt32());
    }

    private async Task<List<JsonElement>> Notices(string url, string client)
    {
        var reply = await Get(url, client, 200);
        return reply.Json.GetProperty("items").EnumerateArray().ToList();
    }

    [Fact]
    public async Task Notices_reach_the_unit_and_the_town_and_the_second_reaches_the_district()
    {
        var (id, check) = await AssignedWithScheduledCheck();
        App.Clock.Set(new DateTimeOffset(2022, 6, 20, 10, 0, 0, Beijing));

        var first = await Play(check);

        Assert.Equal(["qicun", "qicun-governance"], first.Executed.MessagesOf<NoticeToTown>().Select(n => n.Notice.RecipientId).Order());
        Assert.Empty(first.Executed.MessagesOf<NoticeToDistrict>());
        var toUnit = Assert.Single(await Notices("/api/v1/units/qicun-governance/notices", "qicun-office"));
        Assert.Equal(id, toUnit.GetProperty("issueId").GetGuid());
        Assert.Equal("handling", toUnit.GetProperty("clock").GetString());
        Assert.Equal("2022-06-16", toUnit.GetProperty("dueDate").GetString());
        Assert.Equal(1, toUnit.GetProperty("level").GetInt32());
        Assert.Equal("2022-06-17T00:00:00+08:00", toUnit.GetProperty("notifiedAt").GetString());
        Assert.Equal(1, Assert.Single(await Notices("/api/v1/units/qicun/notices", "qicun-office")).GetProperty("level").GetInt32());
        Assert.Empty(await Notices("/api/v1/supervision/notices", "supervisor"));

        App.Clock.Set(new DateTimeOffset(2022, 6, 21, 10, 0, 0, Beijing));
        var second = await Play((CheckClock)first.Scheduled.Envelopes().Single(e => e.Message is CheckClock).Message!);

        Assert.Equal(SupervisionCheck.DistrictSupervisor, second.Executed.SingleMessage<NoticeToDistrict>().Notice.RecipientId);
        var toDistrict = Assert.Single(await Notices("/api/v1/supervision/notices", "supervisor"));
        Assert.Equal(2, toDistrict.GetProperty("level").GetInt32());
        Assert.Equal("2022-06-21T00:00:00+08:00", toDistrict.GetProperty("notifiedAt").GetString());
        Assert.Equal("qicun-governance", toDistrict.GetProperty("unitId").GetString());
        Assert.Equal([2, 1], (await Notices("/api/v1/units/qicun-governance/notices", "qicun-office")).Select(n => n.GetProperty("level").GetInt32()));
        Assert.Equal([2, 1], (await Notices("/api/v1/units/qicun/notices", "auditor")).Select(n => n.GetProperty("level").GetInt32()));

        await Get("/api/v1/units/qicun/notices", "mengzhuang-office", 403);
        await Get("/api/v1/units/qicun-governance/notices", "housing", 403);
        await Get("/api/v1/supervision/notices", "qicun-office", 403);
        await Get("/api/v1/units/nowhere/notices", "admin", 404);
        await Get("/api/v1/supervision/notices", null, 401);
        var bad = await Get("/api/v1/units/qicun/notices?page=0&pageSize=500", "admin", 400);
        Assert.Equal(["page", "pageSize"], bad.ErrorFields.Order());
    }

    [Fact]
    public async Task A_departments_notice_goes_to_the_department_side_and_the_towns_to_the_town_side()
    {
        App.Clock.Set(Monday);
        var id = await Collect();
        var (escalated, _) = await Tracked(() => Act(id, "escalate", new { version = 1, departmentId = "housing", reason = "r" }, "qicun-office"));
        var acceptance = escalated.Scheduled.Envelopes().Select(e => e.Message).OfType<CheckClock>().Single(c => c.Clock == SupervisionClock.Acceptance);
        App.Clock.Set(new DateTimeOffset(2022, 6, 15, 9, 0, 0, Beijing));

        var tracked = await Play(acceptance);

        Assert.Equal("housing", tracked.Executed.SingleMessage<NoticeToDepartment>().Notice.RecipientId);
        Assert.Equal("qicun", tracked.Executed.SingleMessage<NoticeToTown>().Notice.RecipientId);
        var notice = Assert.Single(await Notices("/api/v1/units/housing/notices", "housing"));
        Assert.Equal("acceptance", notice.GetProperty("clock").GetString());
        Assert.Empty(await Notices("/api/v1/units/transport/notices", "transport"));
        await Get("/api/v1/units/housing/notices", "transport", 403);
    }

    [Fact]
    public async Task The_same_notice_delivered_again_stores_nothing()
    {
        var (_, check) = await AssignedWithScheduledCheck();
        App.Clock.Set(new DateTimeOffset(2022, 6, 20, 10, 0, 0, Beijing));
        var notice = (await Play(check)).Executed.MessagesOf<NoticeToTown>().Single(n => n.Notice.RecipientId == "qicun-governance");
        await using var query = Store.QuerySession();
        var first = Assert.Single(await query.Query<NoticeEntry>().Where(n => n.RecipientId == "qicun-governance").ToListAsync());
        App.Clock.Set(new DateTimeOffset(2022, 6, 22, 10, 0, 0, Beijing)); // a redelivery that stored anything would show a later receipt

        // Two more envelopes carrying the same notice, as a retrying sender would produce.
        await Host.TrackActivity().InvokeMessageAndWaitAsync(notice);
        var sent = await Host.TrackActivity().SendMessageAndWaitAsync(notice);

        Assert.Single(sent.Executed.MessagesOf<NoticeToTown>());
        await using var after = Store.QuerySession();
        var entry = Assert.Single(await after.Query<NoticeEntry>().Where(n => n.RecipientId == "qicun-governance").ToListAsync());
        Assert.Equal(first.Id, entry.Id);
        Assert.Equal(first.ReceivedAt, entry.ReceivedAt);
    }

    [Fact]
    public async Task An_approved_extension_moves_the_deadline_keeps_its_history_and_voids_the_old_check()
    {
        var (id, oldCheck) = await AssignedWithScheduledCheck();

        await Act(id, "request-extension", new { version = 2, newDeadline = "2022-06-24", reason = "需采购灯具" }, "qicun-office");
        var (tracked, approved) = await Tracked(() => Act(id, "approve-extension", new { version = 3 }, "qicun-leader"));
        Assert.Equal("2022-06-24", approved.Json.GetProperty("deadline").GetString());
        var newCheck = (CheckClock)tracked.Scheduled.Envelopes().Single(e => e.Message is CheckClock).Message!;
        Assert.NotEqual(oldCheck.ClockId, newCheck.ClockId);

        App.Clock.Set(new DateTimeOffset(2022, 6, 20, 10, 0, 0, Beijing));
        await Play(oldCheck);

        var issue = (await Get($"/api/v1/issues/{id}", "auditor", 200)).Json;
        Assert.Equal(4, issue.GetProperty("version").GetInt64());
        Assert.Equal(["assigned", "extension"], issue.GetProperty("deadlineHistory").EnumerateArray().Select(d => d.GetProperty("setBy").GetString()));
        Assert.Equal(["2022-06-16", "2022-06-24"], issue.GetProperty("deadlineHistory").EnumerateArray().Select(d => d.GetProperty("deadline").GetString()));
    }

    [Fact]
    public async Task Extensions_are_decided_by_the_town_for_its_offices_and_by_the_district_for_departments()
    {
        App.Clock.Set(Monday);
        var id = await Collect();
        await Tracked(() => Act(id, "escalate", new { version = 1, departmentId = "housing", reason = "r" }, "qicun-office"));
        await Act(id, "accept", new { version = 2, measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "housing");
        await Act(id, "request-extension", new { version = 3, newDeadline = "2022-06-30", reason = "需协调资金" }, "housing");

        await Act(id, "approve-extension", new { version = 4 }, "qicun-office", 403);
        await Act(id, "reject-extension", new { version = 4, reason = "r" }, "housing", 403);
        var rejected = await Act(id, "reject-extension", new { version = 4, reason = "时限内可完成" }, "supervisor");
        Assert.Equal("2022-06-16", rejected.Json.GetProperty("deadline").GetString());

        App.Clock.Set(new DateTimeOffset(2022, 6, 17, 9, 0, 0, Beijing));
        var late = await Act(id, "request-extension", new { version = 5, newDeadline = "2022-06-30", reason = "再次申请" }, "housing", 409);
        Assert.Contains("has passed", late.Json.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Milestones_stay_tracked_after_close()
    {
        App.Clock.Set(Monday);
        var id = await Collect();
        await Tracked(() => Act(id, "escalate", new { version = 1, departmentId = "housing", reason = "r" }, "qicun-office"));
        await Act(id, "accept", new { version = 2, measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "housing");
        var (tracked, _) = await Tracked(() => Act(id, "explain", new
        {
            version = 3, explanation = "列入改造计划",
            milestones = new[] { new { dueDate = "2022-07-29", description = "完成设计" }, new { dueDate = "2022-12-30", description = "完工" } }
        }, "housing"));
        await Act(id, "feedback", new { version = 4, satisfaction = "satisfied" }, "qicun-office");
        await Act(id, "close", new { version = 5 }, "qicun-office");

        var milestoneChecks = tracked.Scheduled.Envelopes().Select(e => e.Message).OfType<CheckClock>().Where(c => c.Clock == SupervisionClock.Milestone).ToList();
        Assert.Equal([new DateOnly(2022, 7, 29), new DateOnly(2022, 12, 30)], milestoneChecks.Select(c => c.DueDate));

        App.Clock.Set(new DateTimeOffset(2022, 7, 28, 9, 0, 0, Beijing));
        await Act(id, "progress", new { version = 6, note = "设计已完成", milestoneDueDate = "2022-07-29" }, "housing");
        await Act(id, "progress", new { version = 7, note = "x", milestoneDueDate = "2022-08-01" }, "housing", 422);

        App.Clock.Set(new DateTimeOffset(2023, 1, 4, 9, 0, 0, Beijing));
        foreach (var check in milestoneChecks) await Play(check);

        var overdue = (await Get("/api/v1/supervision/overdue", "auditor", 200)).Json.GetProperty("units").EnumerateArray()
            .SelectMany(u => u.GetProperty("items").EnumerateArray()).ToList();
        var item = Assert.Single(overdue);
        Assert.Equal("closed", item.GetProperty("status").GetString());
        Assert.Equal("milestone", item.GetProperty("clock").GetString());
        Assert.Equal("2022-12-30", item.GetProperty("dueDate").GetString());
    }

    [Fact]
    public async Task Rework_after_dissatisfied_feedback_schedules_a_handling_check_on_the_new_deadline()
    {
        var (id, _) = await AssignedWithScheduledCheck();
        await Act(id, "accept", new { version = 2 }, "qicun-office");
        await Act(id, "resolve", new { version = 3, outcome = "已更换灯具" }, "qicun-office");
        App.Clock.Set(Monday.AddDays(1)); // the new deadline, Friday the 17th, differs from the first one

        var (tracked, rework) = await Tracked(() => Act(id, "feedback", new { version = 4, satisfaction = "dissatisfied" }, "qicun-visitor"));

        Assert.Equal("in-progress", rework.Status);
        var check = (CheckClock)tracked.Scheduled.Envelopes().Single(e => e.Message is CheckClock).Message!;
        Assert.Equal(SupervisionClock.Handling, check.Clock);
        Assert.Equal("2022-06-17", rework.Json.GetProperty("deadline").GetString());
        Assert.Equal(new DateOnly(2022, 6, 17), check.DueDate);
        App.Clock.Set(new DateTimeOffset(2022, 6, 20, 10, 0, 0, Beijing));
        await Play(check);
        var item = (await Get("/api/v1/supervision/overdue", "supervisor", 200)).Json.GetProperty("units")[0].GetProperty("items")[0];
        Assert.Equal("handling", item.GetProperty("clock").GetString());
        Assert.Equal("2022-06-17", item.GetProperty("dueDate").GetString());
    }

    [Fact]
    public async Task A_reroute_starts_the_new_departments_acceptance_clock()
    {
        App.Clock.Set(Monday);
        var id = await Collect();
        await Tracked(() => Act(id, "escalate", new { version = 1, departmentId = "housing", reason = "r" }, "qicun-office"));
        await Act(id, "request-reroute", new { version = 2, reason = "属道路管理" }, "housing");
        App.Clock.Set(Monday.AddDays(1));

        var (tracked, _) = await Tracked(() => Act(id, "reroute", new { version = 3, departmentId = "transport" }, "supervisor"));

        var acceptance = (CheckClock)tracked.Scheduled.Envelopes().Single(e => e.Message is CheckClock).Message!;
        Assert.Equal(SupervisionClock.Acceptance, acceptance.Clock);
        Assert.Equal(new DateOnly(2022, 6, 15), acceptance.DueDate);
        App.Clock.Set(new DateTimeOffset(2022, 6, 16, 9, 0, 0, Beijing));
        await Play(acceptance);
        var unit = Assert.Single((await Get("/api/v1/supervision/overdue", "supervisor", 200)).Json.GetProperty("units").EnumerateArray());
        Assert.Equal("transport", unit.GetProperty("unitId").GetString());
        Assert.Equal("acceptance", Assert.Single(unit.GetProperty("items").EnumerateArray()).GetProperty("clock").GetString());
    }

    [Fact]
    public async Task The_overdue_list_puts_the_unit_with_the_oldest_item_first_and_each_units_items_oldest_first()
    {
        // Acceptance due dates, one working day after each routing: governance 14th and 16th, housing 15th and 17th.
        var checks = new List<CheckClock>();
        var governance = new List<Guid>();
        var housing = new List<Guid>();
        for (var day = 0; day < 4; day++)
        {
            App.Clock.Set(Monday.AddDays(day));
            var id = await Collect();
            var (tracked, _) = day % 2 == 0
                ? await Tracked(() => Act(id, "assign", new { version = 1, unitId = "qicun-governance", measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "qicun-office"))
                : await Tracked(() => Act(id, "escalate", new { version = 1, departmentId = "housing", reason = "r" }, "qicun-office"));
            checks.Add(tracked.Scheduled.Envelopes().Select(e => e.Message).OfType<CheckClock>().Single(c => c.Clock == SupervisionClock.Acceptance));
            (day % 2 == 0 ? governance : housing).Add(id);
        }

        App.Clock.Set(new DateTimeOffset(2022, 6, 21, 9, 0, 0, Beijing));
        foreach (var check in Enumerable.Reverse(checks)) await Play(check);

        var units = (await Get("/api/v1/supervision/overdue", "supervisor", 200)).Json.GetProperty("units").EnumerateArray().ToList();
        // Not alphabetical: qicun-governance holds the oldest item.
        Assert.Equal(["qicun-governance", "housing"], units.Select(u => u.GetProperty("unitId").GetString()));
        Assert.Equal(governance, units[0].GetProperty("items").EnumerateArray().Select(i => i.GetProperty("issueId").GetGuid()));
        Assert.Equal(housing, units[1].GetProperty("items").EnumerateArray().Select(i => i.GetProperty("issueId").GetGuid()));
        Assert.Equal(["2022-06-14", "2022-06-16"], units[0].GetProperty("items").EnumerateArray().Select(i => i.GetProperty("dueDate").GetString()));
    }

    [Fact]
    public async Task The_acceptance_clock_starts_with_the_escalation_and_supervision_sees_it_run_out()
    {
        App.Clock.Set(Monday);
        var id = await Collect();

        var (tracked, _) = await Tracked(() => Act(id, "escalate", new { version = 1, departmentId = "housing", reason = "r" }, "qicun-office"));

        var acceptance = tracked.Scheduled.Envelopes().Select(e => e.Message).OfType<CheckClock>().Single(c => c.Clock == SupervisionClock.Acceptance);
        Assert.Equal(new DateOnly(2022, 6, 14), acceptance.DueDate);
        App.Clock.Set(new DateTimeOffset(2022, 6, 15, 9, 0, 0, Beijing));
        await Play(acceptance);
        var item = (await Get("/api/v1/supervision/overdue", "housing", 200)).Json.GetProperty("units")[0].GetProperty("items")[0];
        Assert.Equal("acceptance", item.GetProperty("clock").GetString());
        await Get("/api/v1/supervision/overdue", "qicun-visitor", 403);
    }
}
