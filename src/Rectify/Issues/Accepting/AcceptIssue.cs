using Rectify.Identity;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Accepting;

/// <summary>签收: the holding unit takes the issue on. Accepting an escalation starts its 3-working-day clock.</summary>
public sealed record AcceptIssue : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.Accept;

    public static AcceptIssue Read(CommandReading r) => new();

    public string? Forbidden(Issue issue, Actor actor) => IssuePermissions.RequireHolder(actor, issue, "accept");

    public Decision Decide(Issue issue, DecisionContext context)
    {
        if (issue.Status != IssueStatus.Escalated && issue.Deadline is { } assigned && issue.DeadlineId is { } deadlineId)
            return Decision.Append(new IssueAccepted(issue.Id, issue.UnitId!, assigned, deadlineId, context.Actor, context.Now));
        var deadline = context.HandlingDeadline();
        return Decision.Append(new IssueAccepted(issue.Id, issue.UnitId!, deadline, DecisionContext.NextId(issue, "deadline"),
            context.Actor, context.Now, context.IsProvisional(deadline)));
    }
}

public static class AcceptIssueEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/accept")]
    public static Task<(IResult, OutgoingMessages)> Post(string id, HttpContext http, IDocumentSession session, IssueCommandRunner runner) =>
        runner.Run(http, id, session, AcceptIssue.Read);
}
