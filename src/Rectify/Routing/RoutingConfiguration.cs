using Marten;

namespace Rectify.Routing;

/// <summary>The units' inboxes: what each unit has been handed.</summary>
public static class RoutingConfiguration
{
    public static void Configure(StoreOptions options) =>
        options.Schema.For<InboxEntry>().Index(e => e.UnitId).Index(e => e.IssueId);
}
