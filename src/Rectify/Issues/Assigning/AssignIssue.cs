using Rectify.Identity;
using Rectify.ReferenceData;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Assigning;

/// <summary>
/// 分类归口办理: the town routes the issue to the unit that must fix it, named or, without a unit, the town
/// office the routing rules in effect that day give for the issue's category.
/// </summary>
public sealed record AssignIssue(Unit? Unit, string Measures, DateOnly? Deadline, string ResponsibleOffice, string ResponsiblePerson)
    : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.Assign;

    public static AssignIssue? Read(CommandReading r)
    {
        var unitId = r.Body.OptionalString("unitId", 64);
        var measures = r.Body.RequiredString("measures", 2000);
        var deadline = r.Body.Date("deadline", required: false);
        var office = r.Body.RequiredString("responsibleOffice", 100);
        var person = r.Body.RequiredString("responsiblePerson", 50);

        var unit = unitId is null ? null : r.References.FindUnit(unitId);
        if (unitId is not null && unit is null) r.Body.Fail("unitId", $"Unknown unit '{unitId}': use a department or a town office id.");
        if (deadline < r.Today) r.Body.Fail("deadline", $"Must not be before the day of assignment ({r.Today:yyyy-MM-dd}).");
        else r.RequireWorkingDay(r.Body, "deadline", deadline);

        return (unitId is not null && unit is null) || measures is null || office is null || person is null
            ? null
            : new AssignIssue(unit, measures, deadline, office, person);
    }

    public string? Forbidden(Issue issue, Actor actor) => IssuePermissions.RequireTown(actor, issue, "assign");

    public Decision Decide(Issue issue, DecisionContext context)
    {
        var unit = Unit;
        string? ruleId = null;
        if (unit is null)
        {
            if (context.References.TownOfficeFor(issue.TownId, issue.CategoryId, context.Today) is not { } routed)
                return new Decision.Unprocessable("unitId", $"No routing rule sends category {issue.CategoryId} to an office of town {issue.TownId} on {context.Today:yyyy-MM-dd}: name the unit.");
            (unit, ruleId) = (routed.Unit, routed.Rule.Id);
        }

        if (unit.Kind == UnitKind.TownOffice && unit.TownId != issue.TownId)
            return new Decision.Unprocessable("unitId", $"Office '{unit.Id}' belongs to town {unit.TownId}, not to the issue's town {issue.TownId}.");

        // A deadline the town gave stays as given; one Rectify counts follows the calendar (and may be provisional).
        var counted = Deadline is null ? context.HandlingDeadline() : (DateOnly?)null;
        return Decision.Append(new IssueAssigned(issue.Id, unit.Id, unit.Kind, Measures, Deadline ?? counted!.Value,
            ResponsibleOffice, ResponsiblePerson, issue.UnitId, DecisionContext.NextRoutingId(issue), ruleId,
            DecisionContext.NextId(issue, "deadline"), context.Actor, context.Now, counted is { } c ? context.IsProvisional(c) : null));
    }
}

public static class AssignIssueEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/assign")]
    public static Task<(IResult, OutgoingMessages)> Post(string id, HttpContext http, IDocumentSession session, IssueCommandRunner runner) =>
        runner.Run(http, id, session, AssignIssue.Read);
}
