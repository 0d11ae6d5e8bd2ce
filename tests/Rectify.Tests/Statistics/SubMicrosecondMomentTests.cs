using Marten;
using Marten.Events;
using Rectify.Tests.Support;

namespace Rectify.Tests.Statistics;

/// <summary>
/// PostgreSQL keeps microseconds, .NET keeps 100 ns ticks: a visit made at the very moment asked for must count,
/// however the two round.
/// </summary>
public sealed class SubMicrosecondMomentTests(AppFixture app) : ApiTest(app)
{
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    [InlineData(9)]
    public async Task A_visit_at_the_moment_asked_for_counts_whatever_its_last_tick(int lastTick)
    {
        // 11:00 in Shanghai on a campaign day, plus a few ticks below one microsecond.
        App.Clock.Set(new DateTimeOffset(2022, 7, 10, 3, 0, 0, TimeSpan.Zero).AddTicks(1_234_560 + lastTick));
        await Post("/api/v1/visits", new { townId = "qicun", gridId = "qicun-qicun-g01", householdId = "0001", visitorId = "v-1" }, "qicun-visitor", 201);
        await Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));

        var live = (await Get("/api/v1/statistics?townId=qicun", "admin", 200)).Json;
        Assert.Equal(1, live.GetProperty("householdsVisited").GetInt32());

        var knownAt = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"));
        var known = (await Get($"/api/v1/statistics?townId=qicun&knownAt={knownAt}", "admin", 200)).Json;
        Assert.Equal(1, known.GetProperty("householdsVisited").GetInt32());
        Assert.Equal(1, known.GetProperty("visits").GetInt32());
    }
}
