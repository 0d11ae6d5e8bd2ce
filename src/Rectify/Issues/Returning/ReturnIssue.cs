using Rectify.Identity;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Returning;

/// <summary>退回: the assigned unit hands the issue back to the town before accepting it, with a reason.</summary>
public sealed record ReturnIssue(string Reason) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.Return;

    public static ReturnIssue? Read(CommandReading r) =>
        r.Body.RequiredString("reason", 2000) is { } reason ? new ReturnIssue(reason) : null;

    public string? Forbidden(Issue issue, Actor actor) => IssuePermissions.RequireHolder(actor, issue, "return");

    public Decision Decide(Issue issue, DecisionContext context) =>
        Decision.Append(new IssueReturned(issue.Id, issue.UnitId!, Reason, issue.ReturnCount + 1, context.Actor, context.Now));
}

public static class ReturnIssueEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/return")]
    public static Task<(IResult, OutgoingMessages)> Post(string id, HttpContext http, IDocumentSession session, IssueCommandRunner runner) =>
        runner.Run(http, id, session, ReturnIssue.Read);
}
