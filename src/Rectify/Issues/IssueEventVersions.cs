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

    public const string IssueResolvedOnSpotV1Name = "issue_resolved_on_spot.v1";

    /// <summary>Stored names no longer written but still read (upcast); rows under them stay in the store for good.</summary>
    public static readonly IReadOnlyList<string> LegacyNames = [IssueResolvedOnSpotV1Name];

    /// <summary>
    /// Every name an issue event may be stored under, current and legacy. Readers that select issue events by stored
    /// name (search, replay check, knownAt, the feed) use this list, so an old row is never silently left out.
    /// </summary>
    public static readonly IReadOnlyList<string> StoredNames = [.. IssueEventNames.All.Values, .. LegacyNames];

    /// <summary>The stored names (current and legacy) of the issue events that are <see cref="IIssueEvent"/>s.</summary>
    public static readonly IReadOnlyList<string> StoredIssueEventNames =
        [.. IssueEventNames.All.Where(p => typeof(IIssueEvent).IsAssignableFrom(p.Key)).Select(p => p.Value), .. LegacyNames];

    public static void Configure(StoreOptions options)
    {
        options.Events.Upcast<IssueResolvedOnSpotV1, IssueResolvedOnSpot>(IssueResolvedOnSpotV1Name,
            old => new IssueResolvedOnSpot(old.IssueId, old.Outcome, old.Actor, old.OccurredAt));
    }
}
