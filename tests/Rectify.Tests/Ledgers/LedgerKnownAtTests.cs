using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Marten.Events;
using Rectify.Tests.Support;

namespace Rectify.Tests.Ledgers;

/// <summary>
/// knownAt on every ledger: the rows and totals as Rectify served them at a stored moment, whatever was back-filled
/// since with an earlier domain time; without it, the ledger as it is now.
/// </summary>
public sealed class LedgerKnownAtTests(AppFixture app) : ApiTest(app)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private static readonly string[] Ledgers =
    [
        "/api/v1/ledgers/visitors/visitor-017/2022-06-12?format=json",
        "/api/v1/ledgers/towns/qicun/2022-06-12?format=json",
        "/api/v1/ledgers/towns/qicun?page=1",
        "/api/v1/ledgers/departments/housing?page=1",
        "/api/v1/ledgers/domains/living-environment?page=1"
    ];

    private Task<Reply> Visit(string householdId, string occurredAt, Guid[] issueIds) =>
        Post("/api/v1/visits", new { townId = "qicun", gridId = "qicun-qicun-g01", householdId, visitorId = "visitor-017", anyoneHome = true,
            leaflets = 2, issueIds, occurredAt }, "qicun-visitor", 201);

    /// <summary>An issue collected at a visit on 12 June and escalated to housing, the lead of living environment.</summary>
    private async Task<Guid> CollectAndEscalate(string collectedAt, string escalatedAt)
    {
        var id = await Collect(b => b["collectedAt"] = collectedAt);
        await Post($"/api/v1/issues/{id}/escalate", new { version = 1, reason = "r", occurredAt = escalatedAt }, "qicun-office", 200);
        return id;
    }

    [Fact]
    public async Task With_knownAt_each_ledger_answers_as_it_did_before_a_back_filled_entry_and_without_it_includes_the_entry()
    {
        App.Clock.Set(new DateTimeOffset(2022, 6, 20, 9, 0, 0, Beijing));
        var first = await CollectAndEscalate("2022-06-12T09:00:00+08:00", "2022-06-12T09:30:00+08:00");
        await Visit("0001", "2022-06-12T09:00:00+08:00", [first]);
        await Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(5));
        var before = new Dictionary<string, JsonNode>();
        foreach (var url in Ledgers) before[url] = Json((await Get(url, "auditor", 200)).Text);
        var townDayCsv = (await Get("/api/v1/ledgers/towns/qicun/2022-06-12?format=csv", "auditor", 200)).Text;
        var readAt = await StoredNow(); // the moment of the first read

        // Back-filled afterwards from a paper ledger: a second entry of 12 June with its visit; and the first issue moves on.
        var late = await CollectAndEscalate("2022-06-12T10:00:00+08:00", "2022-06-12T11:00:00+08:00");
        await Visit("0002", "2022-06-12T10:00:00+08:00", [late]);
        await Post($"/api/v1/issues/{first}/accept", new { version = 2, measures = "m", responsibleOffice = "o", responsiblePerson = "p",
            occurredAt = "2022-06-13T09:00:00+08:00" }, "housing", 200);
        await Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(5));
        var knownAt = Uri.EscapeDataString(readAt.ToString("O"));

        foreach (var url in Ledgers)
        {
            var now = await Get(url, "auditor", 200);
            Assert.Contains(late.ToString(), now.Text); // without knownAt: the back-filled entry is there
            Assert.NotEqual(before[url].ToJsonString(), Json(now.Text).ToJsonString());

            var then = await Get($"{url}&knownAt={knownAt}", "auditor", 200);
            Assert.Equal(readAt, then.Json.GetProperty("knownAt").GetDateTimeOffset());
            Assert.Equal(before[url].ToJsonString(), Json(then.Text).ToJsonString()); // with it: the first read, row for row

            var bad = await Get($"{url}&knownAt=yesterday", "auditor", 400);
            Assert.Equal(["knownAt"], bad.ErrorFields);
        }

        // Spot checks of what moved, so that the comparison above is not of two empty answers.
        var visitor = (await Get($"{Ledgers[0]}&knownAt={knownAt}", "auditor", 200)).Json;
        Assert.Equal((1, 2), (visitor.GetProperty("visits").GetInt32(), visitor.GetProperty("leaflets").GetInt32()));
        var department = (await Get($"{Ledgers[3]}&knownAt={knownAt}", "auditor", 200)).Json;
        var row = Assert.Single(department.GetProperty("items").EnumerateArray());
        Assert.Equal(("escalated", first), (row.GetProperty("status").GetString(), row.GetProperty("issueId").GetGuid()));
        Assert.Equal(2, (await Get(Ledgers[3], "auditor", 200)).Json.GetProperty("total").GetInt32());

        // The exports take knownAt alike and say so in the totals.
        var csvThen = (await Get($"/api/v1/ledgers/towns/qicun/2022-06-12?format=csv&knownAt={knownAt}", "auditor", 200)).Text;
        Assert.Equal(townDayCsv, csvThen);
        Assert.Contains(late.ToString(), (await Get("/api/v1/ledgers/towns/qicun/2022-06-12?format=csv", "auditor", 200)).Text);
        var totalsThen = (await Get($"/api/v1/ledgers/departments/housing?format=csv&part=totals&knownAt={knownAt}", "auditor", 200)).Text;
        Assert.Contains("录入截至", totalsThen);
        Assert.Contains(",1,1,0,1,", totalsThen);
        await Get("/api/v1/ledgers/domains/living-environment?format=xlsx&knownAt=2022-13-01", "auditor", 400);
    }

    /// <summary>The answer without its knownAt fields (null when not asked for), to compare two reads.</summary>
    private static JsonNode Json(string text)
    {
        var node = JsonNode.Parse(text)!;
        void Strip(JsonNode? n)
        {
            if (n is JsonObject o)
            {
                o.Remove("knownAt");
                foreach (var p in o.ToList()) Strip(p.Value);
            }
            else if (n is JsonArray a)
                foreach (var item in a) Strip(item);
        }
        Strip(node);
        return node;
    }

    /// <summary>The database's clock: what mt_events.timestamp is compared with.</summary>
    private async Task<DateTimeOffset> StoredNow()
    {
        await using var session = Store.QuerySession();
        var now = (await session.QueryAsync<DateTimeOffset>("select clock_timestamp()")).Single();
        await Task.Delay(20); // a later store gets a later timestamp
        return now;
    }
}
