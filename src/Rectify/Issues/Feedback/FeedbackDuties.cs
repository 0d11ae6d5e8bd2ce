using Rectify.Identity;
using Rectify.ReferenceData;

namespace Rectify.Issues.Feedback;

/// <summary>
/// 回访 is done by someone other than whoever produced the outcome: a visitor of the issue's town, the town's office
/// when a department recorded the outcome, or the district. A town-office client acts for all its town's offices
/// (IssuePermissions.Holds), so when one of them recorded the outcome no town-office client of that town is "another
/// office": the town's visitors and the district judge it then.
/// </summary>
public static class FeedbackDuties
{
    public const string NotTheOutcomeClient = "feedback-not-by-the-outcome-client";
    public const string NotTheOutcomeUnit = "feedback-not-by-the-outcome-unit";

    public static string? Check(Issue issue, Actor actor)
    {
        if (issue.OutcomeRecordedBy is { } by)
        {
            if (by.ClientName == actor.ClientName)
                return SeparationOfDuties.Refusal(NotTheOutcomeClient,
                    $"{actor.ClientName} recorded this outcome and may not record the resident's satisfaction with it.");
            if (ActsFor(actor, by, issue))
                return SeparationOfDuties.Refusal(NotTheOutcomeUnit,
                    $"{by.UnitId} {(issue.Outcome == IssueOutcome.Explained ? "explained" : "resolved")} this issue: a client acting for it may not judge its own work. A visitor of town {issue.TownId}, {(by.UnitKind == UnitKind.Department ? $"the office of town {issue.TownId} " : "")}or the district records the feedback.");
        }
        return actor.IsSupervisor || IssuePermissions.VisitorOf(actor, issue.TownId) || IssuePermissions.TownOfficeOf(actor, issue.TownId)
            ? null
            : $"Only a visitor or office of town {issue.TownId} or the district may record the resident's feedback.";
    }

    /// <summary>Whether the actor acts for the unit that recorded the outcome.</summary>
    private static bool ActsFor(Actor actor, OutcomeRecorder by, Issue issue) => by.UnitKind switch
    {
        UnitKind.Department => actor.Role == Role.Department && actor.DepartmentId == by.UnitId,
        UnitKind.TownOffice => IssuePermissions.TownOfficeOf(actor, issue.TownId),
        _ => false
    };
}
