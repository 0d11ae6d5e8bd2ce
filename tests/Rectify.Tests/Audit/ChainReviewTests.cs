using System.Text.Json.Nodes;
using Rectify.Audit;
using Rectify.Tests.Support;

namespace Rectify.Tests.Audit;

/// <summary>The review of issue 14: what the chain checks besides the hashes, exports' heads, backfill, the search's bounds, asOf on changed stored times.</summary>
public sealed class ChainReviewTests(AppFixture app) : ApiTest(app)
{
    private async Task Sql(string sql, params object[] parameters)
    {
        await using var session = Store.LightweightSession();
        session.QueueSqlCommand(sql, parameters);
        await session.SaveChangesAsync();
    }

    private async Task<Guid> ResolvedOnSpot()
    {
        var id = await Collect();
        await Post($"/api/v1/issues/{id}/resolve-on-spot", new { version = 1, outcome = "当场协调" }, "qicun-visitor", 200);
        return id;
    }

    private async Task<BrokenEntry> OnlyBroken(Guid id)
    {
        var entry = Assert.Single((await ChainVerification.VerifyDatabaseAsync(Store, null, CancellationToken.None)).Broken);
        Assert.Equal(id, entry.IssueId);
        Assert.False((await Get($"/api/v1/issues/{id}/chain", "auditor", 200)).Json.GetProperty("intact").GetBoolean());
        return entry;
    }

    private static async Task<(bool Ok, string Output)> VerifyFile(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"rectify-export-{Guid.NewGuid()}.json");
        try
        {
            await File.WriteAllTextAsync(path, text);
            var output = new StringWriter();
            var ok = await ChainVerification.RunAsync(new AuditInput { Action = "verify", FileFlag = path }, output);
            return (ok, output.ToString());
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task An_archived_event_and_a_changed_stored_time_fail_verify()
    {
        var id = await ResolvedOnSpot();
        await Sql("update rectify.mt_events set is_archived = true where stream_id = ? and version = 2", id);
        var archived = await OnlyBroken(id);
        Assert.Equal((2L, "archived: Rectify never archives"), (archived.Version, archived.Problem));

        await Sql("update rectify.mt_events set is_archived = false where stream_id = ?", id);
        Assert.Empty((await ChainVerification.VerifyDatabaseAsync(Store, null, CancellationToken.None)).Broken);
        await Sql("update rectify.mt_events set timestamp = timestamp - interval '1 second' where stream_id = ? and version = 1", id);
        var moved = await OnlyBroken(id);
        Assert.Equal((1L, "stored time changed"), (moved.Version, moved.Problem));
    }

    [Fact]
    public async Task A_streams_last_event_deleted_with_its_chain_entry_fails_verify()
    {
        var id = await ResolvedOnSpot();
        var other = await ResolvedOnSpot();
        await Sql("delete from rectify.event_chain where stream_id = ? and version = 2", id);
        await Sql("delete from rectify.mt_events where stream_id = ? and version = 2", id);

        var entry = await OnlyBroken(id);
        Assert.Equal((2L, "the stream's last events are missing with their chain entries"), (entry.Version, entry.Problem));
        Assert.True((await Get($"/api/v1/issues/{other}/chain", "auditor", 200)).Json.GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task An_exports_head_is_checked_against_its_last_event_and_printed()
    {
        var id = await ResolvedOnSpot();
        var text = (await Get($"/api/v1/issues/{id}/export", "auditor", 200)).Text;
        var head = JsonNode.Parse(text)!["head"]!.GetValue<string>();

        var (ok, output) = await VerifyFile(text);
        Assert.True(ok, output);
        Assert.Contains($"head: stream {id} version 2 hash {head}", output);

        // The last event cut off: what is left still chains, but no longer ends at the head.
        var cut = JsonNode.Parse(text)!;
        cut["events"]!.AsArray().RemoveAt(1);
        (ok, output) = await VerifyFile(cut.ToJsonString());
        Assert.False(ok);
        Assert.Contains($"BROKEN stream {id} version 1", output);
        Assert.Contains("the export's head differs from its last event's hash", output);
    }

    [Theory]
    [InlineData("{ \"issueId\": ")]
    [InlineData("{ \"issueId\": \"x\" }")]
    [InlineData("issue_id,position\r\n")]
    [InlineData("issue_id,position,version,type,stored_at,occurred_at,actor,data,previous_hash,hash\r\nnot-a-guid,1,1,t,2022-01-01T00:00:00Z,,,{},,\r\n")]
    public async Task A_malformed_file_is_one_line_and_fails(string text)
    {
        var (ok, output) = await VerifyFile(text);
        Assert.False(ok);
        Assert.Contains("is no readable export", output);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task Backfill_chains_events_stored_before_the_chain_and_verify_says_to_run_it()
    {
        var id = await ResolvedOnSpot();
        var chain = (await Get($"/api/v1/issues/{id}/chain", "auditor", 200)).Json.GetProperty("head").GetProperty("hash").GetString();
        await Sql("delete from rectify.event_chain where stream_id = ?", id);

        var entry = await OnlyBroken(id);
        Assert.Equal((1L, "no chain entry for this event: run audit backfill"), (entry.Version, entry.Problem));

        Assert.Equal(2, await EventChainBackfill.RunAsync(Store, CancellationToken.None));
        Assert.Empty((await ChainVerification.VerifyDatabaseAsync(Store, null, CancellationToken.None)).Broken);
        Assert.Equal(chain, (await Get($"/api/v1/issues/{id}/chain", "auditor", 200)).Json.GetProperty("head").GetProperty("hash").GetString());
        Assert.Equal(0, await EventChainBackfill.RunAsync(Store, CancellationToken.None));
    }

    [Fact]
    public async Task The_audit_search_includes_an_act_stored_at_exactly_to()
    {
        var id = await Collect();
        var stored = (await Get($"/api/v1/issues/{id}/history", "auditor", 200)).Json[0].GetProperty("storedAt").GetDateTimeOffset();
        var moment = Uri.EscapeDataString(stored.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-ddTHH:mm:ss.ffffffzzz"));

        var found = (await Get($"/api/v1/audit?from={moment}&to={moment}", "auditor", 200)).Json;
        Assert.Equal(1, found.GetProperty("total").GetInt64());
        Assert.Equal(id, found.GetProperty("items")[0].GetProperty("issueId").GetGuid());
        var before = Uri.EscapeDataString(stored.AddTicks(-10).ToString("yyyy-MM-ddTHH:mm:ss.ffffffzzz"));
        Assert.Equal(0, (await Get($"/api/v1/audit?to={before}", "auditor", 200)).Json.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task A_digest_is_complete_only_some_minutes_after_its_day()
    {
        var day = new DateOnly(2001, 1, 1);
        var end = new DateTimeOffset(2001, 1, 2, 0, 0, 0, TimeSpan.FromHours(8));
        Assert.False((await DailyDigest.ComputeAsync(Store, day, end.AddMinutes(1), CancellationToken.None)).Complete);
        Assert.True((await DailyDigest.ComputeAsync(Store, day, end + DailyDigest.CompleteAfter, CancellationToken.None)).Complete);
    }

    [Fact]
    public async Task The_issue_as_it_stood_on_out_of_order_stored_times_is_a_conflict_not_a_500()
    {
        var id = await ResolvedOnSpot();
        var collected = (await Get($"/api/v1/issues/{id}/history", "auditor", 200)).Json[0].GetProperty("storedAt").GetDateTimeOffset();
        // Version 2 now stored a day before version 1: asOf between them finds version 2 without version 1.
        await Sql("update rectify.mt_events set timestamp = timestamp - interval '1 day' - (timestamp - ?) where stream_id = ? and version = 2",
            collected.ToUniversalTime(), id);
        var asOf = Uri.EscapeDataString(collected.AddHours(-12).ToString("yyyy-MM-ddTHH:mm:ss.fffffffzzz"));
        var reply = await Get($"/api/v1/issues/{id}?asOf={asOf}", "auditor", 409);
        Assert.Contains("stored times are out of order", reply.Json.GetProperty("title").GetString());
    }

    [Fact]
    public async Task An_erasures_reason_shows_in_the_history()
    {
        var id = await Collect();
        await Post($"/api/v1/issues/{id}/erase-personal-data", new { reason = "居民书面申请删除个人信息" }, "admin", 200);
        var history = (await Get($"/api/v1/issues/{id}/history", "auditor", 200)).Json.EnumerateArray().ToList();
        Assert.Equal("居民书面申请删除个人信息", history[^1].GetProperty("reason").GetString());
    }
}
