using Rectify.Identity;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Feedback;

/// <summary>
/// 反馈: the resident was told the outcome and asked whether they are satisfied. Once per outcome;
/// a dissatisfied resident sends the issue back to the holding unit under a new deadline.
/// </summary>
public sealed record RecordFeedback(Satisfaction Satisfaction, string? Comment) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.Feedback;

    public static RecordFeedback? Read(CommandReading r)
    {
        var satisfaction = r.Body.Choice<Satisfaction>("satisfaction", required: true);
        var comment = r.Body.OptionalString("comment", 2000);
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
    public static Task<(IResult, OutgoingMessages)> Post(string id, HttpContext http, IDocumentSession session, IssueCommandRunner runner) =>
        runner.Run(http, id, session, RecordFeedback.Read);
}
