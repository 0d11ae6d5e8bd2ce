using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using Rectify.Identity;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Closing;

[Description("Strike the issue off the ledger after the resident's feedback.")]
public sealed record CloseIssueRequest : IssueCommandRequest;

/// <summary>
/// 销号: struck off the ledger after the resident's feedback. When the resident could not be reached,
/// only a district supervisor may strike it off. Who may: <see cref="CloseDuties"/>.
/// </summary>
public sealed record CloseIssue : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.Close;

    public static CloseIssue Read(CloseIssueRequest request, CommandReading r) => new();

    public string? Forbidden(Issue issue, Actor actor) => CloseDuties.Check(issue, actor);

    public Decision Decide(Issue issue, DecisionContext context) =>
        Decision.Append(new IssueClosed(issue.Id, issue.Outcome!.Value, issue.Satisfaction!.Value, context.Actor, context.Now));
}

public static class CloseIssueEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/close")]
    [Tags("Issues"), EndpointSummary("Close an issue (销号) after the resident's feedback")]
    [ProducesResponseType<IssueCommandResponse>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409, 412, 422)]
    public static Task<(IResult, OutgoingMessages)> Post(string id, CloseIssueRequest request, HttpContext http, IDocumentSession session,
        IssueCommandRunner runner) =>
        runner.Run(http, id, request, session, CloseIssue.Read);
}
