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
        // No indexes: only the replay check reads the households visited, all of them (coverage reads the tallies), and
        // each index cost the rebuild a write per household (docs/performance.md).
        options.Projections.Add<Coverage.VisitedHouseholdProjection>(ProjectionLifecycle.Async);
    }
}
