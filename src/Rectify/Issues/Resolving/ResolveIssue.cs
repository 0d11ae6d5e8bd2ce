using Rectify.Identity;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Resolving;

/// <summary>The holding unit fixed the problem; the resident is asked for feedback next.</summary>
public sealed record ResolveIssue(string Outcome) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.Resolve;

    public static ResolveIssue? Read(CommandReading r) =>
        r.Body.RequiredString("outcome", 2000) is { } outcome ? new ResolveIssue(outcome) : null;

    public string? Forbidden(Issue issue, Actor actor) => IssuePermissions.RequireHolder(actor, issue, "resolve");

    public Decision Decide(Issue issue, DecisionContext context) =>
        Decision.Append(new IssueResolved(issue.Id, issue.UnitId!, Outcome, DecisionContext.NextId(issue, "outcome"), context.Actor, context.Now));
}

public static class ResolveIssueEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/resolve")]
    public static Task<(IResult, OutgoingMessages)> Post(string id, HttpContext http, IDocumentSession session, IssueCommandRunner runner) =>
        runner.Run(http, id, session, ResolveIssue.Read);
}
