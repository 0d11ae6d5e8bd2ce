using Rectify.Tests.Support;

namespace Rectify.Tests.Keys;

/// <summary>The rotation's body is a typed record the framework binds: the document states it, and bad values keep their messages.</summary>
public sealed class RotateRequestTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task The_document_states_the_rotation_body_with_grace_hours_required()
    {
        var document = (await Get("/openapi/v1.json", null, 200)).Json;
        var body = document.GetProperty("paths").GetProperty("/api/v1/clients/{name}/rotate").GetProperty("post")
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        var schema = document.GetProperty("components").GetProperty("schemas").GetProperty(body.GetProperty("$ref").GetString()!.Split('/')[^1]);
        Assert.Equal(["graceHours"], schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("int64", schema.GetProperty("properties").GetProperty("graceHours").GetProperty("format").GetString());
    }

    [Fact]
    public async Task A_grace_period_that_is_not_a_number_or_too_long_is_one_400_naming_it_and_nothing_is_stored()
    {
        var before = await StoredEventCount();
        var text = await Post("/api/v1/clients/qicun-office/rotate", new { graceHours = "a day" }, "admin", 400);
        Assert.Equal(["Must be an integer."], text.Json.GetProperty("errors").GetProperty("graceHours").EnumerateArray().Select(e => e.GetString()));
        var negative = await Post("/api/v1/clients/qicun-office/rotate", new { graceHours = -1 }, "admin", 400);
        Assert.Equal(["Must be at least 0."], negative.Json.GetProperty("errors").GetProperty("graceHours").EnumerateArray().Select(e => e.GetString()));
        var missing = await Post("/api/v1/clients/qicun-office/rotate", new { }, "admin", 400);
        Assert.Equal(["Is required."], missing.Json.GetProperty("errors").GetProperty("graceHours").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(before, await StoredEventCount());

        var rotated = await Post("/api/v1/clients/qicun-office/rotate", new { graceHours = 24 }, "admin", 200);
        Assert.Equal("qicun-office", rotated.Json.GetProperty("name").GetString());
    }
}
