using Marten;
using Rectify.Identity;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Extending;

/// <summary>The extension is refused: the deadline stands.</summary>
public sealed record RejectExtension(string Reason) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.RejectExtension;

    public static RejectExtension? Read(CommandReading r) =>
        r.Body.RequiredString("reason", 2000) is { } reason ? new RejectExtension(reason) : null;

    public string? Forbidden(Issue issue, Actor actor) => ExtensionPermissions.Decider(issue, actor, "reject");

    public Decision Decide(Issue issue, DecisionContext context) =>
        Decision.Append(new ExtensionRejected(issue.Id, issue.Deadline!.Value, Reason, context.Actor, context.Now));
}

public static class RejectExtensionEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/reject-extension")]
    public static Task<(IResult, OutgoingMessages)> Post(string id, HttpContext http, IDocumentSession session, IssueCommandRunner runner) =>
        runner.Run(http, id, session, RejectExtension.Read);
}
