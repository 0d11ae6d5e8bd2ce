using System.Diagnostics;
using JasperFx.CommandLine;
using Marten;
using Marten.Events;
using Rectify.Calendar;
using Rectify.ReferenceData;

namespace Rectify.Seeding;

public class SeedCampaignInput : NetCoreInput
{
    [Description("Seed of the generator: the same seed gives the same campaign")]
    [FlagAlias("seed")]
    public int SeedFlag { get; set; } = 1;

    [Description("Fraction of the published campaign to generate, in (0, 1]; 1 reproduces the published figures")]
    [FlagAlias("scale")]
    public double ScaleFlag { get; set; } = 1;

    [Description("Do nothing when the database already holds events (for ops/run --demo)")]
    [FlagAlias("if-empty")]
    public bool IfEmptyFlag { get; set; }
}

[Description("Replays a deterministic campaign (visits, groups, issues) that reproduces the published figures", Name = "seed-campaign")]
public class SeedCampaignCommand : JasperFxAsyncCommand<SeedCampaignInput>
{
    public override async Task<bool> Execute(SeedCampaignInput input)
    {
        using var host = input.BuildHost();
        var store = host.Services.GetRequiredService<IDocumentStore>();
        await using (var query = store.QuerySession())
        {
            // The working-day calendar's and the reference data's own streams (imported at the service's start) are
            // reference data, not a campaign.
            var existing = (await query.QueryAsync<long>(
                $"select count(*) from rectify.mt_events where type <> '{Calendar.CalendarEventNames.All[typeof(Calendar.CalendarYearChanged)]}'" +
                $" and stream_id <> '{ReferenceData.ReferenceDataStream.Id}'")).Single();
            if (existing > 0)
            {
                var seeded = await query.LoadAsync<CampaignSeeded>("campaign");
                if (seeded is null)
                {
                    Console.Error.WriteLine($"The database holds {existing:N0} events but no completed campaign: an earlier seed was cut short, " +
                                            "or the database is in use. Seed an empty database (drop rectify_demo to start the demo again).");
                    return false;
                }

                Console.WriteLine(input.IfEmptyFlag
                    ? $"The database already holds the campaign seeded with --seed {seeded.Seed} --scale {seeded.Scale}: nothing seeded."
                    : $"The database already holds a seeded campaign ({existing:N0} events). Seed an empty database.");
                return input.IfEmptyFlag;
            }
        }

        var watch = Stopwatch.StartNew();
        var plan = new CampaignPlan(input.SeedFlag, input.ScaleFlag, host.Services.GetRequiredService<DistrictReferenceData>(),
            host.Services.GetRequiredService<WorkingCalendar>());
        Console.WriteLine($"planned {plan.EventCount:N0} events in {watch.Elapsed.TotalSeconds:F1} s: {plan.Visits.Count:N0} visits, " +
                          $"{plan.Groups.Count:N0} WeChat groups, {plan.Issues.Count:N0} issues");

        var append = await CampaignSeeder.AppendAsync(store, plan, Console.WriteLine, CancellationToken.None);
        Console.WriteLine($"appended {plan.EventCount:N0} events in {append.TotalSeconds:F1} s ({plan.EventCount / append.TotalSeconds:N0} events/s)");

        // The async projections (coverage, visitor days, daily buckets) are built from the events now, so the
        // service starts with them current.
        var rebuild = Stopwatch.StartNew();
        using var daemon = await store.BuildProjectionDaemonAsync();
        await Task.WhenAll(AsyncProjections.Select(p => daemon.RebuildProjectionAsync(p, TimeSpan.FromMinutes(30), CancellationToken.None)));
        Console.WriteLine($"built the async projections in {rebuild.Elapsed.TotalSeconds:F1} s");

        var target = plan.Target;
        Console.WriteLine($"expected as of {PublishedFigures.End:yyyy-MM-dd}: {target.HouseholdsVisited:N0} households visited, {target.Ledger:N0} in the ledger, " +
                          $"{target.Closed:N0} closed, {target.InProgress:N0} in progress, {target.ResolvedOnSpot:N0} resolved on the spot " +
                          $"(GET /api/v1/statistics?asOf={PublishedFigures.End:yyyy-MM-dd})");
        return true;
    }

    public static readonly string[] AsyncProjections = ["VisitorDay", "VisitedHousehold", "TownDay", "Tally"];
}
