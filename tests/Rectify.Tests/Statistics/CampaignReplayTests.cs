using System.Text.Json;
using Marten;
using Marten.Events;
using Rectify.Seeding;
using Rectify.Tests.Lifecycle;
using Rectify.Tests.Support;

namespace Rectify.Tests.Statistics;

/// <summary>A seeded campaign replayed at a small scale reproduces the (scaled) published figures, and rebuilding reproduces the reports.</summary>
public sealed class CampaignReplayTests(AppFixture app) : ApiTest(app)
{
    private const double Scale = 0.01;

    private async Task<CampaignPlan> Seed(int seed = 7)
    {
        var plan = new CampaignPlan(seed, Scale, Given.References, Given.Calendar);
        await CampaignSeeder.AppendAsync(Store, plan, _ => { }, CancellationToken.None);
        await Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromMinutes(5));
        return plan;
    }

    [Fact]
    public async Task The_statistics_at_the_end_of_the_campaign_are_the_published_figures()
    {
        var plan = await Seed();
        var target = PublishedFigures.Campaign.Scaled(Scale);

        var figures = (await Get("/api/v1/statistics?asOf=2022-07-31", "auditor", 200)).Json;

        Assert.Equal(target.HouseholdsVisited, figures.GetProperty("householdsVisited").GetInt32());
        Assert.Equal(target.Ledger, figures.GetProperty("ledger").GetInt32());
        Assert.Equal(target.Closed, figures.GetProperty("closed").GetInt32());
        Assert.Equal(target.InProgress, figures.GetProperty("inProgress").GetInt32());
        Assert.Equal(target.ResolvedOnSpot, figures.GetProperty("resolvedOnSpot").GetInt32());
        Assert.Equal(target.Leaflets, figures.GetProperty("leaflets").GetInt32());
        Assert.Equal(target.WechatGroups, figures.GetProperty("wechatGroups").GetInt32());
        Assert.Equal(target.PolicyPosts, figures.GetProperty("policyPosts").GetInt32());
        Assert.Equal(target.ResolvedInGroups, figures.GetProperty("resolvedInGroups").GetInt32());
        Assert.Equal(figures.GetProperty("closed").GetInt32(),
            figures.GetProperty("closedResolved").GetInt32() + figures.GetProperty("closedExplained").GetInt32());
        Assert.True(plan.EventCount > target.HouseholdsVisited);

        // Before the campaign began nothing had happened.
        var before = (await Get("/api/v1/statistics?asOf=2022-05-26", "auditor", 200)).Json;
        Assert.Equal(0, before.GetProperty("ledger").GetInt32());
        Assert.Equal(0, before.GetProperty("householdsVisited").GetInt32());
    }

    [Fact]
    public void The_same_seed_gives_the_same_campaign_and_another_seed_another()
    {
        static string Fingerprint(CampaignPlan plan) =>
            JsonSerializer.Serialize(plan.Issues.Concat(plan.Groups).Concat(plan.Visits.Take(50)).Select(s => new { s.Id, Events = s.Events.Select(e => (object)e) }));

        var first = Fingerprint(new CampaignPlan(11, Scale, Given.References, Given.Calendar));
        var again = Fingerprint(new CampaignPlan(11, Scale, Given.References, Given.Calendar));
        var other = Fingerprint(new CampaignPlan(12, Scale, Given.References, Given.Calendar));

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public async Task Rebuilding_the_projections_gives_identical_statistics_rankings_and_ledgers()
    {
        await Seed();
        string[] urls =
        [
            "/api/v1/statistics?asOf=2022-07-31", "/api/v1/statistics?asOf=2022-06-30&townId=qicun", "/api/v1/statistics/rankings?asOf=2022-07-31",
            "/api/v1/ledgers/towns/qicun", "/api/v1/ledgers/domains/living-environment", "/api/v1/coverage"
        ];
        var before = new List<string>();
        foreach (var url in urls) before.Add((await Get(url, "auditor", 200)).Text);

        using var daemon = await Store.BuildProjectionDaemonAsync();
        foreach (var projection in CampaignSeeder.InlineProjections.Concat(SeedCampaignCommand.AsyncProjections))
            await daemon.RebuildProjectionAsync(projection, TimeSpan.FromMinutes(2), CancellationToken.None);

        for (var i = 0; i < urls.Length; i++) Assert.Equal(before[i], (await Get(urls[i], "auditor", 200)).Text);
    }

    [Fact]
    public async Task Open_seeded_issues_wait_in_their_units_inboxes_and_the_campaign_is_marked_complete()
    {
        await Seed();

        var open = (await Get("/api/v1/issues?status=in-progress&pageSize=200", "auditor", 200)).Json.GetProperty("items").EnumerateArray()
            .Concat((await Get("/api/v1/issues?status=escalated&pageSize=200", "auditor", 200)).Json.GetProperty("items").EnumerateArray())
            .Concat((await Get("/api/v1/issues?status=assigned&pageSize=200", "auditor", 200)).Json.GetProperty("items").EnumerateArray())
            .ToList();
        Assert.NotEmpty(open);
        foreach (var issue in open)
        {
            var inbox = (await Get($"/api/v1/units/{issue.GetProperty("unitId").GetString()}/inbox?pageSize=200", "auditor", 200)).Json;
            Assert.Contains(issue.GetProperty("issueId").GetGuid(), inbox.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("issueId").GetGuid()));
        }

        // The bulk insert wrote each stream's version: the API appends to a seeded issue at the version it reads.
        var id = open[0].GetProperty("issueId").GetGuid();
        var version = (await Get($"/api/v1/issues/{id}", "auditor", 200)).Version;
        await Post($"/api/v1/issues/{id}/progress", new { version = version - 1, note = "已联系施工队" }, "admin", 409);
        Assert.Equal(version + 1, (await Post($"/api/v1/issues/{id}/progress", new { version, note = "已联系施工队" }, "admin", 200)).Version);

        await using var session = Store.QuerySession();
        Assert.Equal(Scale, (await session.LoadAsync<CampaignSeeded>("campaign"))!.Scale);
    }
}
