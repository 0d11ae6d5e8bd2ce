using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using Marten;
using Rectify.Identity;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Rerouting;

/// <summary>A district supervisor refuses a re-routing request: the department keeps the issue.</summary>
[Description("A district supervisor refuses the holder's request to re-route.")]
public sealed record RejectRerouteRequest : IssueCommandRequest
{
    [Required, Description("Why the holder keeps the issue (at most 2,000 characters)."), Example("属于本部门职责")]
    public string? Reason { get; init; }
}

public sealed record RejectReroute(string Reason) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.RejectReroute;

    public static RejectReroute? Read(RejectRerouteRequest request, CommandReading r) =>
        r.Check.Required("reason", request.Reason, 2000) is { } reason ? new RejectReroute(reason) : null;

    public string? Forbidden(Issue issue, Actor actor) => RerouteDecisions.SupervisorOnly(actor, "reject re-routing of");

    public Decision Decide(Issue issue, DecisionContext context) =>
        Decision.Append(new RerouteRejected(issue.Id, issue.UnitId!, Reason, context.Actor, context.Now));
}

public static class RejectRerouteEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/reject-reroute")]
    [Tags("Issues"), EndpointSummary("Reject a request to re-route an escalated issue")]
    [ProducesResponseType<IssueCommandResponse>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409, 412, 422)]
    public static Task<(IResult, OutgoingMessages)> Post(string id, RejectRerouteRequest request, HttpContext http, IDocumentSession session,
        IssueCommandRunner runner) =>
        runner.Run(http, id, request, session, RejectReroute.Read);
}
