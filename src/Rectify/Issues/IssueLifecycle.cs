using Rectify.Infrastructure;
using Rectify.ReferenceData;

namespace Rectify.Issues;

public enum IssueCommand
{
    ResolveOnSpot, Assign, Accept, Return, Escalate, Progress, Resolve, Explain, Feedback, Close,
    RequestReroute, Reroute, RejectReroute,
    RequestExtension, ApproveExtension, RejectExtension,
    Plan
}

/// <summary>Which commands each state allows: the single source for decisions and for 409 answers.</summary>
public static class IssueLifecycle
{
    public static IReadOnlyList<IssueCommand> AllowedCommands(Issue issue)
    {
        var allowed = new List<IssueCommand>();
        var townHolds = issue.UnitKind is null or UnitKind.TownOffice;
        switch (issue.Status)
        {
            case IssueStatus.Collected:
                // On the spot means there and then: nothing may have happened since collection.
                if (issue.Version == 1) allowed.Add(IssueCommand.ResolveOnSpot);
                allowed.AddRange([IssueCommand.Assign, IssueCommand.Escalate]);
                break;
            case IssueStatus.Assigned:
                allowed.AddRange([IssueCommand.Assign, IssueCommand.Accept, IssueCommand.Return]);
                if (townHolds) allowed.Add(IssueCommand.Escalate);
                allowed.Add(IssueCommand.Progress);
                allowed.AddRange(Extending(issue));
                break;
            case IssueStatus.InProgress:
                if (townHolds) allowed.Add(IssueCommand.Escalate);
                allowed.AddRange([IssueCommand.Progress, IssueCommand.Resolve, IssueCommand.Explain]);
                allowed.AddRange(Rerouting(issue));
                allowed.AddRange(Extending(issue));
                allowed.Add(IssueCommand.Plan);
                break;
            case IssueStatus.Escalated:
                allowed.AddRange([IssueCommand.Accept, IssueCommand.Progress]);
                allowed.AddRange(Rerouting(issue));
                break;
            case IssueStatus.Resolved or IssueStatus.Explained:
                if (issue.Status == IssueStatus.Explained) allowed.Add(IssueCommand.Progress);
                allowed.Add(issue.Satisfaction is null ? IssueCommand.Feedback : IssueCommand.Close);
                // A roadmap is worked on after the explanation: its measures and the people on it may still change.
                if (issue.Status == IssueStatus.Explained) allowed.Add(IssueCommand.Plan);
                break;
            case IssueStatus.Closed when issue.Outcome == IssueOutcome.Explained:
                // The roadmap stays tracked after the issue is struck off: its milestones are still reported on.
                allowed.Add(IssueCommand.Progress);
                break;
        }
        return allowed;
    }

    /// <summary>
    /// A department holding an issue it has accepted or was escalated may ask once; the district then decides. This
    /// is also the way out for a department that accepted a town's assignment that is not its own: the town can no
    /// longer reassign an accepted issue, and a department cannot escalate.
    /// </summary>
    private static IEnumerable<IssueCommand> Rerouting(Issue issue) =>
        issue.UnitKind != UnitKind.Department ? []
        : issue.PendingReroute is null ? [IssueCommand.RequestReroute]
        : [IssueCommand.Reroute, IssueCommand.RejectReroute];

    /// <summary>The holding unit may ask once for a later deadline; the town or the district then decides.</summary>
    private static IEnumerable<IssueCommand> Extending(Issue issue) =>
        issue.Deadline is null ? []
        : issue.PendingExtension is null ? [IssueCommand.RequestExtension]
        : [IssueCommand.ApproveExtension, IssueCommand.RejectExtension];

    public static bool Allows(Issue issue, IssueCommand command) => AllowedCommands(issue).Contains(command);

    /// <summary>Why a command is refused in the issue's current state, in words a caller can act on.</summary>
    public static string Why(Issue issue, IssueCommand command)
    {
        var state = Kebab.Of(issue.Status);
        return (command, issue.Status) switch
        {
            (IssueCommand.ResolveOnSpot, IssueStatus.Collected) =>
                "Only a just-collected issue can be resolved on the spot; this one has been acted on since.",
            (IssueCommand.Escalate, _) when issue.UnitKind == UnitKind.Department =>
                $"A department ({issue.UnitId}) already holds this issue; only a town can escalate.",
            (IssueCommand.Return, IssueStatus.Escalated) =>
                "An escalated issue cannot be returned: the department must take it (照单全收). It may ask for re-routing instead.",
            (IssueCommand.Feedback, IssueStatus.Resolved or IssueStatus.Explained) =>
                $"Feedback on this outcome is already recorded ({Kebab.Of(issue.Satisfaction!.Value)}).",
            (IssueCommand.Close, IssueStatus.Resolved or IssueStatus.Explained) =>
                "The resident's feedback on the outcome must be recorded before the issue is closed.",
            (IssueCommand.RequestReroute or IssueCommand.Reroute or IssueCommand.RejectReroute, IssueStatus.Assigned) when issue.UnitKind == UnitKind.Department =>
                $"{issue.UnitId} has not accepted the town's assignment: it returns the issue to the town (return) instead.",
            (IssueCommand.RequestReroute, IssueStatus.Escalated or IssueStatus.InProgress) when issue.PendingReroute is not null =>
                $"A re-routing request by {issue.PendingReroute.DepartmentId} is already waiting for the district's decision.",
            (IssueCommand.Reroute or IssueCommand.RejectReroute, IssueStatus.Escalated or IssueStatus.InProgress) when issue.UnitKind == UnitKind.Department =>
                "No re-routing request is pending: the department holding the issue must ask first.",
            (IssueCommand.RequestReroute or IssueCommand.Reroute or IssueCommand.RejectReroute, _) =>
                $"Only an issue a department holds (escalated or in progress there) can be re-routed; this one is '{state}'{(issue.UnitKind == UnitKind.TownOffice ? " at a town office" : "")}.",
            (IssueCommand.RequestExtension, IssueStatus.Assigned or IssueStatus.InProgress) when issue.PendingExtension is not null =>
                $"An extension to {issue.PendingExtension.NewDeadline:yyyy-MM-dd} is already waiting for a decision.",
            (IssueCommand.ApproveExtension or IssueCommand.RejectExtension, IssueStatus.Assigned or IssueStatus.InProgress) =>
                "No extension request is pending.",
            (IssueCommand.Plan, _) =>
                $"Measures, office and person change only while the holding unit works on the issue (in progress or explained); this one is '{state}'.",
            _ => $"'{Kebab.Of(command)}' is not allowed while the issue is '{state}'."
        };
    }
}
