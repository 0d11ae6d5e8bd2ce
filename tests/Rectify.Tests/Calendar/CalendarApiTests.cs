using System.Text.Json;
using Alba;
using Rectify.Calendar;
using Rectify.Calendar.Replanning;
using Rectify.Identity;
using Rectify.Issues;
using Rectify.Supervision;
using Rectify.Tests.Support;
using Wolverine.Tracking;

namespace Rectify.Tests.Calendar;

/// <summary>The working-day calendar as reference data over HTTP, and what a new holiday notice does to running deadlines.</summary>
public sealed class CalendarApiTests(AppFixture app) : ApiTest(app)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private async Task<Reply> Put(string url, object body, string client, int expectedStatus)
    {
        var result = await Host.Scenario(s =>
        {
            s.Put.Json(body).ToUrl(url);
            s.WithRequestHeader("Authorization", $"Bearer {App.Keys[client]}");
            s.StatusCodeShouldBe(expectedStatus);
        });
        var text = await result.ReadAsTextAsync();
        return new Reply(result, text, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    private Task<Reply> Act(Guid id, string command, object body, string client, int expectedStatus = 200) =>
        Post($"/api/v1/issues/{id}/{command}", body, client, expectedStatus);

    private async Task<List<JsonElement>> Moves(Guid id) =>
        (await Get($"/api/v1/issues/{id}/history", "auditor", 200)).Json.EnumerateArray()
        .Where(e => e.GetProperty("type").GetString() == "issue_deadline_moved.v1").Select(e => e.GetProperty("data")).ToList();

    private async Task<Guid> AssignedAt(DateTimeOffset at, string? deadline = null)
    {
        App.Clock.Set(at);
        var id = await Collect();
        var body = new Dictionary<string, object?>
        {
            ["version"] = 1, ["unitId"] = "qicun-governance", ["measures"] = "m", ["responsibleOffice"] = "o", ["responsiblePerson"] = "p"
        };
        if (deadline is not null) body["deadline"] = deadline;
        await Tracked(() => Act(id, "assign", body, "qicun-office"));
        return id;
    }

    [Fact]
    public async Task The_shipped_years_are_the_initial_import_and_a_year_without_notice_reads_provisional()
    {
        var y2026 = (await Get("/api/v1/calendar/2026", "auditor", 200)).Json;
        Assert.False(y2026.GetProperty("provisional").GetBoolean());
        Assert.Equal(1, y2026.GetProperty("version").GetInt64());
        Assert.Contains("2026-10-01", y2026.GetProperty("daysOff").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("rectify", y2026.GetProperty("changedBy").GetProperty("clientName").GetString());
        var history = Assert.Single((await Get("/api/v1/calendar/2026/history", "qicun-visitor", 200)).Json.EnumerateArray());
        Assert.Contains("china-calendar.json", history.GetProperty("reason").GetString());

        var y2027 = (await Get("/api/v1/calendar/2027", "auditor", 200)).Json;
        Assert.True(y2027.GetProperty("provisional").GetBoolean());
        Assert.Equal(0, y2027.GetProperty("daysOff").GetArrayLength());
        Assert.Empty((await Get("/api/v1/calendar/2027/history", "auditor", 200)).Json.EnumerateArray());
        Assert.Contains("year", (await Get("/api/v1/calendar/twenty/history", "auditor", 400)).ErrorFields);
        Assert.Contains("asOf", (await Get("/api/v1/calendar/2026?asOf=yesterday", "auditor", 400)).ErrorFields);
    }

    [Fact]
    public async Task Only_an_admin_changes_the_calendar_and_each_bad_field_is_named_with_nothing_stored()
    {
        await Put("/api/v1/calendar/2027", CalendarTestData.Body(), "supervisor", 403);
        var bad = await Put("/api/v1/calendar/2027", new
        {
            daysOff = new[] { "2027-01-01", "2026-12-31", "2027-01-01", "2027-13-01" },
            workdays = new[] { "2027-01-01", "2027-02-03" },
            notice = "n"
        }, "admin", 400);
        Assert.Equal(["daysOff[1]", "daysOff[2]", "daysOff[3]", "reason", "workdays[0]", "workdays[1]"], bad.ErrorFields.Order());
        Assert.Contains("2026-12-31 lies outside the year 2027", bad.Text);
        Assert.Contains("listed twice", bad.Text);
        Assert.Contains("also listed as a day off", bad.Text);
        Assert.Contains("Saturday or Sunday", bad.Text);
        Assert.Contains("daysOff", (await Put("/api/v1/calendar/2027", new { workdays = Array.Empty<string>(), reason = "r" }, "admin", 400)).ErrorFields);
        Assert.Contains("year", (await Put("/api/v1/calendar/1999", CalendarTestData.Body(), "admin", 400)).ErrorFields);
        Assert.Empty((await Get("/api/v1/calendar/2027/history", "auditor", 200)).Json.EnumerateArray());
    }

    [Fact]
    public async Task A_notice_moves_each_running_counted_deadline_once_and_replans_its_check()
    {
        // Running when the notice comes: across New Year (counted), across the Spring Festival (counted, and given).
        var newYear = await AssignedAt(new DateTimeOffset(2026, 12, 29, 10, 0, 0, Beijing));
        var springFestival = await AssignedAt(new DateTimeOffset(2027, 2, 3, 10, 0, 0, Beijing));
        var given = await AssignedAt(new DateTimeOffset(2027, 2, 3, 11, 0, 0, Beijing), deadline: "2027-02-09");
        var eve = await AssignedAt(new DateTimeOffset(2027, 2, 4, 10, 0, 0, Beijing));
        var assignedEvent = (await Get($"/api/v1/issues/{newYear}/history", "auditor", 200)).Json[1].GetProperty("data");
        Assert.Equal("2027-01-01", assignedEvent.GetProperty("deadline").GetString());
        Assert.True(assignedEvent.GetProperty("provisional").GetBoolean());
        var inbox = (await Get("/api/v1/units/qicun-governance/inbox?pageSize=10", "qicun-office", 200)).Json.GetProperty("items");
        // Provisional: the date each item is due by was counted over 2027, which has no notice yet (30 December 2026 is not).
        Assert.All(inbox.EnumerateArray(), item =>
            Assert.Equal(item.GetProperty("dueBy").GetString()!.StartsWith("2027"), item.GetProperty("provisional").GetBoolean()));
        Assert.Contains(inbox.EnumerateArray(), item => item.GetProperty("provisional").GetBoolean());

        App.Clock.Set(new DateTimeOffset(2027, 2, 4, 12, 0, 0, Beijing));
        var (tracked, reply) = await Tracked(() => Put("/api/v1/calendar/2027", CalendarTestData.Body(), "admin", 200));
        Assert.True(reply.Json.GetProperty("changed").GetBoolean());
        Assert.Equal(4, reply.Json.GetProperty("issuesToReplan").GetInt32());
        Assert.False(reply.Json.GetProperty("calendar").GetProperty("provisional").GetBoolean());

        static (string Clock, string From, string To) Of(JsonElement m) =>
            (m.GetProperty("clock").GetString()!, m.GetProperty("previousDueDate").GetString()!, m.GetProperty("dueDate").GetString()!);
        Assert.Equal([("handling", "2027-01-01", "2027-01-04")], (await Moves(newYear)).Select(Of));
        Assert.Equal([("handling", "2027-02-08", "2027-02-15")], (await Moves(springFestival)).Select(Of));
        Assert.Empty(await Moves(given)); // a date the town gave stays, even on a day off it did not know of
        Assert.Equal([("acceptance", "2027-02-05", "2027-02-12"), ("handling", "2027-02-09", "2027-02-16")],
            (await Moves(eve)).Select(Of).Order());
        Assert.All(await Moves(newYear), m => Assert.Equal(CalendarTestData.Notice, m.GetProperty("notice").GetString()));

        Assert.Equal("2027-01-04", (await Get($"/api/v1/issues/{newYear}", "auditor", 200)).Json.GetProperty("deadline").GetString());
        var scheduled = tracked.Scheduled.MessagesOf<CheckClock>().Select(c => (c.IssueId, c.Clock, c.DueDate)).ToList();
        Assert.Contains((newYear, SupervisionClock.Handling, new DateOnly(2027, 1, 4)), scheduled);
        Assert.Contains((springFestival, SupervisionClock.Handling, new DateOnly(2027, 2, 15)), scheduled);
        Assert.Contains((eve, SupervisionClock.Acceptance, new DateOnly(2027, 2, 12)), scheduled);
        var items = (await Get("/api/v1/units/qicun-governance/inbox?pageSize=10", "qicun-office", 200)).Json.GetProperty("items").EnumerateArray().ToList();
        var eveItem = items.Single(i => i.GetProperty("issueId").GetGuid() == eve);
        Assert.Equal("2027-02-12", eveItem.GetProperty("acceptBy").GetString());
        Assert.All(items, item => Assert.False(item.GetProperty("provisional").GetBoolean()));

        // The same notice again changes nothing and moves nothing; a repeated re-planning message moves nothing.
        var again = await Tracked(() => Put("/api/v1/calendar/2027", CalendarTestData.Body("再次录入"), "admin", 200));
        Assert.False(again.Reply.Json.GetProperty("changed").GetBoolean());
        await Host.TrackActivity().Timeout(TimeSpan.FromMinutes(3)).InvokeMessageAndWaitAsync(new ReplanDeadlines(eve, 2027, 1, CalendarTestData.Notice));
        Assert.Single(await Moves(newYear));
        Assert.Equal(2, (await Moves(eve)).Count);
        Assert.Single((await Get("/api/v1/calendar/2027/history", "auditor", 200)).Json.EnumerateArray());

        // The check for the superseded date does nothing; the one for the new date records the miss.
        var deadlineId = (await Moves(newYear))[0].GetProperty("clockId").GetGuid();
        App.Clock.Set(new DateTimeOffset(2027, 2, 20, 10, 0, 0, Beijing));
        await Host.TrackActivity().Timeout(TimeSpan.FromMinutes(3))
            .InvokeMessageAndWaitAsync(new CheckClock(newYear, SupervisionClock.Handling, deadlineId, new DateOnly(2027, 1, 1), 1));
        Assert.DoesNotContain((await Get($"/api/v1/issues/{newYear}/history", "auditor", 200)).Json.EnumerateArray(),
            e => e.GetProperty("type").GetString() == "issue_deadline_missed.v1");
        await Host.TrackActivity().Timeout(TimeSpan.FromMinutes(3))
            .InvokeMessageAndWaitAsync(new CheckClock(newYear, SupervisionClock.Handling, deadlineId, new DateOnly(2027, 1, 4), 1));
        var missed = Assert.Single((await Get($"/api/v1/issues/{newYear}/history", "auditor", 200)).Json.EnumerateArray(),
            e => e.GetProperty("type").GetString() == "issue_deadline_missed.v1");
        Assert.Equal("2027-01-04", missed.GetProperty("data").GetProperty("dueDate").GetString());
    }

    [Fact]
    public async Task The_history_says_who_when_and_why_and_reads_as_of_a_date()
    {
        App.Clock.Set(new DateTimeOffset(2026, 12, 2, 10, 0, 0, Beijing));
        Assert.Contains("2027", (await Get("/health", null, 200)).Text);
        await Put("/api/v1/calendar/2027", new { daysOff = new[] { "2027-01-01" }, workdays = Array.Empty<string>(), reason = "元旦已知，通知未发" }, "admin", 200);
        Assert.Contains("2027", (await Get("/health", null, 200)).Text); // still no notice: still provisional
        App.Clock.Set(new DateTimeOffset(2026, 12, 5, 10, 0, 0, Beijing));
        await Put("/api/v1/calendar/2027", CalendarTestData.Body(), "admin", 200);
        Assert.Equal(0, (await Get("/health", null, 200)).Json.GetProperty("warnings").GetArrayLength());

        var history = (await Get("/api/v1/calendar/2027/history", "auditor", 200)).Json.EnumerateArray().ToList();
        Assert.Equal([1L, 2L], history.Select(h => h.GetProperty("version").GetInt64()));
        Assert.Equal([true, false], history.Select(h => h.GetProperty("provisional").GetBoolean()));
        Assert.Equal(["元旦已知，通知未发", "国务院办公厅通知已发布"], history.Select(h => h.GetProperty("reason").GetString()));
        Assert.All(history, h => Assert.Equal("admin", h.GetProperty("actor").GetProperty("clientName").GetString()));
        Assert.Equal("2026-12-05T02:00:00+00:00", history[1].GetProperty("occurredAt").GetDateTimeOffset().ToUniversalTime().ToString("yyyy-MM-ddTHH:mm:sszzz"));

        var asOf = (await Get("/api/v1/calendar/2027?asOf=2026-12-03", "auditor", 200)).Json;
        Assert.Equal((1L, true), (asOf.GetProperty("version").GetInt64(), asOf.GetProperty("provisional").GetBoolean()));
        Assert.Equal(0, (await Get("/api/v1/calendar/2027?asOf=2026-12-01", "auditor", 200)).Json.GetProperty("version").GetInt64());
        Assert.Single((await Get("/api/v1/calendar/2027/history?asOf=2026-12-04", "auditor", 200)).Json.EnumerateArray());
        Assert.Equal(2, (await Get("/api/v1/calendar/2027", "auditor", 200)).Json.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task The_command_line_enters_a_notice_from_a_file_as_one_step()
    {
        var id = await AssignedAt(new DateTimeOffset(2026, 12, 29, 10, 0, 0, Beijing));
        App.Clock.Set(new DateTimeOffset(2026, 12, 30, 9, 0, 0, Beijing));
        var actor = new Actor("ops/cli:tester", Role.Admin, null, null);

        var (refused, errors) = await HolidayNotice.EnterAsync(Host.Services, "2027", """{"daysOff": ["2028-01-01"], "workdays": []}""", actor);
        Assert.Null(refused);
        Assert.Equal(["daysOff[0]", "reason"], errors.Keys.Order());

        CalendarChangeResult? result = null;
        await Host.TrackActivity().Timeout(TimeSpan.FromMinutes(3)).ExecuteAndWaitAsync((Func<Wolverine.IMessageContext, Task>)(async _ =>
            result = (await HolidayNotice.EnterAsync(Host.Services, "2027", JsonSerializer.Serialize(CalendarTestData.Body()), actor)).Result));
        Assert.True(result!.Changed);
        Assert.Equal("ops/cli:tester", (await Get("/api/v1/calendar/2027/history", "auditor", 200)).Json[0].GetProperty("actor").GetProperty("clientName").GetString());
        Assert.Equal([("2027-01-01", "2027-01-04")], (await Moves(id)).Select(m => (m.GetProperty("previousDueDate").GetString(), m.GetProperty("dueDate").GetString())));
    }

    [Fact]
    public async Task A_counted_deadline_over_a_year_without_notice_is_provisional_on_the_overdue_list()
    {
        var id = await AssignedAt(new DateTimeOffset(2026, 12, 29, 10, 0, 0, Beijing));
        var deadlineId = (await Get($"/api/v1/issues/{id}/history", "auditor", 200)).Json[1].GetProperty("data").GetProperty("deadlineId").GetGuid();
        App.Clock.Set(new DateTimeOffset(2027, 1, 4, 10, 0, 0, Beijing));
        await Host.TrackActivity().Timeout(TimeSpan.FromMinutes(3))
            .InvokeMessageAndWaitAsync(new CheckClock(id, SupervisionClock.Handling, deadlineId, new DateOnly(2027, 1, 1), 1));

        var item = (await Get("/api/v1/supervision/overdue", "supervisor", 200)).Json.GetProperty("units")[0].GetProperty("items")[0];
        Assert.Equal(("2027-01-01", true), (item.GetProperty("dueDate").GetString(), item.GetProperty("provisional").GetBoolean()));
    }

    [Fact]
    public async Task The_api_document_states_the_calendar_routes_and_the_provisional_marks()
    {
        var document = (await Get("/openapi/v1.json", null, 200)).Json;
        var paths = document.GetProperty("paths");
        string[] Answers(string path, string method) =>
            paths.GetProperty(path).GetProperty(method).GetProperty("responses").EnumerateObject().Select(p => p.Name).Order().ToArray();
        Assert.Equal(["200", "400", "401", "403", "414", "429", "503"], Answers("/api/v1/calendar/{year}", "get"));
        Assert.Equal(["200", "400", "401", "403", "409", "413", "414", "429", "503"], Answers("/api/v1/calendar/{year}", "put"));
        Assert.Equal(["200", "400", "401", "403", "414", "429", "503"], Answers("/api/v1/calendar/{year}/history", "get"));

        var schemas = document.GetProperty("components").GetProperty("schemas");
        foreach (var schema in new[] { "CalendarYearView", "InboxItem", "OverdueItem" })
            Assert.True(schemas.GetProperty(schema).GetProperty("properties").TryGetProperty("provisional", out _), schema);
    }

    [Fact]
    public async Task Deadlines_and_milestones_people_give_on_a_day_off_are_refused_naming_the_next_working_day()
    {
        App.Clock.Set(new DateTimeOffset(2022, 9, 26, 10, 0, 0, Beijing)); // the Monday before National Day
        var id = await Collect();
        var assign = new Dictionary<string, object?>
        {
            ["version"] = 1, ["unitId"] = "qicun-governance", ["measures"] = "m", ["responsibleOffice"] = "o", ["responsiblePerson"] = "p",
            ["deadline"] = "2022-10-03"
        };
        var refused = await Act(id, "assign", assign, "qicun-office", 400);
        Assert.Equal(["deadline"], refused.ErrorFields);
        Assert.Contains("the next working day is 2022-10-08", refused.Text); // a make-up Saturday

        assign["deadline"] = "2022-09-30";
        await Tracked(() => Act(id, "assign", assign, "qicun-office"));
        await Tracked(() => Act(id, "accept", new { version = 2 }, "qicun-office"));
        var extension = await Act(id, "request-extension", new { version = 3, newDeadline = "2022-10-07", reason = "r" }, "qicun-office", 400);
        Assert.Equal(["newDeadline"], extension.ErrorFields);
        Assert.Contains("the next working day is 2022-10-08", extension.Text);
        var explain = await Act(id, "explain", new
        {
            version = 3, explanation = "e",
            milestones = new[] { new { dueDate = "2022-10-14", description = "设计" }, new { dueDate = "2022-10-16", description = "完工" } }
        }, "qicun-office", 400);
        Assert.Equal(["milestones[1].dueDate"], explain.ErrorFields);
        Assert.Contains("the next working day is 2022-10-17", explain.Text);
    }
}
