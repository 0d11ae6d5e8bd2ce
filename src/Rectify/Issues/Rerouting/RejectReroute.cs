using Marten;
using Rectify.Identity;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Rerouting;

/// <summary>A district supervisor refuses a re-routing request: the department keeps the issue.</summary>
public sealed record RejectReroute(string Reason) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.RejectReroute;

    public static RejectReroute? Read(CommandReading r) =>
        r.Body.RequiredString("reason", 2000) is { } reason ? new RejectReroute(reason) : null;

    public string? Forbidden(Issue issue, Actor actor) => RerouteDecisions.SupervisorOnly(actor, "reject re-routing of");

    public Decision Decide(Issue issue, DecisionContext context) =>
        Decision.Append(new RerouteRejected(issue.Id, issue.UnitId!, Reason, context.Actor, context.Now));
}

public static class RejectRerouteEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/reject-reroute")]
    public static Task<(IResult, OutgoingMessages)> Post(string id, HttpContext http, IDocumentSession session, IssueCommandRunner runner) =>
        runner.Run(http, id, session, RejectReroute.Read);
}
