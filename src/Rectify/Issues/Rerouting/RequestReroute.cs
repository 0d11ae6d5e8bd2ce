using Marten;
using Rectify.Identity;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Rerouting;

/// <summary>
/// The department holding an escalated issue cannot refuse it (照单全收), but it can ask the district to send it
/// to the department that should have it. The status does not change while the district decides.
/// </summary>
public sealed record RequestReroute(string Reason) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.RequestReroute;

    public static RequestReroute? Read(CommandReading r) =>
        r.Body.RequiredString("reason", 2000) is { } reason ? new RequestReroute(reason) : null;

    public string? Forbidden(Issue issue, Actor actor) => IssuePermissions.RequireHolder(actor, issue, "ask to re-route");

    public Decision Decide(Issue issue, DecisionContext context) =>
        Decision.Append(new RerouteRequested(issue.Id, issue.UnitId!, Reason, context.Actor, context.Now));
}

public static class RequestRerouteEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/request-reroute")]
    public static Task<(IResult, OutgoingMessages)> Post(string id, HttpContext http, IDocumentSession session, IssueCommandRunner runner) =>
        runner.Run(http, id, session, RequestReroute.Read);
}
