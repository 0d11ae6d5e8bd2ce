using JasperFx.Events.Projections;
using Marten;

namespace Rectify.Visits;

/// <summary>What the visits area keeps in the store: its event names, the WeChat groups and the households visited.</summary>
public static class VisitsConfiguration
{
    public static void Configure(StoreOptions options)
    {
        foreach (var (type, name) in VisitEventNames.All) options.Events.MapEventType(type, name);
        options.Projections.Snapshot<WechatGroups.WechatGroup>(SnapshotLifecycle.Inline);
        options.Projections.Add<Coverage.VisitedHouseholdProjection>(ProjectionLifecycle.Async);
        options.Schema.For<Coverage.VisitedHousehold>().Index(h => h.GridId).Index(h => h.TownId).Index(h => h.FirstVisitedAt);
    }
}
