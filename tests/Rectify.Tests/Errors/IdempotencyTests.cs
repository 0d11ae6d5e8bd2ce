using Alba;
using Marten;
using Npgsql;
using Rectify.Infrastructure;
using Rectify.Ledgers;
using Rectify.Tests.Support;

namespace Rectify.Tests.Errors;

/// <summary>Retrying a POST with its Idempotency-Key (Wolverine's deduplicated responses): docs/api.md, "Retrying safely".</summary>
public sealed class IdempotencyTests(AppFixture app) : ApiTest(app)
{
    private static Action<Scenario> Key(string key) => s => s.WithRequestHeader(Idempotency.HeaderName, key);

    private async Task<int> IssueCount()
    {
        await using var session = Store.QuerySession();
        return await session.Query<IssueSummary>().CountAsync();
    }

    [Fact]
    public async Task A_retry_with_the_same_key_and_body_gets_the_first_answer_and_appends_nothing()
    {
        var key = Guid.NewGuid().ToString();
        var first = await Post("/api/v1/issues", NewIssue(), "qicun-visitor", 201, Key(key));
        var stored = await StoredEventCount();

        var retry = await Post("/api/v1/issues", NewIssue(), "qicun-visitor", 201, Key(key));

        Assert.Equal(first.Json.GetProperty("id").GetGuid(), retry.Json.GetProperty("id").GetGuid());
        Assert.Equal(first.Text, retry.Text);
        Assert.Equal(first.Header("Location"), retry.Header("Location"));
        Assert.Equal(stored, await StoredEventCount());
        Assert.Equal(1, await IssueCount());
    }

    [Fact]
    public async Task A_retried_lifecycle_command_is_answered_once()
    {
        var id = await Collect();
        var key = Guid.NewGuid().ToString();
        var assignment = new { version = 1, unitId = "qicun-governance", measures = "更换路灯灯具", responsibleOffice = "综治中心", responsiblePerson = "李明" };
        var first = await Post($"/api/v1/issues/{id}/assign", assignment, "qicun-office", 200, Key(key));
        var stored = await StoredEventCount();

        var retry = await Post($"/api/v1/issues/{id}/assign", assignment, "qicun-office", 200, Key(key));

        Assert.Equal(first.Text, retry.Text);
        Assert.Equal(2, retry.Version);
        Assert.Equal(stored, await StoredEventCount());
        // Without the key the same body is a new command, refused as stale: the key is what makes a retry safe.
        await Post($"/api/v1/issues/{id}/assign", assignment, "qicun-office", 409);
    }

    [Fact]
    public async Task The_same_key_with_another_body_is_a_422_idempotency_conflict()
    {
        var key = Guid.NewGuid().ToString();
        await Post("/api/v1/issues", NewIssue(), "qicun-visitor", 201, Key(key));
        var stored = await StoredEventCount();

        var other = await Post("/api/v1/issues", NewIssue(b => b["address"] = "齐村镇齐村 5 号"), "qicun-visitor", 422, Key(key));

        Assert.Equal("application/problem+json", other.Result.Context.Response.ContentType);
        Assert.Equal(ProblemTypes.IdempotencyConflict.Uri, other.Json.GetProperty("type").GetString());
        Assert.Equal(stored, await StoredEventCount());
        // Another route with the same key is another request too.
        var elsewhere = await Post("/api/v1/visits", new { }, "qicun-visitor", 422, Key(key));
        Assert.Equal(ProblemTypes.IdempotencyConflict.Uri, elsewhere.Json.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Without_a_key_every_post_runs()
    {
        await Post("/api/v1/issues", NewIssue(), "qicun-visitor", 201);
        await Post("/api/v1/issues", NewIssue(), "qicun-visitor", 201);
        Assert.Equal(2, await IssueCount());
    }

    [Fact]
    public async Task Two_callers_with_the_same_key_do_not_see_each_others_answers()
    {
        var key = Guid.NewGuid().ToString();
        var visitor = await Post("/api/v1/issues", NewIssue(), "qicun-visitor", 201, Key(key));
        var office = await Post("/api/v1/issues", NewIssue(), "qicun-office", 201, Key(key));

        Assert.NotEqual(visitor.Json.GetProperty("id").GetGuid(), office.Json.GetProperty("id").GetGuid());
        Assert.Equal(2, await IssueCount());
    }

    [Fact]
    public async Task A_refused_request_keeps_no_key_so_the_corrected_retry_runs()
    {
        var key = Guid.NewGuid().ToString();
        await Post("/api/v1/issues", NewIssue(b => b["channel"] = "pigeon"), "qicun-visitor", 400, Key(key));
        await Post("/api/v1/issues", NewIssue(), "qicun-visitor", 201, Key(key));
        Assert.Equal(1, await IssueCount());
    }

    [Fact]
    public async Task A_retry_while_the_first_is_still_running_is_a_409_with_retry_after_and_the_first_then_answers()
    {
        var key = Guid.NewGuid().ToString();
        Task<Reply> first;
        // Hold the first request at its append: a lock on the streams table stops its insert, after it claimed the key.
        await using (var holder = new NpgsqlConnection(Environment.GetEnvironmentVariable("ConnectionStrings__marten")))
        {
            await holder.OpenAsync();
            await using var hold = await holder.BeginTransactionAsync();
            await using (var lockStreams = new NpgsqlCommand("lock table rectify.mt_streams in share row exclusive mode", holder, hold))
                await lockStreams.ExecuteNonQueryAsync();

            first = Post("/api/v1/issues", NewIssue(), "qicun-visitor", 201, Key(key));
            await WaitUntilBlocked(holder, first);

            var during = await Post("/api/v1/issues", NewIssue(), "qicun-visitor", 409, Key(key));
            Assert.Equal(ProblemTypes.IdempotencyInFlight.Uri, during.Json.GetProperty("type").GetString());
            Assert.Equal(Idempotency.RetryAfterSeconds.ToString(), during.Header("Retry-After"));
            Assert.False(first.IsCompleted);

            await hold.RollbackAsync();
        }

        var answered = await first;
        var after = await Post("/api/v1/issues", NewIssue(), "qicun-visitor", 201, Key(key));
        Assert.Equal(answered.Text, after.Text);
        Assert.Equal(1, await IssueCount());
    }

    /// <summary>Polls PostgreSQL until a session waits for the held lock (no fixed sleep: the machine may be slow).</summary>
    private static async Task WaitUntilBlocked(NpgsqlConnection holder, Task<Reply> request)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (request.IsCompleted) await request; // fails the test with what went wrong
            await using var waiting = new NpgsqlCommand(
                "select count(*) from pg_locks where not granted and relation = 'rectify.mt_streams'::regclass", holder);
            if ((long)(await waiting.ExecuteScalarAsync())! > 0) return;
            await Task.Delay(50);
        }
        throw new TimeoutException("The first request never reached its append.");
    }
}
