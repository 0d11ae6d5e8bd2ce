using Marten;
using Rectify.Identity;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Extending;

/// <summary>The extension is granted: the deadline moves and its supervision check is scheduled anew.</summary>
public sealed record ApproveExtension : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.ApproveExtension;

    public static ApproveExtension Read(CommandReading r) => new();

    public string? Forbidden(Issue issue, Actor actor) => ExtensionPermissions.Decider(issue, actor, "approve");

    public Decision Decide(Issue issue, DecisionContext context) =>
        Decision.Append(new ExtensionApproved(issue.Id, issue.Deadline!.Value, issue.PendingExtension!.NewDeadline,
            DecisionContext.NextId(issue, "deadline"), context.Actor, context.Now));
}

public static class ApproveExtensionEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/approve-extension")]
    public static Task<(IResult, OutgoingMessages)> Post(string id, HttpContext http, IDocumentSession session, IssueCommandRunner runner) =>
        runner.Run(http, id, session, ApproveExtension.Read);
}
