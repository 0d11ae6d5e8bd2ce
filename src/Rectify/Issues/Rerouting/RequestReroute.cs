using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using Marten;
using Rectify.Identity;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Rerouting;

/// <summary>
/// The department holding an escalated issue cannot refuse it (照单全收), but it can ask the district to send it
/// to the department that should have it. The status does not change while the district decides.
/// </summary>
[Description("The holding department asks the district to send the issue elsewhere.")]
public sealed record RequestRerouteRequest : IssueCommandRequest
{
    [Required, Description("Why the issue is not this department's (at most 2,000 characters)."), Example("不属于本部门职责")]
    public string? Reason { get; init; }
}

public sealed record RequestReroute(string Reason) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.RequestReroute;

    public static RequestReroute? Read(RequestRerouteRequest request, CommandReading r) =>
        r.Check.Required("reason", request.Reason, 2000) is { } reason ? new RequestReroute(reason) : null;

    public string? Forbidden(Issue issue, Actor actor) => IssuePermissions.RequireHolder(actor, issue, "ask to re-route");

    public Decision Decide(Issue issue, DecisionContext context) =>
        Decision.Append(new RerouteRequested(issue.Id, issue.UnitId!, Reason, context.Actor, context.Now));
}

public static class RequestRerouteEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/request-reroute")]
    [Tags("Issues"), EndpointSummary("Ask to re-route an escalated issue to another department")]
    [ProducesResponseType<IssueCommandResponse>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409, 412, 422)]
    public static Task<(IResult, OutgoingMessages)> Post(string id, RequestRerouteRequest request, HttpContext http, IDocumentSession session,
        IssueCommandRunner runner) =>
        runner.Run(http, id, request, session, RequestReroute.Read);
}
