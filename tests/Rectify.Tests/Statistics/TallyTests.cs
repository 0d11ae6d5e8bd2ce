using Marten;
using Marten.Events;
using Rectify.Seeding;
using Rectify.Statistics.Tallies;
using Rectify.Tests.Lifecycle;
using Rectify.Tests.Support;

namespace Rectify.Tests.Statistics;

/// <summary>The statistics read model (docs/statistics.md, "The read model"): Fenwick nodes of days, acts inside a day.</summary>
public sealed class TallyTests(AppFixture app) : ApiTest(app)
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);

    [Fact]
    public void The_prefix_nodes_of_a_day_hold_every_delta_added_on_that_day_or_before_and_none_after()
    {
        var random = new Random(15);
        var days = Enumerable.Range(0, 400).Select(_ => (Day: random.Next(1, 9000), Value: random.Next(-3, 10))).ToList();
        var nodes = new Dictionary<int, long>();
        foreach (var (day, value) in days)
            foreach (var node in Fenwick.UpdatePath(day)) nodes[node] = nodes.GetValueOrDefault(node) + value;

        foreach (var probe in new[] { 0, 1, 2, 3, 255, 256, 257, 4500, 8999, 9000, 20000, Fenwick.Size })
        {
            var expected = days.Where(d => d.Day <= probe).Sum(d => (long)d.Value);
            Assert.Equal(expected, Fenwick.PrefixPath(probe).Sum(n => nodes.GetValueOrDefault(n)));
            Assert.True(Fenwick.PrefixPath(probe).Length <= 16);
        }
        Assert.Equal(1, Fenwick.Position(new DateOnly(2000, 1, 1)));
        Assert.Equal(Fenwick.Size, Fenwick.UpdatePath(Fenwick.Position(new DateOnly(2100, 12, 31))).Last());
    }

    [Fact]
    public async Task A_back_filled_earlier_visit_moves_the_households_first_visit_and_a_revisit_counts_once()
    {
        var june3 = new DateTimeOffset(2022, 6, 3, 9, 0, 0, Beijing);
        var june1 = new DateTimeOffset(2022, 6, 1, 10, 0, 0, Beijing);
        await Visit("0001", june3);
        await Visit("0002", june3.AddHours(1));
        await Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(1));
        Assert.Equal((0, 0), await Households("2022-06-02"));
        Assert.Equal((2, 2), await Households("2022-06-03"));

        await Visit("0001", june1); // entered later from a paper ledger: the household's first visit was on 1 June
        await Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(1));

        Assert.Equal((0, 0), await Households("2022-06-01T09:59:00%2B08:00"));
        Assert.Equal((1, 1), await Households("2022-06-01T10:00:00%2B08:00"));
        Assert.Equal((1, 1), await Households("2022-06-02"));
        Assert.Equal((1, 2), await Households("2022-06-03T09:30:00%2B08:00"));
        Assert.Equal((2, 3), await Households("2022-06-03"));
        var coverage = (await Get("/api/v1/coverage?townId=qicun", "auditor", 200)).Json;
        Assert.Equal(2, coverage.GetProperty("visited").GetInt32());
    }

    [Fact]
    public async Task Rebuilding_the_tallies_from_the_events_gives_the_same_figures_at_dates_and_moments()
    {
        var plan = new CampaignPlan(7, 0.01, Given.References, Given.Calendar);
        await CampaignSeeder.AppendAsync(Store, plan, _ => { }, CancellationToken.None);
        await Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(3));
        string[] urls =
        [
            "/api/v1/statistics?asOf=2022-07-31", "/api/v1/statistics?asOf=2022-06-20T15:00:00%2B08:00&townId=qicun",
            "/api/v1/statistics?asOf=2022-07-31&categoryId=living-environment", "/api/v1/statistics/rankings?asOf=2022-07-10T12:00:00%2B08:00",
            "/api/v1/coverage"
        ];
        var before = new List<string>();
        foreach (var url in urls) before.Add((await Get(url, "auditor", 200)).Text);
        Assert.Contains($"\"ledger\":{PublishedFigures.Campaign.Scaled(0.01).Ledger},", before[0]);

        using var daemon = await Store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync(TallySchema.ProjectionName, TimeSpan.FromMinutes(3), CancellationToken.None);

        for (var i = 0; i < urls.Length; i++) Assert.Equal(before[i], (await Get(urls[i], "auditor", 200)).Text);
    }

    private Task Visit(string householdId, DateTimeOffset at) =>
        Post("/api/v1/visits", new
        {
            townId = "qicun", gridId = "qicun-qicun-g01", householdId, visitorId = "visitor-017", occurredAt = at.ToString("O"),
            anyoneHome = true, leaflets = 1, issueIds = Array.Empty<Guid>()
        }, "qicun-visitor", 201);

    private async Task<(int Visited, int Visits)> Households(string asOf)
    {
        var figures = (await Get($"/api/v1/statistics?asOf={asOf}&townId=qicun", "auditor", 200)).Json;
        return (figures.GetProperty("householdsVisited").GetInt32(), figures.GetProperty("visits").GetInt32());
    }
}
