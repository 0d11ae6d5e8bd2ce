using System.Text.Json;
using Rectify.Tests.Support;

namespace Rectify.Tests.Contract;

/// <summary>
/// Typed requests (issue 13): the framework binds the request record, RequestShape names every value that would not
/// bind, and the endpoint's check adds its own errors, so one 400 still names every bad field; the API document
/// carries the record's schema. The model endpoint is POST /api/v1/issues/{id}/resolve.
/// </summary>
public sealed class TypedRequestTests(AppFixture app) : ApiTest(app)
{
    private async Task<Guid> Accepted()
    {
        var id = await Collect();
        await Post($"/api/v1/issues/{id}/assign", new { version = 1, measures = "更换灯具", responsibleOffice = "城管办", responsiblePerson = "李明" }, "qicun-office", 200);
        await Post($"/api/v1/issues/{id}/accept", new { version = 2 }, "qicun-office", 200);
        return id;
    }

    [Fact]
    public async Task A_bound_request_is_decided_as_before()
    {
        var id = await Accepted();

        var reply = await Post($"/api/v1/issues/{id}/resolve", new { version = 3, outcome = "  已更换灯具  " }, "qicun-office", 200);

        Assert.Equal("resolved", reply.Status);
        Assert.Equal(4, reply.Version);
        var history = (await Get($"/api/v1/issues/{id}/history", "auditor", 200)).Json.EnumerateArray().Last();
        Assert.Equal("已更换灯具", history.GetProperty("data").GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task One_400_names_binding_errors_and_missing_fields_together_and_stores_nothing()
    {
        var id = await Accepted();
        var before = await StoredEventCount();

        var reply = await Post($"/api/v1/issues/{id}/resolve", new Dictionary<string, object?> { ["version"] = "three", ["occurredAt"] = "last tuesday", ["Outcome"] = "wrong casing" }, "qicun-office", 400);

        Assert.Equal(["occurredAt", "outcome", "version"], reply.ErrorFields.Order());
        var errors = reply.Json.GetProperty("errors");
        Assert.Equal("Must be an integer.", errors.GetProperty("version")[0].GetString());
        Assert.Equal("Must be an ISO 8601 date and time with an offset, such as 2022-06-01T09:30:00+08:00.", errors.GetProperty("occurredAt")[0].GetString());
        Assert.Equal("Is required.", errors.GetProperty("outcome")[0].GetString());
        Assert.Equal(before, await StoredEventCount());
    }

    [Fact]
    public async Task Bad_fields_are_400_before_an_unknown_issue_is_404()
    {
        var reply = await Post($"/api/v1/issues/{Guid.NewGuid()}/resolve", new { version = 0, outcome = "" }, "qicun-office", 400);

        Assert.Equal("Must be at least 1.", reply.Json.GetProperty("errors").GetProperty("version")[0].GetString());
        Assert.Equal("Must not be empty.", reply.Json.GetProperty("errors").GetProperty("outcome")[0].GetString());
        await Post($"/api/v1/issues/{Guid.NewGuid()}/resolve", new { version = 1, outcome = "o" }, "qicun-office", 404);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_the_one_error()
    {
        var id = await Accepted();

        var reply = await Post($"/api/v1/issues/{id}/resolve", "{\"version\": 3, \"outcome\": ", "qicun-office", 400);

        Assert.Equal(["body"], reply.ErrorFields);
        Assert.StartsWith("The body is not valid JSON", reply.Json.GetProperty("errors").GetProperty("body")[0].GetString());
        var duplicate = await Post($"/api/v1/issues/{id}/resolve", "{\"version\": 3, \"outcome\": \"a\", \"outcome\": \"b\"}", "qicun-office", 400);
        Assert.Equal(["body"], duplicate.ErrorFields);
        var array = await Post($"/api/v1/issues/{id}/resolve", "[1]", "qicun-office", 400);
        Assert.Equal("The body must be a JSON object.", array.Json.GetProperty("errors").GetProperty("body")[0].GetString());
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        var id = await Accepted();

        var reply = await Post($"/api/v1/issues/{id}/resolve", new { version = 3, outcome = new string('x', 1024 * 1024 + 1) }, "qicun-office", 413);

        Assert.Equal("application/problem+json", reply.Result.Context.Response.ContentType);
    }

    [Fact]
    public async Task The_document_carries_the_request_schema_and_the_declared_answers()
    {
        var document = (await Get("/openapi/v1.json", null, 200)).Json;
        var operation = document.GetProperty("paths").GetProperty("/api/v1/issues/{id}/resolve").GetProperty("post");
        var schemas = document.GetProperty("components").GetProperty("schemas");

        Assert.Equal(["Issues"], operation.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()));

        var request = Resolve(schemas, operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        Assert.Equal(["outcome"], request.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        var properties = request.GetProperty("properties");
        Assert.Equal("string", properties.GetProperty("outcome").GetProperty("type").GetString());
        Assert.True(properties.GetProperty("outcome").TryGetProperty("examples", out _));
        Assert.Equal("date-time", properties.GetProperty("occurredAt").GetProperty("format").GetString());
        Assert.True(properties.TryGetProperty("version", out _));

        var responses = operation.GetProperty("responses");
        Assert.Equal(["200", "400", "401", "403", "404", "409", "412", "413", "414", "422", "429", "503"], responses.EnumerateObject().Select(r => r.Name).Order());
        var answer = Resolve(schemas, responses.GetProperty("200").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        var status = Resolve(schemas, answer.GetProperty("properties").GetProperty("status"));
        Assert.Contains("resolved-on-spot", status.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        var invalid = responses.GetProperty("400").GetProperty("content").GetProperty("application/problem+json").GetProperty("schema");
        Assert.Contains("errors", Resolve(schemas, invalid).GetProperty("properties").EnumerateObject().Select(p => p.Name));
        Assert.True(responses.GetProperty("409").GetProperty("content").TryGetProperty("application/problem+json", out _));
    }

    /// <summary>The schema itself, following a $ref into the components.</summary>
    private static JsonElement Resolve(JsonElement schemas, JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
            return schemas.GetProperty(reference.GetString()!.Split('/').Last());
        if (schema.TryGetProperty("oneOf", out var options) || schema.TryGetProperty("anyOf", out options))
            foreach (var option in options.EnumerateArray())
                if (option.TryGetProperty("$ref", out _)) return Resolve(schemas, option);
        return schema;
    }
}
