using JasperFx.Events.Projections;
using Marten;

namespace Rectify.Statistics;

/// <summary>The statistics' read model, built by the async daemon from the events.</summary>
public static class StatisticsConfiguration
{
    public static void Configure(StoreOptions options)
    {
        // No index on the date: only the replay check reads the town days, all of them (the figures read the tallies).
        options.Projections.Add<TownDayProjection>(ProjectionLifecycle.Async);
        Tallies.TallySchema.Configure(options);
    }
}
