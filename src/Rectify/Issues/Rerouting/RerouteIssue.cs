using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using Marten;
using Rectify.Identity;
using Rectify.ReferenceData;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Rerouting;

/// <summary>A district supervisor grants a re-routing request: another department must now accept the issue.</summary>
[Description("A district supervisor sends an escalated issue to another department.")]
public sealed record RerouteIssueRequest : IssueCommandRequest
{
    [Required, Description("The department to take the issue."), Example("transport")]
    public string? DepartmentId { get; init; }

    [Description("Why (at most 2,000 characters)."), Example("属交通部门职责")]
    public string? Reason { get; init; }
}

public sealed record RerouteIssue(Department Department, string? Reason) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.Reroute;

    public static RerouteIssue? Read(RerouteIssueRequest request, CommandReading r)
    {
        var departmentId = r.Check.Required("departmentId", request.DepartmentId, 64);
        var reason = r.Check.Optional("reason", request.Reason, 2000);
        var department = departmentId is null ? null : r.References.FindDepartment(departmentId);
        if (departmentId is not null && department is null) r.Check.Fail("departmentId", $"Unknown department '{departmentId}'.");
        return department is null ? null : new RerouteIssue(department, reason);
    }

    public string? Forbidden(Issue issue, Actor actor) => RerouteDecisions.SupervisorOnly(actor, "re-route");

    public Decision Decide(Issue issue, DecisionContext context)
    {
        if (Department.Id == issue.UnitId)
            return new Decision.Unprocessable("departmentId", $"The issue is already with {Department.Id}: re-route it to another department, or reject the request.");

        return Decision.Append(new IssueRerouted(issue.Id, issue.UnitId!, Department.Id, Reason ?? issue.PendingReroute!.Reason,
            DecisionContext.NextRoutingId(issue), context.Actor, context.Now));
    }
}

public static class RerouteIssueEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/reroute")]
    [Tags("Issues"), EndpointSummary("Re-route an escalated issue to another department")]
    [ProducesResponseType<IssueCommandResponse>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409, 412, 422)]
    public static Task<(IResult, OutgoingMessages)> Post(string id, RerouteIssueRequest request, HttpContext http, IDocumentSession session,
        IssueCommandRunner runner) =>
        runner.Run(http, id, request, session, RerouteIssue.Read);
}

public static class RerouteDecisions
{
    public static string? SupervisorOnly(Actor actor, string act) =>
        actor.IsSupervisor ? null : $"Only a district supervisor may {act} an escalated issue.";
}
