using Rectify.Identity;
using Rectify.ReferenceData;

namespace Rectify.Issues;

/// <summary>Who may act on an issue. Admins may do everything; auditors only read.</summary>
public static class IssuePermissions
{
    public static bool TownOfficeOf(Actor actor, string townId) =>
        actor.Role == Role.TownOffice && actor.TownId == townId;

    public static bool VisitorOf(Actor actor, string townId) =>
        actor.Role == Role.Visitor && actor.TownId == townId;

    /// <summary>A town office acts for all its town's offices; a department only for itself.</summary>
    public static bool Holds(Actor actor, Issue issue) => issue.UnitKind switch
    {
        UnitKind.Department => actor.Role == Role.Department && actor.DepartmentId == issue.UnitId,
        UnitKind.TownOffice => TownOfficeOf(actor, issue.TownId),
        _ => false
    };

    /// <summary>
    /// The holding unit acts on its work. While no unit holds the issue, any unit-side client passes, so that
    /// the state check answers (409 naming the state) rather than a permission error.
    /// </summary>
    public static string? RequireHolder(Actor actor, Issue issue, string act) =>
        actor.IsAdmin || Holds(actor, issue) || (issue.UnitId is null && (actor.Role == Role.Department || TownOfficeOf(actor, issue.TownId)))
            ? null
            : issue.UnitId is null
                ? $"Only a unit that holds this issue may {act} it, and none does."
                : $"Only the unit that holds this issue ({issue.UnitId}) may {act} it.";

    public static string? RequireTown(Actor actor, Issue issue, string act, bool supervisorToo = true) =>
        actor.IsAdmin || TownOfficeOf(actor, issue.TownId) || (supervisorToo && actor.IsSupervisor)
            ? null
            : $"Only the office of town {issue.TownId}{(supervisorToo ? " or a district supervisor" : "")} may {act} this issue.";
}
