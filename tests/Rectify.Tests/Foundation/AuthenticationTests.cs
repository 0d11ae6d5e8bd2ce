using Rectify.Tests.Support;

namespace Rectify.Tests.Foundation;

public sealed class AuthenticationTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task Health_answers_without_a_key_and_checks_the_database()
    {
        var reply = await Get("/health", null, 200);
        Assert.Equal("healthy", reply.Status);
    }

    [Fact]
    public async Task Health_warns_when_deadlines_will_fall_in_a_year_without_holiday_data()
    {
        App.Clock.Set(new DateTimeOffset(2024, 6, 1, 9, 0, 0, TimeSpan.FromHours(8)));
        Assert.Empty((await Get("/health", null, 200)).Json.GetProperty("warnings").EnumerateArray());

        App.Clock.Set(new DateTimeOffset(2026, 12, 20, 9, 0, 0, TimeSpan.FromHours(8)));
        var warning = Assert.Single((await Get("/health", null, 200)).Json.GetProperty("warnings").EnumerateArray()).GetString();
        Assert.Contains("2027", warning);
    }

    [Fact]
    public async Task The_api_document_is_public()
    {
        var reply = await Get("/openapi/v1.json", null, 200);
        Assert.True(reply.Json.GetProperty("paths").TryGetProperty("/api/v1/issues", out _));
    }

    [Fact]
    public async Task The_api_document_states_the_answers_the_endpoints_give()
    {
        var paths = (await Get("/openapi/v1.json", null, 200)).Json.GetProperty("paths");
        string[] Answers(string path, string method) =>
            paths.GetProperty(path).GetProperty(method).GetProperty("responses").EnumerateObject().Select(p => p.Name).Order().ToArray();

        Assert.Equal(["201", "400", "401", "403", "404", "409", "413", "414", "422", "429", "503"], Answers("/api/v1/issues", "post"));
        Assert.Equal(["200", "400", "401", "403", "404", "409", "412", "413", "414", "422", "429", "503"], Answers("/api/v1/issues/{id}/assign", "post"));
        Assert.Equal(["200", "400", "401", "403", "404", "414", "429", "503"], Answers("/api/v1/issues/{id}/history", "get"));
        Assert.DoesNotContain("401", Answers("/api/v1/towns", "get"));
        Assert.Equal(["200", "400", "401", "403", "404", "414", "429", "503"], Answers("/api/v1/units/{unitId}/inbox", "get"));
        Assert.Equal(["200", "400", "401", "403", "404", "409", "413", "414", "422", "429", "503"], Answers("/api/v1/wechat-groups/{id}/posts", "post"));
        Assert.Equal(["200", "414", "429", "503"], Answers("/health", "get"));

        var accepted = paths.GetProperty("/api/v1/issues/{id}/accept").GetProperty("post").GetProperty("responses");
        Assert.Equal("application/problem+json", accepted.GetProperty("409").GetProperty("content").EnumerateObject().Single().Name);
        Assert.DoesNotContain("IResult", paths.GetRawText());
    }

    [Theory]
    [InlineData("/api/v1/issues/0190a8c4-6f1e-7c2a-9d3b-5e4f6a7b8c9d")]
    [InlineData("/api/v1/issues/0190a8c4-6f1e-7c2a-9d3b-5e4f6a7b8c9d/history")]
    public async Task Reads_without_a_key_are_401_problem_details(string url)
    {
        var reply = await Get(url, null, 401);
        Assert.Equal(401, reply.Json.GetProperty("status").GetInt32());
        Assert.Equal("Bearer", reply.Header("WWW-Authenticate"));
    }

    [Theory]
    [InlineData("Bearer rk_0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("Basic YWRtaW46YWRtaW4=")]
    [InlineData("Bearer")]
    public async Task Commands_with_an_unknown_or_malformed_key_are_401_and_store_nothing(string header)
    {
        var reply = await Post("/api/v1/issues", NewIssue(), null, 401, s => s.WithRequestHeader("Authorization", header));

        Assert.Contains("API key", reply.Json.GetProperty("title").GetString());
        Assert.Equal(0, await StoredEventCount());
    }

    [Fact]
    public async Task A_revoked_key_is_401()
    {
        await using (var session = Store.LightweightSession())
        {
            var client = await session.LoadAsync<Rectify.Identity.ApiClient>(Rectify.Identity.ApiClient.Hash(App.Keys["qicun-visitor"]));
            client!.RevokedAt = DateTimeOffset.UtcNow;
            session.Store(client);
            await session.SaveChangesAsync();
        }

        await Post("/api/v1/issues", NewIssue(), "qicun-visitor", 401);
    }

    [Fact]
    public async Task Keys_are_stored_only_as_hashes()
    {
        await using var session = Store.QuerySession();
        var stored = await session.QueryAsync<string>("select data::text from rectify.mt_doc_apiclient");

        Assert.NotEmpty(stored);
        Assert.DoesNotContain(stored, row => App.Keys.Values.Any(row.Contains));
    }
}
