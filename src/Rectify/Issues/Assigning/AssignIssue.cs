using Rectify.Identity;
using Rectify.ReferenceData;
using Wolverine.Http;

namespace Rectify.Issues.Assigning;

/// <summary>分类归口办理: the town routes the issue to the unit that must fix it.</summary>
public sealed record AssignIssue(Unit Unit, string Measures, DateOnly? Deadline, string ResponsibleOffice, string ResponsiblePerson)
    : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.Assign;

    public static AssignIssue? Read(CommandReading r)
    {
        var unitId = r.Body.RequiredString("unitId", 64);
        var measures = r.Body.RequiredString("measures", 2000);
        var deadline = r.Body.Date("deadline", required: false);
        var office = r.Body.RequiredString("responsibleOffice", 100);
        var person = r.Body.RequiredString("responsiblePerson", 50);

        var unit = unitId is null ? null : r.References.FindUnit(unitId);
        if (unitId is not null && unit is null) r.Body.Fail("unitId", $"Unknown unit '{unitId}': use a department or a town office id.");
        if (deadline < r.Today) r.Body.Fail("deadline", $"Must not be before the day of assignment ({r.Today:yyyy-MM-dd}).");

        return unit is null || measures is null || office is null || person is null
            ? null
            : new AssignIssue(unit, measures, deadline, office, person);
    }

    public string? Forbidden(Issue issue, Actor actor) => IssuePermissions.RequireTown(actor, issue, "assign");

    public Decision Decide(Issue issue, DecisionContext context)
    {
        if (Unit.Kind == UnitKind.TownOffice && Unit.TownId != issue.TownId)
            return new Decision.Unprocessable("unitId", $"Office '{Unit.Id}' belongs to town {Unit.TownId}, not to the issue's town {issue.TownId}.");

        return Decision.Append(new IssueAssigned(issue.Id, Unit.Id, Unit.Kind, Measures, Deadline ?? context.HandlingDeadline(),
            ResponsibleOffice, ResponsiblePerson, issue.UnitId, context.Actor, context.Now));
    }
}

public static class AssignIssueEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/assign")]
    public static Task<IResult> Post(string id, HttpContext http, IssueCommandRunner runner) => runner.Run(http, id, AssignIssue.Read);
}
