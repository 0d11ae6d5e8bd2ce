using System.Text.Json;
using Rectify.Infrastructure;
using Rectify.Tests.Support;

namespace Rectify.Tests.Errors;

/// <summary>
/// Every kind of error, provoked as a client would, comes as application/problem+json with a catalogue type; a query
/// value that does not parse is the same 400 as a bad body field, naming the parameter.
/// </summary>
public sealed class ErrorShapeTests(AppFixture app) : ApiTest(app)
{
    private static void AssertProblem(Reply reply, ProblemType type)
    {
        Assert.Equal("application/problem+json", reply.Result.Context.Response.ContentType);
        Assert.Equal(type.Uri, reply.Json.GetProperty("type").GetString());
        Assert.Equal(reply.Result.Context.Response.StatusCode, reply.Json.GetProperty("status").GetInt32());
        Assert.NotNull(ProblemTypes.Find(reply.Json.GetProperty("type").GetString()));
    }

    private static void AssertNames(Reply reply, string parameter)
    {
        AssertProblem(reply, ProblemTypes.Validation);
        Assert.Equal(ProblemTypes.Validation.Title, reply.Json.GetProperty("title").GetString());
        Assert.Equal([parameter], reply.ErrorFields);
        Assert.Equal(JsonValueKind.Array, reply.Json.GetProperty("errors").GetProperty(parameter).ValueKind);
    }

    [Theory]
    [InlineData("/api/v1/issues?page=abc", "supervisor", "page")]
    [InlineData("/api/v1/issues?pageSize=1.5", "supervisor", "pageSize")]
    [InlineData("/api/v1/issues?pageSize=0", "supervisor", "pageSize")]
    [InlineData("/api/v1/issues?status=nonsense", "supervisor", "status")]
    [InlineData("/api/v1/issues?from=notadate", "supervisor", "from")]
    [InlineData("/api/v1/events?after=abc", "supervisor", "after")]
    [InlineData("/api/v1/events?limit=-1", "supervisor", "limit")]
    [InlineData("/api/v1/events?limit=abc", "supervisor", "limit")]
    [InlineData("/api/v1/audit?page=abc", "auditor", "page")]
    [InlineData("/api/v1/supervision/notices?pageSize=abc", "supervisor", "pageSize")]
    [InlineData("/api/v1/towns?asOf=notadate", null, "asOf")]
    [InlineData("/api/v1/statistics?asOf=notadate", "supervisor", "asOf")]
    [InlineData("/api/v1/calendar/2026?asOf=notadate", "supervisor", "asOf")]
    public async Task A_query_value_that_does_not_parse_is_the_validation_400_naming_it(string url, string? client, string parameter)
    {
        var reply = await Get(url, client, 400);
        AssertNames(reply, parameter);
    }

    [Fact]
    public async Task A_bad_query_value_and_a_bad_body_field_have_the_same_shape()
    {
        var query = await Get("/api/v1/issues?page=abc", "supervisor", 400);
        var body = await Post("/api/v1/issues", NewIssue(b => b["channel"] = "pigeon"), "qicun-visitor", 400);
        Assert.Equal(["page"], query.ErrorFields);
        Assert.Equal(["channel"], body.ErrorFields);
        var shape = (JsonElement e) => e.EnumerateObject().Select(p => p.Name).Where(n => n != "detail").Order().ToList();
        Assert.Equal(shape(body.Json), shape(query.Json));
        Assert.Equal(body.Json.GetProperty("type").GetString(), query.Json.GetProperty("type").GetString());
        Assert.Equal(body.Json.GetProperty("title").GetString(), query.Json.GetProperty("title").GetString());
        Assert.Contains("whole number", query.Json.GetProperty("errors").GetProperty("page")[0].GetString());
    }

    [Fact]
    public async Task Unknown_routes_wrong_methods_and_missing_keys_are_catalogue_problems()
    {
        AssertProblem(await Get("/api/v1/no-such-thing", "admin", 404), ProblemTypes.NotFound);
        AssertProblem(await Post("/api/v1/categories", new { }, "admin", 405), ProblemTypes.MethodNotAllowed);
        AssertProblem(await Get("/api/v1/issues", null, 401), ProblemTypes.Unauthenticated);
        AssertProblem(await Get("/api/v1/events", "qicun-office", 403), ProblemTypes.Forbidden);
        AssertProblem(await Get($"/api/v1/issues/{Guid.NewGuid()}", "admin", 404), ProblemTypes.NotFound);
    }

    [Fact]
    public async Task A_client_that_accepts_only_csv_still_gets_its_error_as_problem_json()
    {
        var reply = await Get("/api/v1/issues?page=abc&format=csv", "supervisor", 400, s => s.WithRequestHeader("Accept", "text/csv"));
        AssertNames(reply, "page");
        var missing = await Get($"/api/v1/issues/{Guid.NewGuid()}", "admin", 404, s => s.WithRequestHeader("Accept", "text/html"));
        AssertProblem(missing, ProblemTypes.NotFound);
    }

    [Fact]
    public async Task A_url_over_the_limit_is_a_414_problem_and_one_at_the_limit_is_served()
    {
        var path = "/api/v1/issues?q=";
        var atLimit = path + new string('a', RequestLimits.MaxTargetBytes - path.Length);
        // At the limit the request goes on (and the long search text is judged by the endpoint: 400 naming q).
        var served = await Get(atLimit, "supervisor", 400);
        Assert.Equal(["q"], served.ErrorFields);

        var reply = await Get(atLimit + "a", "supervisor", 414);
        AssertProblem(reply, ProblemTypes.UriTooLong);
        Assert.Contains($"at most {RequestLimits.MaxTargetBytes}", reply.Json.GetProperty("detail").GetString());
        // Refused before the key is even looked at.
        AssertProblem(await Get(atLimit + "a", null, 414), ProblemTypes.UriTooLong);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_a_413_problem_and_nothing_is_stored()
    {
        var before = await StoredEventCount();
        var huge = NewIssue(b => b["description"] = new string('路', Rectify.Infrastructure.Requests.RequestShape.MaxBytes));
        var reply = await Post("/api/v1/issues", huge, "qicun-visitor", 413);
        AssertProblem(reply, ProblemTypes.PayloadTooLarge);
        Assert.Equal(before, await StoredEventCount());
    }
}
