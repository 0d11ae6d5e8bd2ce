using Marten;
using Rectify.Identity;

namespace Rectify.Issues;

/// <summary>
/// Older stored shapes of issue events and how they are read today (Marten upcasting, docs/audit.md "Event versions
/// and upcasting"). A stored event is never rewritten: the v1 row keeps its bytes (so its hash still verifies) and is
/// turned into the current type each time it is read, by the stream fold, the projections and the history alike.
/// </summary>
public static class IssueEventVersions
{
    /// <summary>issue_resolved_on_spot.v1, stored until the field was renamed to Resolution; same meaning.</summary>
    public sealed record IssueResolvedOnSpotV1(Guid IssueId, string Outcome, Actor Actor, DateTimeOffset OccurredAt);

    public static void Configure(StoreOptions options)
    {
        options.Events.Upcast<IssueResolvedOnSpotV1, IssueResolvedOnSpot>("issue_resolved_on_spot.v1",
            old => new IssueResolvedOnSpot(old.IssueId, old.Outcome, old.Actor, old.OccurredAt));
    }
}
