using Marten;

namespace Rectify.Infrastructure;

/// <summary>
/// How many events the async daemon fetches and applies per page, for every registered projection. With Marten's
/// 500 a rebuild of the campaign (200,000 events) made 400 round trips per projection and rewrote a visitor's or a
/// town's day once for every page its visits fell in. Called once, after the projections are registered.
/// Measured in docs/performance.md ("Rebuild, seed, start and memory").
/// </summary>
public static class ProjectionThroughput
{
    /// <summary>Events per page, while following new events and in a rebuild.</summary>
    public const int BatchSize = 5_000;

    // Not used: CacheLimitPerTenant (aggregates kept between pages) took the rebuild process from 250 to 670 MB and
    // would keep serving a document changed behind the daemon's back; RebuildFlushThreshold with RebuildWithBulkCopy
    // (Marten's experimental COPY rebuild) writes each aggregate once but still row by row, no faster; a composite
    // projection over the visits reads them once but runs its members in series, no faster on 2 cores.
    public static void Configure(StoreOptions options)
    {
        foreach (var projection in options.Projections.All)
        {
            projection.Options.BatchSize = BatchSize;
            // Marten holds at most this many events in memory ahead of the projection: two pages.
            projection.Options.MaximumHopperSize = 2 * BatchSize;
        }
    }
}
