using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using Marten;
using Rectify.Identity;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Extending;

[Description("Refuse the pending extension.")]
public sealed record RejectExtensionRequest : IssueCommandRequest
{
    [Required, Description("Why it is refused (at most 2,000 characters)."), Example("期限内可以完成")]
    public string? Reason { get; init; }
}

/// <summary>The extension is refused: the deadline stands.</summary>
public sealed record RejectExtension(string Reason) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.RejectExtension;

    public static RejectExtension? Read(RejectExtensionRequest request, CommandReading r) =>
        r.Check.Required("reason", request.Reason, 2000) is { } reason ? new RejectExtension(reason) : null;

    public string? Forbidden(Issue issue, Actor actor) => ExtensionPermissions.Decider(issue, actor, "reject");

    public Decision Decide(Issue issue, DecisionContext context) =>
        Decision.Append(new ExtensionRejected(issue.Id, issue.Deadline!.Value, Reason, context.Actor, context.Now));
}

public static class RejectExtensionEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/reject-extension")]
    [Tags("Issues"), EndpointSummary("Reject the pending extension: the deadline stands")]
    [ProducesResponseType<IssueCommandResponse>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409, 412, 422)]
    public static Task<(IResult, OutgoingMessages)> Post(string id, RejectExtensionRequest request, HttpContext http, IDocumentSession session,
        IssueCommandRunner runner) =>
        runner.Run(http, id, request, session, RejectExtension.Read);
}
