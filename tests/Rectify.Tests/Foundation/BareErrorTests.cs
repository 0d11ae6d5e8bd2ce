using Rectify.Tests.Support;

namespace Rectify.Tests.Foundation;

/// <summary>Errors the framework answers without a body still come as problem details.</summary>
public sealed class BareErrorTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task An_unknown_route_is_a_404_problem()
    {
        var reply = await Get("/api/v1/no-such-thing", "admin", 404);
        Assert.Equal("application/problem+json", reply.Result.Context.Response.ContentType);
        Assert.Equal("https://rectify.invalid/problems/not-found", reply.Json.GetProperty("type").GetString());
        Assert.Equal("GET /api/v1/no-such-thing", reply.Json.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_method_the_route_does_not_take_is_a_405_problem()
    {
        var reply = await Post("/api/v1/categories", new { }, "admin", 405);
        Assert.Equal("application/problem+json", reply.Result.Context.Response.ContentType);
        Assert.Equal("https://rectify.invalid/problems/method-not-allowed", reply.Json.GetProperty("type").GetString());
        Assert.Equal(405, reply.Json.GetProperty("status").GetInt32());
    }
}
