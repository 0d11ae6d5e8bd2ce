using Rectify.Identity;
using Rectify.Issues.Closing;
using Rectify.ReferenceData;

namespace Rectify.Issues.Extending;

/// <summary>
/// Nobody approves their own extension: a town office's request is decided by its town's leader (town-leader) or a
/// district supervisor, a department's by a district supervisor, and never by the client that asked.
/// </summary>
public static class ExtensionDuties
{
    public const string NotTheRequester = "extension-not-by-the-requester";
    public const string DecidedAbove = "extension-decided-above-the-unit";

    public static string? Check(Issue issue, Actor actor, string act)
    {
        // With nothing pending the state check answers (409 "no extension request is pending").
        if (issue.PendingExtension is not null && issue.ExtensionRequestedBy == actor.ClientName)
            return SeparationOfDuties.Refusal(NotTheRequester, $"{actor.ClientName} asked for this extension and may not {act} it.");
        if (actor.IsSupervisor) return null;
        if (issue.UnitKind == UnitKind.Department)
            return SeparationOfDuties.Refusal(DecidedAbove, $"Only a district supervisor may {act} a department's extension.");
        return CloseDuties.LeaderOf(actor, issue.TownId)
            ? null
            : SeparationOfDuties.Refusal(DecidedAbove, $"Only the leader of town {issue.TownId} (town-leader) or a district supervisor may {act} a town office's extension.");
    }
}
