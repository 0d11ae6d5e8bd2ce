using System.Text.Json;
using Alba;
using Marten;
using Wolverine;
using Wolverine.Tracking;

namespace Rectify.Tests.Support;

/// <summary>Base of the Alba scenarios: a clean database per test and small request helpers.</summary>
[Collection(ApiCollection.Name)]
public abstract class ApiTest(AppFixture app) : IAsyncLifetime
{
    protected AppFixture App { get; } = app;
    protected IAlbaHost Host => App.Host;
    protected IDocumentStore Store => Host.DocumentStore();

    public Task InitializeAsync()
    {
        Rectify.Tests.Errors.ProblemTypeRecorder.Drain();
        return App.ResetAsync();
    }

    /// <summary>Fails a test that received an error outside the catalogue (docs/errors.md), or not as problem+json.</summary>
    public Task DisposeAsync()
    {
        var violations = Rectify.Tests.Errors.ProblemTypeRecorder.Drain();
        if (violations.Count > 0)
            throw new Xunit.Sdk.XunitException("Errors outside the problem catalogue:\n" + string.Join("\n", violations));
        return Task.CompletedTask;
    }

    protected async Task<Reply> Send(HttpMethod method, string url, object? body, string? client, int expectedStatus,
        Action<Scenario>? configure = null)
    {
        var result = await Host.Scenario(s =>
        {
            if (method == HttpMethod.Get) s.Get.Url(url);
            else if (body is string raw) s.Post.Text(raw).ToUrl(url);
            else if (body is null) s.Post.Url(url);
            else s.Post.Json(body).ToUrl(url);
            if (client is not null) s.WithRequestHeader("Authorization", $"Bearer {App.Keys[client]}");
            configure?.Invoke(s);
            s.StatusCodeShouldBe(expectedStatus);
        });
        var text = await result.ReadAsTextAsync();
        var json = result.Context.Response.ContentType?.Contains("json") == true && text.Length > 0;
        return new Reply(result, text, json ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    protected Task<Reply> Post(string url, object? body, string? client, int expectedStatus, Action<Scenario>? configure = null) =>
        Send(HttpMethod.Post, url, body, client, expectedStatus, configure);

    protected Task<Reply> Get(string url, string? client, int expectedStatus, Action<Scenario>? configure = null) =>
        Send(HttpMethod.Get, url, null, client, expectedStatus, configure);

    /// <summary>A valid collection request in Qicun; override fields with <paramref name="change"/>.</summary>
    protected static Dictionary<string, object?> NewIssue(Action<Dictionary<string, object?>>? change = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["townId"] = "qicun",
            ["communityId"] = "qicun-qicun",
            ["address"] = "齐村镇齐村 3 号",
            ["categoryId"] = "living-environment",
            ["description"] = "村口路灯坏了一个月，晚上出行不安全",
            ["channel"] = "visit",
            ["visitorId"] = "visitor-017",
            ["residentName"] = "王秀英",
            ["residentPhone"] = "13800001234"
        };
        change?.Invoke(body);
        return body;
    }

    protected async Task<Guid> Collect(Action<Dictionary<string, object?>>? change = null, string client = "qicun-visitor")
    {
        var reply = await Post("/api/v1/issues", NewIssue(change), client, 201);
        return reply.Json.GetProperty("id").GetGuid();
    }

    /// <summary>Runs an HTTP call and waits for every message it cascades to be handled.</summary>
    protected async Task<(ITrackedSession Tracked, Reply Reply)> Tracked(Func<Task<Reply>> call)
    {
        Reply? reply = null;
        var tracked = await Host.TrackActivity().Timeout(TimeSpan.FromMinutes(3))
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(async _ => reply = await call()));
        return (tracked, reply!);
    }

    /// <summary>Events plus resident contacts: what an error path must never leave behind.</summary>
    protected async Task<int> StoredEventCount()
    {
        await using var session = Store.QuerySession();
        return (await session.QueryAsync<int>(
            "select ((select count(*) from rectify.mt_events where stream_id <> ?) + (select count(*) from rectify.mt_doc_residentcontact))::int",
            Rectify.ReferenceData.ReferenceDataStream.Id)).Single();
    }
}

public sealed record Reply(IScenarioResult Result, string Text, JsonElement Json)
{
    public string Status => Json.GetProperty("status").ToString();
    public long Version => Json.GetProperty("version").GetInt64();
    public string? Header(string name) => Result.Context.Response.Headers[name].FirstOrDefault();
    public IEnumerable<string> ErrorFields => Json.GetProperty("errors").EnumerateObject().Select(p => p.Name);
}
