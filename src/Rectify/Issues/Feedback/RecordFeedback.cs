using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using Rectify.Identity;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Feedback;

[Description("The resident's answer when told the outcome.")]
public sealed record RecordFeedbackRequest : IssueCommandRequest
{
    [Required, Description("Whether the resident is satisfied; unreachable when they could not be reached."), Example("satisfied")]
    public Satisfaction? Satisfaction { get; init; }

    [Description("What the resident said (at most 2,000 characters)."), Example("很满意")]
    public string? Comment { get; init; }
}

/// <summary>
/// 反馈: the resident was told the outcome and asked whether they are satisfied. Once per outcome;
/// a dissatisfied resident sends the issue back to the holding unit under a new deadline.
/// </summary>
public sealed record RecordFeedback(Satisfaction Satisfaction, string? Comment) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.Feedback;

    public static RecordFeedback? Read(RecordFeedbackRequest request, CommandReading r)
    {
        var satisfaction = r.Check.Required("satisfaction", request.Satisfaction);
        var comment = r.Check.Optional("comment", request.Comment, 2000);
        return satisfaction is null ? null : new RecordFeedback(satisfaction.Value, comment);
    }

    public string? Forbidden(Issue issue, Actor actor) => FeedbackDuties.Check(issue, actor);

    public Decision Decide(Issue issue, DecisionContext context)
    {
        var feedback = new FeedbackRecorded(issue.Id, issue.Outcome!.Value, Satisfaction, Comment, context.Actor, context.Now);
        if (Satisfaction != Satisfaction.Dissatisfied) return Decision.Append(feedback);

        var deadline = context.HandlingDeadline();
        return Decision.Append(feedback,
            new ReworkStarted(issue.Id, issue.UnitId!, issue.ReworkCount + 1, deadline,
                DecisionContext.NextId(issue, "deadline", offset: 2), context.Actor, context.Now, context.IsProvisional(deadline)));
    }
}

public static class RecordFeedbackEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/feedback")]
    [Tags("Issues"), EndpointSummary("Record the resident's feedback (反馈) on the outcome")]
    [ProducesResponseType<IssueCommandResponse>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409, 412, 422)]
    public static Task<(IResult, OutgoingMessages)> Post(string id, RecordFeedbackRequest request, HttpContext http, IDocumentSession session,
        IssueCommandRunner runner) =>
        runner.Run(http, id, request, session, RecordFeedback.Read);
}
