using System.Diagnostics;
using JasperFx.Events;
using Marten;

namespace Rectify.Seeding;

/// <summary>
/// Appends a planned campaign with Marten's bulk event insert (PostgreSQL COPY, new streams only), then builds the
/// inline projections from those events: the bulk insert bypasses the append pipeline, so it writes no snapshots or
/// summaries itself. Measured against StartStream in batches of 2,000 streams, see docs/benchmarks.md.
/// </summary>
public static class CampaignSeeder
{
    public const int RowsPerCopyBatch = 10_000;

    /// <summary>The projections the command's transaction would have updated: rebuilt here, the async ones are the daemon's.</summary>
    public static readonly string[] InlineProjections = ["Issue", "WechatGroup", "IssueSummary"];

    public static async Task<TimeSpan> AppendAsync(IDocumentStore store, CampaignPlan plan, Action<string> log, CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        var events = (IEventRegistry)((DocumentStore)store).Options.Events;
        // Groups, then issues, then visits: the same order of sequence numbers as appending them one batch after another.
        var streams = plan.Groups.Concat(plan.Issues).Concat(plan.Visits).Select(s =>
        {
            var action = StreamAction.Start(events, s.Id, s.Events.ToArray());
            action.AggregateType = s.Aggregate;
            return action;
        }).ToList();
        await store.BulkInsertEventsAsync(streams, RowsPerCopyBatch, cancellation);
        log($"appended {plan.EventCount:N0} events in {streams.Count:N0} streams ({watch.Elapsed.TotalSeconds:F1} s)");

        // The tables went from empty to 200,000 rows in seconds: without fresh statistics PostgreSQL plans the
        // projections' reads as if they were still empty.
        await using (var session = store.LightweightSession())
        {
            var schema = ((DocumentStore)store).Options.Events.DatabaseSchemaName;
            session.QueueSqlCommand($"analyze {schema}.mt_events");
            session.QueueSqlCommand($"analyze {schema}.mt_streams");
            await session.SaveChangesAsync(cancellation);
        }

        using (var daemon = await store.BuildProjectionDaemonAsync())
            await Task.WhenAll(InlineProjections.Select(p => daemon.RebuildProjectionAsync(p, TimeSpan.FromMinutes(30), cancellation)));
        log($"built the inline projections {string.Join(", ", InlineProjections)} ({watch.Elapsed.TotalSeconds:F1} s)");

        await using (var session = store.LightweightSession())
        {
            session.Store(plan.Inbox.ToArray());
            session.Store(plan.Notices.ToArray());
            // Written last: a campaign without this marker was cut short and must not be served as complete.
            session.Store(new CampaignSeeded { Seed = plan.Seed, Scale = plan.Scale, Events = plan.EventCount, CompletedAt = DateTimeOffset.UtcNow });
            await session.SaveChangesAsync(cancellation);
        }
        return watch.Elapsed;
    }
}

/// <summary>Marks a database whose seeded campaign was appended completely.</summary>
public sealed class CampaignSeeded
{
    public string Id { get; set; } = "campaign";
    public int Seed { get; set; }
    public double Scale { get; set; }
    public int Events { get; set; }
    public DateTimeOffset CompletedAt { get; set; }
}
