using Rectify.Identity;

namespace Rectify.Issues.Closing;

/// <summary>
/// 销号 is the town's (its office, or its leadership, which reviews closures) or the district's, but never by the client
/// that recorded the outcome being struck off, unless that client is a district supervisor, whose closing is itself the
/// district's review. When the resident could not be reached, only a district supervisor may strike the issue off.
/// </summary>
public static class CloseDuties
{
    public const string NotTheOutcomeClient = "close-not-by-the-outcome-client";

    public static string? Check(Issue issue, Actor actor)
    {
        if (issue.Status is IssueStatus.Resolved or IssueStatus.Explained && issue.Satisfaction == Satisfaction.Unreachable && !actor.IsSupervisor)
            return "The resident could not be reached: only a district supervisor may close this issue.";
        if (issue.OutcomeRecordedBy is { } by && by.ClientName == actor.ClientName && actor.Role != Role.DistrictSupervisor)
            return SeparationOfDuties.Refusal(NotTheOutcomeClient,
                $"{actor.ClientName} recorded this outcome and may not strike it off: another office of town {issue.TownId}, its town leader or a district supervisor closes it.");
        return actor.IsSupervisor || IssuePermissions.TownOfficeOf(actor, issue.TownId) || LeaderOf(actor, issue.TownId)
            ? null
            : $"Only the office or leader of town {issue.TownId} or a district supervisor may close this issue.";
    }

    public static bool LeaderOf(Actor actor, string townId) => actor.Role == Role.TownLeader && actor.TownId == townId;
}
