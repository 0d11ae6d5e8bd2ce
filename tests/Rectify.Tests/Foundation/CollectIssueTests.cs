using System.Text.Json;
using Marten;
using Rectify.Issues;
using Rectify.Tests.Support;

namespace Rectify.Tests.Foundation;

public sealed class CollectIssueTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task Collecting_answers_201_with_location_and_starts_the_stream()
    {
        var reply = await Post("/api/v1/issues", NewIssue(), "qicun-visitor", 201);

        var id = reply.Json.GetProperty("id").GetGuid();
        Assert.Equal(1, reply.Version);
        Assert.Equal("collected", reply.Status);
        Assert.Equal($"/api/v1/issues/{id}", reply.Header("Location"));

        var issue = await Get($"/api/v1/issues/{id}", "auditor", 200);
        Assert.Equal("collected", issue.Status);
        Assert.Equal("qicun", issue.Json.GetProperty("townId").GetString());
        Assert.Equal("living-environment", issue.Json.GetProperty("categoryId").GetString());
        Assert.Equal(JsonValueKind.Null, issue.Json.GetProperty("unitId").ValueKind);
        Assert.Equal(JsonValueKind.Null, issue.Json.GetProperty("deadline").ValueKind);
        Assert.Equal("\"1\"", issue.Header("ETag"));
    }

    [Fact]
    public async Task History_lists_every_event_with_its_stable_name_domain_time_stored_time_and_the_actor_from_the_key()
    {
        var collectedAt = new DateTimeOffset(2022, 6, 1, 9, 30, 0, TimeSpan.FromHours(8));
        var id = await Collect(body =>
        {
            body["collectedAt"] = collectedAt.ToString("O");
            body["actor"] = new { clientName = "someone-else", role = "admin" };
        });

        var history = (await Get($"/api/v1/issues/{id}/history", "auditor", 200)).Json.EnumerateArray().ToList();

        var collected = Assert.Single(history);
        Assert.Equal("issue_collected.v1", collected.GetProperty("type").GetString());
        Assert.Equal(1, collected.GetProperty("version").GetInt64());
        Assert.Equal(collectedAt, collected.GetProperty("occurredAt").GetDateTimeOffset());
        Assert.True(collected.GetProperty("storedAt").GetDateTimeOffset() > collectedAt.AddYears(1));
        Assert.Equal("qicun-visitor", collected.GetProperty("actor").GetProperty("clientName").GetString());
        Assert.Equal("visitor", collected.GetProperty("actor").GetProperty("role").GetString());
        Assert.Equal("村口路灯坏了一个月，晚上出行不安全", collected.GetProperty("data").GetProperty("description").GetString());
        Assert.Equal("visitor", collected.GetProperty("role").GetString());
        Assert.Equal("qicun", collected.GetProperty("actingUnitId").GetString());
        await using var session = Store.QuerySession();
        var position = (await session.QueryAsync<long>("select seq_id from rectify.mt_events where stream_id = ?", id)).Single();
        Assert.Equal(position, collected.GetProperty("position").GetInt64());
    }

    [Fact]
    public async Task A_history_entry_names_the_reason_the_act_gave()
    {
        var id = await Collect();
        await Post($"/api/v1/issues/{id}/escalate", new { version = 1, departmentId = "housing", reason = "镇级无力承担整体翻修" }, "qicun-office", 200);
        var history = (await Get($"/api/v1/issues/{id}/history", "auditor", 200)).Json.EnumerateArray().ToList();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, history[0].GetProperty("reason").ValueKind);
        Assert.Equal("镇级无力承担整体翻修", history[1].GetProperty("reason").GetString());
        Assert.Equal("town-office", history[1].GetProperty("role").GetString());
    }

    [Fact]
    public async Task The_residents_name_and_phone_stay_out_of_the_event_stream()
    {
        var id = await Collect();

        await using var session = Store.QuerySession();
        var eventData = await session.QueryAsync<string>("select data::text from rectify.mt_events");
        Assert.DoesNotContain(eventData, e => e.Contains("王秀英") || e.Contains("13800001234"));

        var contact = await session.Query<ResidentContact>().SingleAsync(c => c.IssueId == id);
        Assert.Equal("王秀英", contact.Name);
        Assert.Equal("13800001234", contact.Phone);
        Assert.Contains(eventData, e => e.Contains(contact.Id.ToString()));
    }

    [Fact]
    public async Task An_empty_body_names_every_required_field_and_stores_nothing()
    {
        var reply = await Post("/api/v1/issues", "", "admin", 400);

        Assert.Equal(["townId", "address", "categoryId", "description", "channel", "visitorId"], reply.ErrorFields);
        Assert.Equal(0, await StoredEventCount());
    }

    [Fact]
    public async Task Every_bad_field_is_named_at_once()
    {
        var reply = await Post("/api/v1/issues", NewIssue(b =>
        {
            b["townId"] = "atlantis";
            b["categoryId"] = "weather";
            b["channel"] = "fax";
            b["relatedIssueId"] = "not-a-uuid";
            b["description"] = new string('很', 2001);
            b["collectedAt"] = "yesterday";
            b["residentPhone"] = "call me";
        }), "admin", 400);

        Assert.Equal(
            ["categoryId", "channel", "collectedAt", "description", "relatedIssueId", "residentPhone", "townId"],
            reply.ErrorFields.Where(f => f != "communityId").Order());
        Assert.Contains("2000", reply.Json.GetProperty("errors").GetProperty("description")[0].GetString());
        Assert.Equal(0, await StoredEventCount());
    }

    [Fact]
    public async Task Wrong_json_types_and_malformed_json_are_400_not_500()
    {
        var wrongTypes = await Post("/api/v1/issues", NewIssue(b => { b["townId"] = 5; b["channel"] = new[] { "visit" }; }), "admin", 400);
        Assert.Equal(["channel", "townId"], wrongTypes.ErrorFields.Order());

        var malformed = await Post("/api/v1/issues", "{\"townId\": \"qicun\",", "admin", 400);
        Assert.Contains("body", malformed.ErrorFields);
        Assert.Equal(0, await StoredEventCount());
    }

    [Fact]
    public async Task Places_must_fit_together()
    {
        var reply = await Post("/api/v1/issues", NewIssue(b =>
        {
            b["communityId"] = "mengzhuang-nonexistent";
            b["gridId"] = "qicun-qicun-g99";
        }), "admin", 400);
        Assert.Equal(["communityId", "gridId"], reply.ErrorFields.Order());

        var wrongTown = await Post("/api/v1/issues", NewIssue(b => b["townId"] = "mengzhuang"), "admin", 400);
        Assert.Equal(["communityId"], wrongTown.ErrorFields);
    }

    [Fact]
    public async Task A_grid_fills_in_its_community()
    {
        var id = await Collect(b => { b.Remove("communityId"); b["gridId"] = "qicun-qicun-g02"; });

        var issue = await Get($"/api/v1/issues/{id}", "admin", 200);
        Assert.Equal("qicun-qicun", issue.Json.GetProperty("communityId").GetString());
    }

    [Fact]
    public async Task A_recurring_problem_refers_to_an_existing_issue()
    {
        var first = await Collect();
        var second = await Collect(b => b["relatedIssueId"] = first.ToString());
        var issue = await Get($"/api/v1/issues/{second}", "admin", 200);
        Assert.Equal(first, issue.Json.GetProperty("relatedIssueId").GetGuid());

        var unknown = await Post("/api/v1/issues", NewIssue(b => b["relatedIssueId"] = Guid.NewGuid().ToString()), "admin", 400);
        Assert.Equal(["relatedIssueId"], unknown.ErrorFields);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413_and_stores_nothing()
    {
        var huge = await Post("/api/v1/issues", NewIssue(b => b["description"] = new string('x', 2 * 1024 * 1024)), "admin", 413);
        Assert.Equal(413, huge.Json.GetProperty("status").GetInt32());
        Assert.Contains("KiB", huge.Json.GetProperty("detail").GetString());
        Assert.Equal(0, await StoredEventCount());

        // A command's body too, also when no Content-Length says so beforehand.
        var id = await Collect();
        var before = await StoredEventCount();
        await Post($"/api/v1/issues/{id}/progress", $$"""{"version":1,"note":"{{new string('x', 1100 * 1024)}}"}""", "admin", 413,
            s => s.ConfigureHttpContext(c => c.Request.ContentLength = null));
        Assert.Equal(before, await StoredEventCount());
    }

    [Fact]
    public async Task Another_kind_of_stream_is_no_issue()
    {
        var visit = await Post("/api/v1/visits", new
        {
            townId = "qicun", gridId = "qicun-qicun-g01", householdId = "0001", visitorId = "v-1", anyoneHome = true
        }, "qicun-visitor", 201);
        var visitId = visit.Json.GetProperty("id").GetGuid();

        await Get($"/api/v1/issues/{visitId}", "admin", 404);
        await Get($"/api/v1/issues/{visitId}/history", "admin", 404);
        var related = await Post("/api/v1/issues", NewIssue(b => b["relatedIssueId"] = visitId.ToString()), "admin", 400);
        Assert.Equal(["relatedIssueId"], related.ErrorFields);
    }

    [Fact]
    public async Task A_collection_date_in_the_future_is_refused()
    {
        var reply = await Post("/api/v1/issues", NewIssue(b => b["collectedAt"] = DateTimeOffset.UtcNow.AddDays(1).ToString("O")), "admin", 400);
        Assert.Equal(["collectedAt"], reply.ErrorFields);
    }

    [Theory]
    [InlineData("mengzhuang-office")]
    [InlineData("housing")]
    [InlineData("auditor")]
    public async Task Only_the_towns_own_people_or_the_district_may_collect_there(string client)
    {
        var reply = await Post("/api/v1/issues", NewIssue(), client, 403);
        Assert.Equal(403, reply.Json.GetProperty("status").GetInt32());
        Assert.Equal(0, await StoredEventCount());
    }

    [Fact]
    public async Task Unknown_issue_is_404_and_a_malformed_id_is_400()
    {
        await Get($"/api/v1/issues/{Guid.NewGuid()}", "admin", 404);
        await Get($"/api/v1/issues/{Guid.NewGuid()}/history", "admin", 404);
        var malformed = await Get("/api/v1/issues/12345", "admin", 400);
        Assert.Equal(["id"], malformed.ErrorFields);
    }
}
