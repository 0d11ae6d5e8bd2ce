using System.Text;
using System.Text.Json;
using Rectify.Tests.Support;

namespace Rectify.Tests.Api;

/// <summary>The check every shared-host answer goes through (ResponseSchemaCheck) catches what it is there to catch.</summary>
public sealed class ResponseSchemaCheckTests(AppFixture app) : ApiTest(app)
{
    private async Task<JsonElement> Document() => JsonDocument.Parse((await Get("/openapi/v1.json", null, 200)).Text).RootElement;

    private static byte[] Json(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task A_matching_answer_passes()
    {
        var check = new ResponseSchemaCheck();
        var answer = """{"id":"0190a8c4-6f1e-7c2a-9d3b-5e4f6a7b8c9d","version":2,"status":"assigned","unitId":"qicun-governance","deadline":"2022-10-10","warnings":[]}""";
        Assert.Null(check.Mismatch(await Document(), "POST", "/api/v1/issues/{id}/assign", 200, "application/json; charset=utf-8", Json(answer)));
        Assert.Null(check.Mismatch(await Document(), "POST", "/api/v1/issues/{id}/assign", 409, "application/problem+json",
            Json("""{"type":"x","title":"Conflict","status":409,"detail":"stale"}""")));
    }

    [Fact]
    public async Task An_undocumented_status_a_wrong_body_or_an_unlisted_content_type_is_named()
    {
        var check = new ResponseSchemaCheck();
        var document = await Document();
        Assert.Contains("does not list", check.Mismatch(document, "POST", "/api/v1/issues/{id}/assign", 418, "application/json", Json("{}")));
        Assert.Contains("does not match", check.Mismatch(document, "POST", "/api/v1/issues/{id}/assign", 200, "application/json",
            Json("""{"version":"two","status":"no-such-status"}""")));
        Assert.Contains("does not list", check.Mismatch(document, "POST", "/api/v1/issues/{id}/assign", 200, "application/xml+json", Json("{}")));
        Assert.Contains("not in the API document", check.Mismatch(document, "GET", "/api/v1/nowhere", 200, "application/json", Json("{}")));
    }
}
