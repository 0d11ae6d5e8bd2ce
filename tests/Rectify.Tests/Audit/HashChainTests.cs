using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Marten;
using Marten.Events;
using Rectify.Audit;
using Rectify.Issues;
using Rectify.Seeding;
using Rectify.Supervision;
using Rectify.Tests.Support;
using Wolverine.Tracking;

namespace Rectify.Tests.Audit;

/// <summary>Tamper evidence: the chain stored by every appending path, its head, the export and verify, the daily digest.</summary>
public sealed class HashChainTests(AppFixture app) : ApiTest(app)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private async Task<long> Count(string table)
    {
        await using var session = Store.QuerySession();
        return (await session.AdvancedSql.QueryAsync<long>($"select count(*) from rectify.{table}", CancellationToken.None)).Single();
    }

    private async Task Sql(string sql, params object[] parameters)
    {
        await using var session = Store.LightweightSession();
        session.QueueSqlCommand(sql, parameters);
        await session.SaveChangesAsync();
    }

    private async Task<Guid> Assigned()
    {
        App.Clock.Set(new DateTimeOffset(2022, 6, 13, 9, 0, 0, Beijing));
        var id = await Collect();
        await Tracked(() => Post($"/api/v1/issues/{id}/assign",
            new { version = 1, unitId = "qicun-governance", measures = "更换路灯", responsibleOffice = "综治中心", responsiblePerson = "李明" }, "qicun-office", 200));
        return id;
    }

    [Fact]
    public async Task Http_commands_message_handlers_and_scheduled_checks_are_chained_as_they_append()
    {
        App.Clock.Set(new DateTimeOffset(2022, 6, 13, 9, 0, 0, Beijing));
        var id = await Collect();
        var (assigned, _) = await Tracked(() => Post($"/api/v1/issues/{id}/assign",
            new { version = 1, unitId = "qicun-governance", measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "qicun-office", 200));
        var check = (CheckClock)assigned.Scheduled.Envelopes().Single(e => e.Message is CheckClock { Clock: SupervisionClock.Handling }).Message!;
        App.Clock.Set(new DateTimeOffset(2022, 6, 20, 10, 0, 0, Beijing));
        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(30)).InvokeMessageAndWaitAsync(check);

        var history = (await Get($"/api/v1/issues/{id}/history", "auditor", 200)).Json.EnumerateArray().ToList();
        Assert.Equal("issue_deadline_missed.v1", history[^1].GetProperty("type").GetString()); // appended by the check's handler
        Assert.Equal(await Count("mt_events"), await Count("event_chain"));

        var chain = (await Get($"/api/v1/issues/{id}/chain", "auditor", 200)).Json;
        Assert.True(chain.GetProperty("intact").GetBoolean());
        Assert.Equal(history.Count, chain.GetProperty("events").GetInt32());
        Assert.Equal(history[^1].GetProperty("version").GetInt64(), chain.GetProperty("head").GetProperty("version").GetInt64());
        Assert.Equal(history[^1].GetProperty("position").GetInt64(), chain.GetProperty("head").GetProperty("position").GetInt64());
        Assert.Matches("^[0-9a-f]{64}$", chain.GetProperty("head").GetProperty("hash").GetString());

        var (broken, events, _) = await ChainVerification.VerifyDatabaseAsync(Store, null, CancellationToken.None);
        Assert.Empty(broken);
        Assert.Equal(await Count("mt_events"), events);
        await Get($"/api/v1/issues/{Guid.NewGuid()}/chain", "auditor", 404);
        Assert.Equal(["id"], (await Get("/api/v1/issues/abc/chain", "auditor", 400)).ErrorFields);
    }

    [Fact]
    public async Task The_seeders_bulk_insert_is_chained_too()
    {
        var plan = new CampaignPlan(3, 0.005, Rectify.Tests.Lifecycle.Given.References, Rectify.Tests.Lifecycle.Given.Calendar);
        await CampaignSeeder.AppendAsync(Store, plan, _ => { }, CancellationToken.None);

        Assert.Equal(await Count("mt_events"), await Count("event_chain"));
        var (broken, events, streams) = await ChainVerification.VerifyDatabaseAsync(Store, null, CancellationToken.None);
        Assert.Empty(broken);
        Assert.True(events >= plan.EventCount && streams > plan.Issues.Count, $"{events} events in {streams} streams");
    }

    [Fact]
    public async Task One_byte_changed_in_a_stored_event_is_named_by_verify_and_by_the_api()
    {
        var id = await Assigned();
        await Post($"/api/v1/issues/{id}/accept", new { version = 2 }, "qicun-office", 200);
        var other = await Assigned();
        var history = (await Get($"/api/v1/issues/{id}/history", "auditor", 200)).Json.EnumerateArray().ToList();

        // 更换路灯 becomes 更换路烛: one character of the assignment's measures, straight in the table.
        await Sql("update rectify.mt_events set data = jsonb_set(data, '{measures}', to_jsonb(replace(data ->> 'measures', '灯', '烛'))) where stream_id = ? and version = 2", id);

        var (broken, _, _) = await ChainVerification.VerifyDatabaseAsync(Store, null, CancellationToken.None);
        var entry = Assert.Single(broken);
        Assert.Equal((id, 2L, history[1].GetProperty("position").GetInt64()), (entry.IssueId, entry.Version, entry.Position));
        Assert.NotEqual(entry.Expected, entry.Found);
        Assert.Empty((await ChainVerification.VerifyDatabaseAsync(Store, other, CancellationToken.None)).Broken);

        var chain = (await Get($"/api/v1/issues/{id}/chain", "auditor", 200)).Json;
        Assert.False(chain.GetProperty("intact").GetBoolean());
        Assert.Equal(2, chain.GetProperty("firstBroken").GetProperty("version").GetInt64());

        // A deleted event is caught as well: its chain row outlives it.
        await Sql("delete from rectify.mt_events where stream_id = ? and version = 3", id);
        Assert.Contains((await ChainVerification.VerifyDatabaseAsync(Store, id, CancellationToken.None)).Broken,
            b => b.Version == 3 && b.Problem == "the chained event is missing");
    }

    private async Task<(bool Ok, string Output)> VerifyFile(string path)
    {
        var output = new StringWriter();
        var ok = await ChainVerification.RunAsync(new AuditInput { Action = "verify", FileFlag = path }, output);
        return (ok, output.ToString());
    }

    [Theory]
    [InlineData("json")]
    [InlineData("csv")]
    public async Task An_export_verifies_and_one_byte_changed_in_it_is_named(string format)
    {
        var id = await Assigned();
        await Post($"/api/v1/issues/{id}/accept", new { version = 2 }, "qicun-office", 200);
        var reply = await Get($"/api/v1/issues/{id}/export?format={format}", "auditor", 200);
        var chain = (await Get($"/api/v1/issues/{id}/chain", "auditor", 200)).Json;
        Assert.Contains(chain.GetProperty("head").GetProperty("hash").GetString()!, reply.Text);

        var path = Path.Combine(Path.GetTempPath(), $"rectify-export-{Guid.NewGuid()}.{format}");
        try
        {
            await File.WriteAllTextAsync(path, reply.Text);
            var (ok, output) = await VerifyFile(path);
            Assert.True(ok, output);
            Assert.Contains("OK: 3 events in 1 streams", output);

            // One byte: the last byte of 李 (UTF-8 E6 9D 8E) in the assignment's responsible person becomes 8F (杏).
            var bytes = await File.ReadAllBytesAsync(path);
            var at = IndexOf(bytes, Encoding.UTF8.GetBytes("李明"));
            Assert.True(at > 0);
            bytes[at + 2] ^= 0x01;
            await File.WriteAllBytesAsync(path, bytes);
            (ok, output) = await VerifyFile(path);
            Assert.False(ok);
            Assert.Contains($"BROKEN stream {id} version 2 position", output);
        }
        finally { File.Delete(path); }
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Length - needle.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        return -1;
    }

    [Fact]
    public async Task Export_format_and_id_are_checked()
    {
        var id = await Collect();
        Assert.Equal(["format"], (await Get($"/api/v1/issues/{id}/export?format=xml", "auditor", 400)).ErrorFields);
        await Get($"/api/v1/issues/{Guid.NewGuid()}/export", "auditor", 404);
        var json = (await Get($"/api/v1/issues/{id}/export", "auditor", 200)).Json;
        Assert.Equal("rectify-event-chain-v1", json.GetProperty("form").GetString());
    }

    /// <summary>The digest recomputed the way docs/audit.md tells an auditor, from the heads listed and each issue's chain.</summary>
    [Fact]
    public async Task The_daily_digest_hashes_the_heads_of_the_day_and_only_auditors_and_supervisors_read_it()
    {
        var first = await Assigned();
        var second = await Collect();
        var head = (await Get($"/api/v1/issues/{first}/chain", "auditor", 200)).Json.GetProperty("head");
        var day = Rectify.Calendar.WorkingCalendar.ShanghaiDate(head.GetProperty("storedAt").GetDateTimeOffset()).ToString("yyyy-MM-dd");

        var digest = (await Get($"/api/v1/audit/digests/{day}", "auditor", 200)).Json;
        var heads = digest.GetProperty("heads").EnumerateArray().ToList();
        var listed = heads.Single(h => h.GetProperty("streamId").GetGuid() == first);
        Assert.Equal(head.GetProperty("hash").GetString(), listed.GetProperty("hash").GetString());
        Assert.Contains(heads, h => h.GetProperty("streamId").GetGuid() == second);

        var text = new StringBuilder($"rectify-daily-digest-v1\n{day}\n");
        foreach (var h in heads.OrderBy(h => h.GetProperty("streamId").GetString(), StringComparer.Ordinal))
            text.Append($"{h.GetProperty("streamId").GetString()},{h.GetProperty("version").GetInt64()},{h.GetProperty("hash").GetString()}\n");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))), digest.GetProperty("digest").GetString());
        Assert.Equal(heads.Count, digest.GetProperty("streams").GetInt32());
        Assert.Equal(digest.ToString(), (await Get($"/api/v1/audit/digests/{day}", "supervisor", 200)).Json.ToString());
        await Get($"/api/v1/audit/digests/{day}", "admin", 200);

        // A day without appends: the digest of no heads.
        var empty = (await Get("/api/v1/audit/digests/2001-01-01", "auditor", 200)).Json;
        Assert.Equal(0, empty.GetProperty("streams").GetInt32());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("rectify-daily-digest-v1\n2001-01-01\n"u8.ToArray())), empty.GetProperty("digest").GetString());

        await Get($"/api/v1/audit/digests/{day}", "qicun-office", 403);
        await Get($"/api/v1/audit/digests/{day}", "housing", 403);
        Assert.Equal(["date"], (await Get("/api/v1/audit/digests/2022-13-01", "auditor", 400)).ErrorFields);
    }

    /// <summary>Upcasting: a v1 row, stored as the code before the rename stored it, still folds and still verifies.</summary>
    [Fact]
    public async Task A_stored_v1_on_spot_resolution_still_replays_and_still_verifies()
    {
        var old = await Collect();
        var current = await Collect();
        await Post($"/api/v1/issues/{current}/resolve-on-spot", new { version = 1, outcome = "当场协调" }, "qicun-visitor", 200);

        // The old shape, serialised as Marten serialises it, appended as version 2 under its old stored name.
        var visitor = new Rectify.Identity.Actor("qicun-visitor", Rectify.Identity.Role.Visitor, "qicun", null);
        var v1 = new IssueEventVersions.IssueResolvedOnSpotV1(old, "当场协调", visitor, App.Clock.GetUtcNow());
        var json = Store.Options.Serializer().ToJson(v1);
        Assert.Contains("\"outcome\"", json);
        await Sql("""
            insert into rectify.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id)
            values (nextval('rectify.mt_events_sequence'), gen_random_uuid(), ?, 2, ?::jsonb, 'issue_resolved_on_spot.v1', now(), '*DEFAULT*')
            """, old, json);
        await Sql("update rectify.mt_streams set version = 2 where id = ?", old);

        await using var session = Store.QuerySession();
        var events = await session.Events.FetchStreamAsync(old);
        var upcast = Assert.IsType<IssueResolvedOnSpot>(events[1].Data);
        Assert.Equal(("issue_resolved_on_spot.v1", "当场协调"), (events[1].EventTypeName, upcast.Resolution));
        var replayed = (await session.Events.AggregateStreamAsync<Issue>(old))!;
        var folded = (await session.Events.AggregateStreamAsync<Issue>(current))!;
        Assert.Equal((IssueStatus.ResolvedOnSpot, 2L), (replayed.Status, replayed.Version));
        Assert.Equal(folded.Status, replayed.Status);
        Assert.Equal("issue_resolved_on_spot.v2", (await session.Events.FetchStreamAsync(current))[1].EventTypeName);

        var (broken, _, _) = await ChainVerification.VerifyDatabaseAsync(Store, old, CancellationToken.None);
        Assert.Empty(broken);
        Assert.True((await Get($"/api/v1/issues/{old}/chain", "auditor", 200)).Json.GetProperty("intact").GetBoolean());
        var history = (await Get($"/api/v1/issues/{old}/history", "auditor", 200)).Json.EnumerateArray().ToList();
        Assert.Equal("当场协调", history[1].GetProperty("data").GetProperty("resolution").GetString());

        // Every reader that selects issue events by stored name reads the v1 row too.
        var search = (await Get("/api/v1/audit?type=issue_resolved_on_spot.v1", "auditor", 200)).Json;
        Assert.Equal(old, search.GetProperty("items").EnumerateArray().Single().GetProperty("issueId").GetGuid());
        var all = (await Get("/api/v1/audit?pageSize=100", "auditor", 200)).Json.GetProperty("items").EnumerateArray();
        Assert.Equal(2, all.Count(e => e.GetProperty("issueId").GetGuid() == old));

        var known = await Rectify.Statistics.KnownAt.IssueSummaries(session, App.Clock.GetUtcNow().AddDays(1), CancellationToken.None);
        Assert.Equal(IssueStatus.ResolvedOnSpot, known.Single(s => s.Id == old).State.Status);

        // The inline read models as the projection had written them when the v1 event was appended: then they equal the replay.
        var summary = (await session.Events.FetchStreamAsync(old)).Aggregate((Rectify.Ledgers.IssueSummary?)null,
            (s, e) => new Rectify.Ledgers.IssueSummaryProjection().Evolve(s, old, e))!;
        await using (var write = Store.LightweightSession())
        {
            write.Store(replayed);
            write.Store(summary);
            await write.SaveChangesAsync();
        }
        var report = await ReplayCheck.RunAsync(Store, CancellationToken.None);
        Assert.DoesNotContain(report.Differences, d => d.Id == old.ToString());

        await Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(2));
        var feed = (await Get("/api/v1/events?after=0&limit=1000", "auditor", 200)).Json.GetProperty("events").EnumerateArray()
            .Where(e => e.GetProperty("issueId").GetGuid() == old).Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal(["issue_collected.v1", "issue_resolved_on_spot.v1"], feed);
    }
}
