using Marten;
using Marten.Events;
using Rectify.Tests.Support;

namespace Rectify.Tests.Statistics;

/// <summary>
/// PostgreSQL keeps microseconds, .NET keeps 100 ns ticks: an act recorded at the very moment asked for must count,
/// whatever the last ticks of that moment (Rectify keeps every moment it records to whole microseconds).
/// </summary>
public sealed class SubMicrosecondMomentTests(AppFixture app) : ApiTest(app)
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(9)]
    public async Task An_act_at_the_moment_asked_for_counts_whatever_its_last_tick(int lastTick)
    {
        var moment = new DateTimeOffset(2022, 7, 10, 11, 0, 0, TimeSpan.FromHours(8)).AddTicks(1_234_560 + lastTick);
        var text = moment.ToString("yyyy-MM-ddTHH:mm:ss.fffffffzzz");
        App.Clock.Set(moment.AddHours(1));
        await Post("/api/v1/visits", new { townId = "qicun", gridId = "qicun-qicun-g01", householdId = "0001", visitorId = "v-1", occurredAt = text },
            "qicun-visitor", 201);
        await Post("/api/v1/issues", NewIssue(b => b["collectedAt"] = text), "qicun-office", 201);
        await Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        var asOf = Uri.EscapeDataString(text);
        var knownAt = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"));
        foreach (var url in new[] { $"/api/v1/statistics?townId=qicun&asOf={asOf}", $"/api/v1/statistics?townId=qicun&asOf={asOf}&knownAt={knownAt}" })
        {
            var figures = (await Get(url, "admin", 200)).Json;
            Assert.Equal(1, figures.GetProperty("householdsVisited").GetInt32());
            Assert.Equal(1, figures.GetProperty("visits").GetInt32());
            Assert.Equal(1, figures.GetProperty("ledger").GetInt32());
        }
    }
}
