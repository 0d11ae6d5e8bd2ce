using JasperFx.Events.Projections;
using Marten;

namespace Rectify.Issues;

/// <summary>What the issues area keeps in the store: its event names, the issue itself and the residents' contacts.</summary>
public static class IssuesConfiguration
{
    public static void Configure(StoreOptions options)
    {
        foreach (var (type, name) in IssueEventNames.All) options.Events.MapEventType(type, name);
        IssueEventVersions.Configure(options);
        // Inline: updated in the command's transaction, so every command decides on the issue as stored.
        options.Projections.Snapshot<Issue>(SnapshotLifecycle.Inline);
        options.Schema.For<Issue>().Index(i => i.UnitId);
        options.Schema.For<ResidentContact>().Index(c => c.IssueId);
    }
}
