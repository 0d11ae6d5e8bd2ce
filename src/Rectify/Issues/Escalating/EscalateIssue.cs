using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using Rectify.Identity;
using Rectify.ReferenceData;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Escalating;

[Description("The town hands the issue to a district department.")]
public sealed record EscalateIssueRequest : IssueCommandRequest
{
    [Description("The department to take the issue; without it the routing rules name the category's lead department."), Example("housing")]
    public string? DepartmentId { get; init; }

    [Required, Description("Why the town cannot solve it (at most 2,000 characters)."), Example("镇级无力承担整体翻修")]
    public string? Reason { get; init; }
}

/// <summary>
/// 转办: what the town cannot solve goes to a district department, which must take it (照单全收): the one named,
/// or the one the routing rules give for the issue's category (its lead department).
/// </summary>
public sealed record EscalateIssue(Department? Department, string Reason) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.Escalate;

    public static EscalateIssue? Read(EscalateIssueRequest request, CommandReading r)
    {
        var departmentId = r.Check.Optional("departmentId", request.DepartmentId, 64);
        var reason = r.Check.Required("reason", request.Reason, 2000);
        var department = departmentId is null ? null : r.References.FindDepartment(departmentId);
        if (departmentId is not null && department is null) r.Check.Fail("departmentId", $"Unknown department '{departmentId}'.");
        return (departmentId is not null && department is null) || reason is null ? null : new EscalateIssue(department, reason);
    }

    public string? Forbidden(Issue issue, Actor actor) => IssuePermissions.RequireTown(actor, issue, "escalate");

    public Decision Decide(Issue issue, DecisionContext context)
    {
        var department = Department;
        string? ruleId = null;
        if (department is null)
        {
            if (context.References.DepartmentFor(issue.TownId, issue.CategoryId, context.Today) is not { } routed)
                return new Decision.Unprocessable("departmentId", $"No routing rule names a department for category {issue.CategoryId} on {context.Today:yyyy-MM-dd}: name the department.");
            (department, ruleId) = (routed.Department, routed.Rule.Id);
        }

        return Decision.Append(new IssueEscalated(issue.Id, department.Id, issue.UnitId, Reason, DecisionContext.NextRoutingId(issue),
            ruleId, context.Actor, context.Now));
    }
}

public static class EscalateIssueEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/escalate")]
    [Tags("Issues"), EndpointSummary("Escalate an issue (转办) to a district department")]
    [ProducesResponseType<IssueCommandResponse>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409, 412, 422)]
    public static Task<(IResult, OutgoingMessages)> Post(string id, EscalateIssueRequest request, HttpContext http, IDocumentSession session,
        IssueCommandRunner runner) =>
        runner.Run(http, id, request, session, EscalateIssue.Read);
}
