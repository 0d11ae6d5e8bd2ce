using Rectify.Identity;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.ResolvingOnSpot;

/// <summary>当场解决: settled at the visit by agreement; it never enters the ledger.</summary>
public sealed record ResolveOnSpot(string Outcome) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.ResolveOnSpot;

    public static ResolveOnSpot? Read(CommandReading r) =>
        r.Body.RequiredString("outcome", 2000) is { } outcome ? new ResolveOnSpot(outcome) : null;

    public string? Forbidden(Issue issue, Actor actor) =>
        actor.IsSupervisor || IssuePermissions.TownOfficeOf(actor, issue.TownId) || IssuePermissions.VisitorOf(actor, issue.TownId)
            ? null
            : $"Only a visitor or office of town {issue.TownId}, or a district supervisor, may resolve this issue on the spot.";

    public Decision Decide(Issue issue, DecisionContext context) =>
        Decision.Append(new IssueResolvedOnSpot(issue.Id, Outcome, context.Actor, context.Now));
}

public static class ResolveOnSpotEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/resolve-on-spot")]
    public static Task<(IResult, OutgoingMessages)> Post(string id, HttpContext http, IDocumentSession session, IssueCommandRunner runner) =>
        runner.Run(http, id, session, ResolveOnSpot.Read);
}
