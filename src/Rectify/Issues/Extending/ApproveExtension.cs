using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using Marten;
using Rectify.Identity;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Extending;

[Description("Grant the pending extension.")]
public sealed record ApproveExtensionRequest : IssueCommandRequest;

/// <summary>The extension is granted: the deadline moves and its supervision check is scheduled anew.</summary>
public sealed record ApproveExtension : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.ApproveExtension;

    public static ApproveExtension Read(ApproveExtensionRequest request, CommandReading r) => new();

    public string? Forbidden(Issue issue, Actor actor) => ExtensionPermissions.Decider(issue, actor, "approve");

    public Decision Decide(Issue issue, DecisionContext context) =>
        Decision.Append(new ExtensionApproved(issue.Id, issue.Deadline!.Value, issue.PendingExtension!.NewDeadline,
            DecisionContext.NextId(issue, "deadline"), context.Actor, context.Now));
}

public static class ApproveExtensionEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/approve-extension")]
    [Tags("Issues"), EndpointSummary("Approve the pending extension: the deadline moves")]
    [ProducesResponseType<IssueCommandResponse>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409, 412, 422)]
    public static Task<(IResult, OutgoingMessages)> Post(string id, ApproveExtensionRequest request, HttpContext http, IDocumentSession session,
        IssueCommandRunner runner) =>
        runner.Run(http, id, request, session, ApproveExtension.Read);
}
