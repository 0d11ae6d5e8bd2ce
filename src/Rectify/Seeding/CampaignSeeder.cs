using System.Diagnostics;
using Marten;

namespace Rectify.Seeding;

/// <summary>Appends a planned campaign in large batches: many new streams per transaction.</summary>
public static class CampaignSeeder
{
    public const int StreamsPerBatch = 2_000;

    public static async Task<TimeSpan> AppendAsync(IDocumentStore store, CampaignPlan plan, Action<string> log, CancellationToken cancellation)
    {
        var watch = Stopwatch.StartNew();
        foreach (var (name, streams) in new[] { ("WeChat groups", plan.Groups), ("issues", plan.Issues), ("visits", plan.Visits) })
        {
            for (var offset = 0; offset < streams.Count; offset += StreamsPerBatch)
            {
                await using var session = store.LightweightSession();
                foreach (var stream in streams.Skip(offset).Take(StreamsPerBatch))
                {
                    if (stream.Aggregate is { } aggregate) session.Events.StartStream(aggregate, stream.Id, stream.Events.ToArray());
                    else session.Events.StartStream(stream.Id, stream.Events.ToArray());
                }
                await session.SaveChangesAsync(cancellation);
            }
            log($"appended {streams.Count:N0} {name} ({watch.Elapsed.TotalSeconds:F1} s)");
        }

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
