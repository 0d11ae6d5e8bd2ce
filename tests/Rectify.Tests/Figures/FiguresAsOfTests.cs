using System.Text.Json;
using Marten;
using Marten.Events;
using Rectify.Issues;
using Rectify.Supervision;
using Rectify.Tests.Support;
using Wolverine.Tracking;

namespace Rectify.Tests.Figures;

/// <summary>A figure for a past moment moves only when an act dated before that moment is recorded.</summary>
public sealed class FiguresAsOfTests(AppFixture app) : ApiTest(app)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    private async Task<JsonElement> Figures(string asOf) =>
        (await Get($"/api/v1/statistics?townId=qicun&asOf={Uri.EscapeDataString(asOf)}", "auditor", 200)).Json;

    private static (int Ledger, int OnSpot) LedgerAndOnSpot(JsonElement f) =>
        (f.GetProperty("ledger").GetInt32(), f.GetProperty("resolvedOnSpot").GetInt32());

    [Fact]
    public async Task A_settlement_on_the_spot_counts_from_its_own_time_and_only_on_the_day_of_collection()
    {
        App.Clock.Set(new DateTimeOffset(2022, 8, 20, 9, 0, 0, Beijing));
        var id = await Collect(b => b["collectedAt"] = "2022-08-10T09:00:00+08:00");
        Assert.Equal((1, 0), LedgerAndOnSpot(await Figures("2022-08-11")));

        // Five days later it is no longer "on the spot": refused, naming why, and the figures for 11 August stay.
        var late = await Post($"/api/v1/issues/{id}/resolve-on-spot", new { version = 1, outcome = "当场解决", occurredAt = "2022-08-15T10:00:00+08:00" },
            "qicun-visitor", 422);
        Assert.Equal(["occurredAt"], late.ErrorFields);
        Assert.Contains("2022-08-10", late.Text);
        Assert.Equal((1, 0), LedgerAndOnSpot(await Figures("2022-08-11")));

        // Settled later that same day: in the ledger until then, apart from then on.
        await Post($"/api/v1/issues/{id}/resolve-on-spot", new { version = 1, outcome = "当场解决", occurredAt = "2022-08-10T15:00:00+08:00" },
            "qicun-visitor", 200);
        Assert.Equal((1, 0), LedgerAndOnSpot(await Figures("2022-08-10T12:00:00+08:00")));
        Assert.Equal((0, 1), LedgerAndOnSpot(await Figures("2022-08-10T15:00:00+08:00")));
        Assert.Equal((0, 1), LedgerAndOnSpot(await Figures("2022-08-11")));
        // The town's ranking counted it in its ledger that morning too.
        var town = (await Get("/api/v1/statistics/rankings?asOf=2022-08-10T12:00:00%2B08:00", "auditor", 200)).Json.GetProperty("towns")
            .EnumerateArray().Single(t => t.GetProperty("id").GetString() == "qicun");
        Assert.Equal(1, town.GetProperty("ledger").GetInt32());
    }

    [Fact]
    public async Task Overdue_starts_at_the_earliest_missed_deadline_whatever_order_the_notices_were_appended_in()
    {
        // Assigned on Monday 13 June: to be accepted by Tuesday 14 June, handled by Thursday 16 June.
        App.Clock.Set(new DateTimeOffset(2022, 6, 13, 9, 0, 0, Beijing));
        var id = await Collect();
        var (tracked, _) = await Tracked(() => Post($"/api/v1/issues/{id}/assign",
            new { version = 1, unitId = "qicun-governance", measures = "m", responsibleOffice = "o", responsiblePerson = "p" }, "qicun-office", 200));
        var checks = tracked.Scheduled.Envelopes().Select(e => e.Message).OfType<CheckClock>().ToList();
        var acceptance = checks.Single(c => c.Clock == SupervisionClock.Acceptance);
        var handling = checks.Single(c => c.Clock == SupervisionClock.Handling);
        Assert.Equal(new DateOnly(2022, 6, 14), acceptance.DueDate);
        Assert.Equal(new DateOnly(2022, 6, 16), handling.DueDate);

        // The later clock's check happens to be handled first (a node was down, a queue was behind).
        App.Clock.Set(new DateTimeOffset(2022, 6, 17, 10, 0, 0, Beijing));
        await Host.TrackActivity().Timeout(TimeSpan.FromMinutes(3)).InvokeMessageAndWaitAsync(handling);
        await Host.TrackActivity().Timeout(TimeSpan.FromMinutes(3)).InvokeMessageAndWaitAsync(acceptance);

        Assert.Equal(0, (await Figures("2022-06-14")).GetProperty("overdue").GetInt32());
        Assert.Equal(1, (await Figures("2022-06-15T12:00:00+08:00")).GetProperty("overdue").GetInt32());
        Assert.Equal(1, (await Figures("2022-06-17T09:00:00+08:00")).GetProperty("overdue").GetInt32());
    }

    [Fact]
    public async Task With_knownAt_the_figures_are_those_served_before_a_back_filled_entry_and_without_it_they_include_it()
    {
        App.Clock.Set(new DateTimeOffset(2022, 6, 20, 9, 0, 0, Beijing));
        await Collect(b => b["collectedAt"] = "2022-06-10T09:00:00+08:00");
        await Post("/api/v1/visits", new { townId = "qicun", gridId = "qicun-qicun-g01", householdId = "0001", visitorId = "visitor-017", leaflets = 2,
            occurredAt = "2022-06-10T09:00:00+08:00" }, "qicun-visitor", 201);
        await Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(5));
        var published = await StoredNow(); // the bulletin of that day is published now

        // Back-filled afterwards: an entry of 12 June from a paper ledger, and that day's visit.
        var late = await Collect(b => b["collectedAt"] = "2022-06-12T10:00:00+08:00");
        await Post($"/api/v1/issues/{late}/assign", new { version = 1, unitId = "qicun-governance", measures = "m", responsibleOffice = "o",
            responsiblePerson = "p", occurredAt = "2022-06-12T11:00:00+08:00" }, "qicun-office", 200);
        await Post("/api/v1/visits", new { townId = "qicun", gridId = "qicun-qicun-g01", householdId = "0002", visitorId = "visitor-017", leaflets = 3,
            occurredAt = "2022-06-12T10:00:00+08:00" }, "qicun-visitor", 201);
        await Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(5));
        var knownAt = Uri.EscapeDataString(published.ToString("O"));

        var now = await Figures("2022-06-15");
        Assert.Equal((2, 2, 5), (now.GetProperty("ledger").GetInt32(), now.GetProperty("householdsVisited").GetInt32(), now.GetProperty("leaflets").GetInt32()));
        var then = (await Get($"/api/v1/statistics?townId=qicun&asOf=2022-06-15&knownAt={knownAt}", "auditor", 200)).Json;
        Assert.Equal((1, 1, 2), (then.GetProperty("ledger").GetInt32(), then.GetProperty("householdsVisited").GetInt32(), then.GetProperty("leaflets").GetInt32()));
        Assert.Equal(published, then.GetProperty("knownAt").GetDateTimeOffset());

        static int QicunLedger(JsonElement rankings) => rankings.GetProperty("towns").EnumerateArray()
            .Single(t => t.GetProperty("id").GetString() == "qicun").GetProperty("ledger").GetInt32();
        Assert.Equal(2, QicunLedger((await Get("/api/v1/statistics/rankings?asOf=2022-06-15", "auditor", 200)).Json));
        Assert.Equal(1, QicunLedger((await Get($"/api/v1/statistics/rankings?asOf=2022-06-15&knownAt={knownAt}", "auditor", 200)).Json));

        Assert.Contains("收集问题诉求2个", (await Get("/api/v1/reports/bulletin?asOf=2022-06-15", "auditor", 200)).Text);
        Assert.Contains("收集问题诉求1个", (await Get($"/api/v1/reports/bulletin?asOf=2022-06-15&knownAt={knownAt}", "auditor", 200)).Text);

        // The read-model path and the stored-events path agree once nothing more was stored.
        var latest = Uri.EscapeDataString((await StoredNow()).ToString("O"));
        var same = (await Get($"/api/v1/statistics?townId=qicun&asOf=2022-06-15&knownAt={latest}", "auditor", 200)).Json;
        foreach (var figure in now.EnumerateObject().Where(p => p.Name != "knownAt"))
            Assert.Equal(figure.Value.GetRawText(), same.GetProperty(figure.Name).GetRawText());

        var bad = await Get("/api/v1/statistics?knownAt=yesterday", "auditor", 400);
        Assert.Equal(["knownAt"], bad.ErrorFields);
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
