using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using Rectify.Identity;
using Rectify.ReferenceData;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Assigning;

[Description("The town routes the issue to the unit that must fix it, with the plan every ledger row carries.")]
public sealed record AssignIssueRequest : IssueCommandRequest
{
    [Description("The department or town office to hold the issue; without it the routing rules in effect that day name the town office."), Example("qicun-urban")]
    public string? UnitId { get; init; }

    [Required, Description("整改措施: what will be done (at most 2,000 characters)."), Example("更换村口路灯灯具")]
    public string? Measures { get; init; }

    [Description("The handling deadline, a working day not before today; counted by the calendar when left out."), Example("2022-06-15")]
    public DateOnly? Deadline { get; init; }

    [Required, Description("责任科室 (at most 100 characters)."), Example("城管办")]
    public string? ResponsibleOffice { get; init; }

    [Required, Description("责任人 (at most 50 characters)."), Example("李明")]
    public string? ResponsiblePerson { get; init; }
}

/// <summary>
/// 分类归口办理: the town routes the issue to the unit that must fix it, named or, without a unit, the town
/// office the routing rules in effect that day give for the issue's category.
/// </summary>
public sealed record AssignIssue(Unit? Unit, string Measures, DateOnly? Deadline, string ResponsibleOffice, string ResponsiblePerson)
    : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.Assign;

    public static AssignIssue? Read(AssignIssueRequest request, CommandReading r)
    {
        var check = r.Check;
        var unitId = check.Optional("unitId", request.UnitId, 64);
        var measures = check.Required("measures", request.Measures, 2000);
        var deadline = check.Date("deadline", request.Deadline, required: false);
        var office = check.Required("responsibleOffice", request.ResponsibleOffice, 100);
        var person = check.Required("responsiblePerson", request.ResponsiblePerson, 50);

        var unit = unitId is null ? null : r.References.FindUnit(unitId);
        if (unitId is not null && unit is null) check.Fail("unitId", $"Unknown unit '{unitId}': use a department or a town office id.");
        if (deadline < r.Today) check.Fail("deadline", $"Must not be before the day of assignment ({r.Today:yyyy-MM-dd}).");
        else r.RequireWorkingDay(check, "deadline", deadline);

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
    [Tags("Issues"), EndpointSummary("Assign an issue (分类归口办理) to the unit that must fix it")]
    [ProducesResponseType<IssueCommandResponse>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409, 412, 422)]
    public static Task<(IResult, OutgoingMessages)> Post(string id, AssignIssueRequest request, HttpContext http, IDocumentSession session,
        IssueCommandRunner runner) =>
        runner.Run(http, id, request, session, AssignIssue.Read);
}
