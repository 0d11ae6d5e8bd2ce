using System.Text.Json;
using Marten;
using Rectify.Issues;
using Rectify.Tests.Support;

namespace Rectify.Tests.Contract;

/// <summary>The change feed: resumable, complete under concurrent writers, the history's fields, district roles only.</summary>
public sealed class EventFeedTests(AppFixture app) : ApiTest(app)
{
    private const int Writers = 8;
    private const int IssuesPerWriter = 5;

    [Fact]
    public async Task A_follower_sees_every_event_exactly_once_and_in_order_while_8_writers_append()
    {
        var writing = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < IssuesPerWriter; i++)
            {
                var id = await Collect(b => b["description"] = $"writer {w} issue {i}");
                if (i % 2 == 0) await Post($"/api/v1/issues/{id}/escalate", new { version = 1, departmentId = "housing", reason = "协调" }, "qicun-office", 200);
            }
        })).ToList();

        var seen = new List<JsonElement>();
        long position = 0;
        var expected = -1;
        var until = DateTime.UtcNow.AddMinutes(4);
        while (DateTime.UtcNow < until && seen.Count != expected)
        {
            var page = (await Get($"/api/v1/events?after={position}&limit=7", "auditor", 200)).Json;
            var events = page.GetProperty("events").EnumerateArray().ToList();
            seen.AddRange(events);
            var next = page.GetProperty("next").GetInt64();
            Assert.True(next >= position, "next never goes back");
            Assert.True(next <= page.GetProperty("highWaterMark").GetInt64());
            position = next;
            if (expected < 0 && writing.All(t => t.IsCompleted)) expected = await StoredIssueEvents();
            if (events.Count == 0) await Task.Delay(100);
        }
        await Task.WhenAll(writing);

        var positions = seen.Select(e => e.GetProperty("position").GetInt64()).ToList();
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(positions.Count, positions.Distinct().Count());
        var acts = seen.Select(e => (e.GetProperty("issueId").GetGuid(), e.GetProperty("version").GetInt64())).ToList();
        Assert.Equal(acts.Count, acts.Distinct().Count());
        await using var session = Store.QuerySession();
        var stored = await session.Events.QueryAllRawEvents().Where(e => e.Sequence > 0).OrderBy(e => e.Sequence).ToListAsync();
        var storedActs = stored.Where(e => e.Data is IIssueEvent).Select(e => (e.StreamId, e.Version)).ToList();
        Assert.Equal(Writers * IssuesPerWriter, storedActs.Count(a => a.Version == 1));
        Assert.Equal(storedActs, acts);
    }

    [Fact]
    public async Task An_entry_has_the_fields_of_the_history_plus_the_issue_id()
    {
        var id = await Collect();
        await Post($"/api/v1/issues/{id}/escalate", new { version = 1, departmentId = "housing", reason = "协调" }, "qicun-office", 200);
        var history = (await Get($"/api/v1/issues/{id}/history", "auditor", 200)).Json.EnumerateArray().ToList();

        var feed = await FollowUntil(history.Count, "supervisor");

        for (var i = 0; i < history.Count; i++)
        {
            var entry = feed[i];
            Assert.Equal(id, entry.GetProperty("issueId").GetGuid());
            var withoutIssue = entry.EnumerateObject().Where(p => p.Name != "issueId").Select(p => (p.Name, p.Value.GetRawText()));
            Assert.Equal(history[i].EnumerateObject().Select(p => (p.Name, p.Value.GetRawText())), withoutIssue);
        }
    }

    [Fact]
    public async Task A_full_page_continues_after_its_last_event_and_a_short_one_at_the_high_water_mark()
    {
        for (var i = 0; i < 3; i++) await Collect();
        await FollowUntil(3, "admin");

        var full = (await Get("/api/v1/events?after=0&limit=2", "admin", 200)).Json;
        var events = full.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(2, events.Count);
        Assert.Equal(events[1].GetProperty("position").GetInt64(), full.GetProperty("next").GetInt64());

        var rest = (await Get($"/api/v1/events?after={full.GetProperty("next").GetInt64()}", "admin", 200)).Json;
        Assert.Single(rest.GetProperty("events").EnumerateArray());
        Assert.Equal(rest.GetProperty("highWaterMark").GetInt64(), rest.GetProperty("next").GetInt64());

        var caughtUp = (await Get($"/api/v1/events?after={rest.GetProperty("next").GetInt64()}", "admin", 200)).Json;
        Assert.Empty(caughtUp.GetProperty("events").EnumerateArray());
        Assert.Equal(rest.GetProperty("next").GetInt64(), caughtUp.GetProperty("next").GetInt64());
    }

    [Theory]
    [InlineData("qicun-office")]
    [InlineData("qicun-visitor")]
    [InlineData("housing")]
    public async Task Roles_below_the_district_are_refused(string client)
    {
        var reply = await Get("/api/v1/events", client, 403);
        Assert.Equal("https://rectify.invalid/problems/forbidden", reply.Json.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Bad_positions_and_limits_are_named()
    {
        var reply = await Get("/api/v1/events?after=-1&limit=0", "auditor", 400);
        Assert.Equal(["after", "limit"], reply.ErrorFields.Order());
        Assert.Equal(["limit"], (await Get("/api/v1/events?limit=1001", "auditor", 400)).ErrorFields);
        await Get("/api/v1/events?after=abc", "auditor", 400);
    }

    private async Task<List<JsonElement>> FollowUntil(int count, string client)
    {
        var until = DateTime.UtcNow.AddMinutes(3);
        List<JsonElement> events = [];
        while (DateTime.UtcNow < until && events.Count < count)
        {
            events = (await Get("/api/v1/events?after=0", client, 200)).Json.GetProperty("events").EnumerateArray().ToList();
            if (events.Count < count) await Task.Delay(100);
        }
        Assert.Equal(count, events.Count);
        return events;
    }

    private async Task<int> StoredIssueEvents()
    {
        await using var session = Store.QuerySession();
        var stored = await session.Events.QueryAllRawEvents().ToListAsync();
        return stored.Count(e => e.Data is IIssueEvent);
    }
}
