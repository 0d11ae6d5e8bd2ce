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
        return watch.Elapsed;
    }
}
