using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Identity;
using Rectify.Infrastructure.Requests;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Resolving;

[Description("The holding unit reports the problem fixed.")]
public sealed record ResolveIssueRequest : IssueCommandRequest
{
    [Required, Description("What was done to fix the problem, for the resident and the ledger (at most 2,000 characters).")]
    [Example("已更换村口路灯灯泡，经夜间试亮正常")]
    public string? Outcome { get; init; }
}

/// <summary>The holding unit fixed the problem; the resident is asked for feedback next.</summary>
public sealed record ResolveIssue(string Outcome) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.Resolve;

    public static ResolveIssue? Read(ResolveIssueRequest request, CommandReading r) =>
        r.Check.Required("outcome", request.Outcome, 2000) is { } outcome ? new ResolveIssue(outcome) : null;

    public string? Forbidden(Issue issue, Actor actor) => IssuePermissions.RequireHolder(actor, issue, "resolve");

    public Decision Decide(Issue issue, DecisionContext context) =>
        Decision.Append(new IssueResolved(issue.Id, issue.UnitId!, Outcome, DecisionContext.NextId(issue, "outcome"), context.Actor, context.Now));
}

public static class ResolveIssueEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/resolve")]
    [Tags("Issues"), EndpointSummary("Resolve an issue: the holding unit reports the problem fixed")]
    [ProducesResponseType<IssueCommandResponse>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409, 412, 422)]
    public static Task<(IResult, OutgoingMessages)> Post(string id, ResolveIssueRequest request, HttpContext http, IDocumentSession session,
        IssueCommandRunner runner) =>
        runner.Run(http, id, request, session, ResolveIssue.Read);
}
