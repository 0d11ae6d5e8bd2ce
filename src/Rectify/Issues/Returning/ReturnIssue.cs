using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using Rectify.Identity;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Returning;

/// <summary>退回: the assigned unit hands the issue back to the town before accepting it, with a reason.</summary>
[Description("The holding unit sends the issue back to the town.")]
public sealed record ReturnIssueRequest : IssueCommandRequest
{
    [Required, Description("Why the unit cannot take it (at most 2,000 characters)."), Example("不属于本单位职责")]
    public string? Reason { get; init; }
}

public sealed record ReturnIssue(string Reason) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.Return;

    public static ReturnIssue? Read(ReturnIssueRequest request, CommandReading r) =>
        r.Check.Required("reason", request.Reason, 2000) is { } reason ? new ReturnIssue(reason) : null;

    public string? Forbidden(Issue issue, Actor actor) => IssuePermissions.RequireHolder(actor, issue, "return");

    public Decision Decide(Issue issue, DecisionContext context) =>
        Decision.Append(new IssueReturned(issue.Id, issue.UnitId!, Reason, issue.ReturnCount + 1, context.Actor, context.Now));
}

public static class ReturnIssueEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/return")]
    [Tags("Issues"), EndpointSummary("Return an issue to the town")]
    [ProducesResponseType<IssueCommandResponse>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409, 412, 422)]
    public static Task<(IResult, OutgoingMessages)> Post(string id, ReturnIssueRequest request, HttpContext http, IDocumentSession session,
        IssueCommandRunner runner) =>
        runner.Run(http, id, request, session, ReturnIssue.Read);
}
