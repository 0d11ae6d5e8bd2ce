using System.Text.Json;
using Rectify.Tests.Support;
using static Rectify.Tests.Support.DocumentReading;

namespace Rectify.Tests.Contract;

/// <summary>
/// Issue 13, per converted area (Issues, Visits, WeChat groups, personal data, audit): the API document carries the
/// request and answer schemas (required fields, enums, formats), and one 400 names binding and semantic errors together.
/// </summary>
public sealed class TypedAreaTests(AppFixture app) : ApiTest(app)
{
    private async Task<(JsonElement Paths, JsonElement Schemas)> Document() => Parts((await Get("/openapi/v1.json", null, 200)).Json);

    [Fact]
    public async Task Collect_states_its_request_and_names_a_binding_and_an_unknown_town_at_once()
    {
        var (paths, schemas) = await Document();
        var request = RequestSchema(paths, schemas, "/api/v1/issues");
        Assert.Equal(["address", "categoryId", "channel", "description", "townId", "visitorId"], Required(request));
        Assert.Contains("wechat-group", Enum(schemas, request.GetProperty("properties").GetProperty("channel")));
        Assert.Equal("date-time", request.GetProperty("properties").GetProperty("collectedAt").GetProperty("format").GetString());
        Assert.Equal("uuid", Resolve(schemas, request.GetProperty("properties").GetProperty("relatedIssueId")).GetProperty("format").GetString());
        var answer = AnswerSchema(paths, schemas, "/api/v1/issues", "post", "201");
        Assert.Contains("in-progress", Enum(schemas, answer.GetProperty("properties").GetProperty("status")));

        var before = await StoredEventCount();
        var reply = await Post("/api/v1/issues", NewIssue(b => { b["collectedAt"] = "x"; b["townId"] = "atlantis"; b["channel"] = "pigeon"; b["description"] = null; }),
            "qicun-visitor", 400);

        var errors = reply.Json.GetProperty("errors");
        Assert.Equal("Must be an ISO 8601 date and time with an offset, such as 2022-06-01T09:30:00+08:00.", errors.GetProperty("collectedAt")[0].GetString());
        Assert.Equal("Unknown town 'atlantis'.", errors.GetProperty("townId")[0].GetString());
        Assert.StartsWith("Must be one of: visit, ", errors.GetProperty("channel")[0].GetString());
        Assert.Equal("Is required.", errors.GetProperty("description")[0].GetString());
        Assert.Equal(before, await StoredEventCount());
    }

    [Fact]
    public async Task Explain_names_every_bad_milestone_at_once_and_states_nested_and_enum_schemas()
    {
        var id = await Collect();
        await Post($"/api/v1/issues/{id}/assign", new { version = 1, measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "qicun-office", 200);
        await Post($"/api/v1/issues/{id}/accept", new { version = 2 }, "qicun-office", 200);

        var reply = await Post($"/api/v1/issues/{id}/explain", new
        {
            version = 3,
            explanation = "需纳入明年计划",
            milestones = new object[] { new { dueDate = "2100-13-01", description = "立项" }, new { description = "" }, 7 }
        }, "qicun-office", 400);

        var errors = reply.Json.GetProperty("errors");
        Assert.Equal("Must be a date written yyyy-MM-dd.", errors.GetProperty("milestones[0].dueDate")[0].GetString());
        Assert.Equal("Is required.", errors.GetProperty("milestones[1].dueDate")[0].GetString());
        Assert.Equal("Must not be empty.", errors.GetProperty("milestones[1].description")[0].GetString());
        Assert.Equal("Must be an object.", errors.GetProperty("milestones[2]")[0].GetString());

        var (paths, schemas) = await Document();
        var request = RequestSchema(paths, schemas, "/api/v1/issues/{id}/explain");
        Assert.Equal(["explanation", "milestones"], Required(request));
        var feedback = RequestSchema(paths, schemas, "/api/v1/issues/{id}/feedback");
        Assert.Equal(["satisfaction"], Required(feedback));
        Assert.Contains("satisfied", Enum(schemas, feedback.GetProperty("properties").GetProperty("satisfaction")));
    }

    [Fact]
    public async Task Visits_state_their_request_and_name_a_binding_and_an_unknown_grid_at_once()
    {
        var (paths, schemas) = await Document();
        var request = RequestSchema(paths, schemas, "/api/v1/visits");
        Assert.Equal(["gridId", "householdId", "townId", "visitorId"], Required(request));
        Assert.Equal("uuid", Resolve(schemas, request.GetProperty("properties").GetProperty("issueIds").GetProperty("items")).GetProperty("format").GetString());
        var groups = RequestSchema(paths, schemas, "/api/v1/wechat-groups");
        Assert.Equal(["communityId", "members", "name", "townId"], Required(groups));
        Assert.True(AnswerSchema(paths, schemas, "/api/v1/wechat-groups/{id}/posts", "post", "200").GetProperty("properties").TryGetProperty("posts", out _));

        var reply = await Post("/api/v1/visits", new
        {
            townId = "qicun", gridId = "nowhere", householdId = "h-1", visitorId = "visitor-017", leaflets = "many", anyoneHome = "yes",
            issueIds = new object[] { "not-a-uuid" }
        }, "qicun-visitor", 400);

        var errors = reply.Json.GetProperty("errors");
        Assert.Equal("Must be an integer.", errors.GetProperty("leaflets")[0].GetString());
        Assert.Equal("Must be true or false.", errors.GetProperty("anyoneHome")[0].GetString());
        Assert.Equal("Must be a UUID.", errors.GetProperty("issueIds[0]")[0].GetString());
        Assert.Equal("Unknown grid 'nowhere'.", errors.GetProperty("gridId")[0].GetString());

        var group = await Post("/api/v1/wechat-groups", new { townId = "qicun", communityId = "qicun-qicun", name = "齐村群", members = -1, occurredAt = "soon" },
            "qicun-office", 400);
        Assert.Equal(["members", "occurredAt"], group.ErrorFields.Order());
    }

    [Fact]
    public async Task History_audit_and_feed_state_each_issue_event_as_the_payload()
    {
        var (paths, schemas) = await Document();
        var history = Resolve(schemas, AnswerSchema(paths, schemas, "/api/v1/issues/{id}/history", "get", "200").GetProperty("items"));
        var audit = Resolve(schemas, AnswerSchema(paths, schemas, "/api/v1/audit", "get", "200").GetProperty("properties").GetProperty("items").GetProperty("items"));
        var feed = Resolve(schemas, AnswerSchema(paths, schemas, "/api/v1/events", "get", "200").GetProperty("properties").GetProperty("events").GetProperty("items"));
        foreach (var entry in new[] { history, audit, feed })
        {
            var events = entry.GetProperty("properties").GetProperty("data").GetProperty("anyOf").EnumerateArray()
                .Select(e => e.GetProperty("$ref").GetString()!.Split('/').Last()).ToList();
            Assert.Contains("IssueCollected", events);
            Assert.Contains("IssueClosed", events);
            Assert.Contains("IssueEscalated", events);
        }
        var collected = schemas.GetProperty("IssueCollected");
        Assert.Contains("issueId", Required(collected));
        Assert.Contains("visit", Enum(schemas, collected.GetProperty("properties").GetProperty("channel")));
    }

    [Fact]
    public async Task Personal_data_and_audit_reads_state_their_answers()
    {
        var (paths, schemas) = await Document();

        var accessLog = AnswerSchema(paths, schemas, "/api/v1/access-log", "get", "200");
        var entry = Resolve(schemas, accessLog.GetProperty("properties").GetProperty("items").GetProperty("items"));
        Assert.Contains("auditor", Enum(schemas, entry.GetProperty("properties").GetProperty("role")));
        Assert.Equal(["Audit"], paths.GetProperty("/api/v1/access-log").GetProperty("get").GetProperty("tags").EnumerateArray().Select(t => t.GetString()));

        var audit = AnswerSchema(paths, schemas, "/api/v1/audit", "get", "200");
        Assert.True(audit.GetProperty("properties").TryGetProperty("items", out _));
        Assert.True(AnswerSchema(paths, schemas, "/api/v1/issues/{id}/chain", "get", "200").GetProperty("properties").TryGetProperty("intact", out _));
        Assert.True(AnswerSchema(paths, schemas, "/api/v1/audit/digests/{date}", "get", "200").GetProperty("properties").TryGetProperty("digest", out _));
        var export = paths.GetProperty("/api/v1/issues/{id}/export").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.True(export.TryGetProperty("application/json", out _));
        Assert.True(export.TryGetProperty("text/csv", out _));
        foreach (var path in new[] { "/api/v1/audit", "/api/v1/access-log", "/api/v1/issues/{id}/history", "/api/v1/issues/{id}" })
        {
            var bad = paths.GetProperty(path).GetProperty("get").GetProperty("responses").GetProperty("400").GetProperty("content");
            Assert.True(bad.TryGetProperty("application/problem+json", out _), path);
        }

        var reply = await Get("/api/v1/audit?from=yesterday&type=nothing", "auditor", 400);
        Assert.Equal(["from", "type"], reply.ErrorFields.Order());
    }
}
