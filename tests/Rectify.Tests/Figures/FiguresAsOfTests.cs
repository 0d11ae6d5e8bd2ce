using System.Text.Json;
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
        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(30)).InvokeMessageAndWaitAsync(handling);
        await Host.TrackActivity().Timeout(TimeSpan.FromSeconds(30)).InvokeMessageAndWaitAsync(acceptance);

        Assert.Equal(0, (await Figures("2022-06-14")).GetProperty("overdue").GetInt32());
        Assert.Equal(1, (await Figures("2022-06-15T12:00:00+08:00")).GetProperty("overdue").GetInt32());
        Assert.Equal(1, (await Figures("2022-06-17T09:00:00+08:00")).GetProperty("overdue").GetInt32());
    }
}
