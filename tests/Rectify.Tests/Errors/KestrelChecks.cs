using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Rectify.Infrastructure;

namespace Rectify.Tests.Errors;

/// <summary>
/// What only a real Kestrel shows (the test host has no request-line limit, nor `resources setup`): run by OpsRunTests against the
/// service ops/run started, in production mode on a schema made by `resources setup`.
/// </summary>
public static class KestrelChecks
{
    public static async Task Run(HttpClient http, string key)
    {
        // Past Kestrel's default 8 KiB request line (raised to 64 KiB by RequestLimits), below ours: our 414, as problem details.
        var longUrl = await http.GetAsync("/api/v1/issues?q=" + new string('a', 20_000));
        await AssertProblem(longUrl, HttpStatusCode.RequestUriTooLong, ProblemTypes.UriTooLong);

        // A retried collection with its key: one issue, the first answer twice.
        var issue = """{"townId":"qicun","address":"齐村镇 2 号","categoryId":"infrastructure","description":"路灯不亮","channel":"visit","visitorId":"v-2"}""";
        var idempotencyKey = Guid.NewGuid().ToString();
        var first = await http.SendAsync(Post("/api/v1/issues", key, idempotencyKey, new StringContent(issue, Encoding.UTF8, "application/json")));
        var again = await http.SendAsync(Post("/api/v1/issues", key, idempotencyKey, new StringContent(issue, Encoding.UTF8, "application/json")));
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.True(first.StatusCode == HttpStatusCode.Created, $"{first.StatusCode}: {firstBody}");
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(firstBody, await again.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, again.Headers.Location);
    }

    private static HttpRequestMessage Post(string url, string key, string idempotencyKey, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        request.Headers.Add(Idempotency.HeaderName, idempotencyKey);
        return request;
    }

    private static async Task AssertProblem(HttpResponseMessage response, HttpStatusCode status, ProblemType type)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(type.Uri, JsonDocument.Parse(body).RootElement.GetProperty("type").GetString());
    }
}
