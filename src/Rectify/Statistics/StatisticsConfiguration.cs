using JasperFx.Events.Projections;
using Marten;

namespace Rectify.Statistics;

/// <summary>The statistics' read model, built by the async daemon from the events.</summary>
public static class StatisticsConfiguration
{
    public static void Configure(StoreOptions options)
    {
        options.Projections.Add<TownDayProjection>(ProjectionLifecycle.Async);
        options.Schema.For<TownDay>().Index(d => d.Date);
        Tallies.TallySchema.Configure(options);
    }
}
