using Rectify.Identity;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Explaining;

/// <summary>
/// 路线图、时间表: the problem cannot be solved soon. The resident gets an explanation and dated milestones;
/// the issue is explained, not resolved, and its milestones stay tracked.
/// </summary>
public sealed record ExplainIssue(string Explanation, IReadOnlyList<Milestone> Milestones) : IIssueCommand
{
    public const int MaxMilestones = 20;

    public IssueCommand Kind => IssueCommand.Explain;

    public static ExplainIssue? Read(CommandReading r)
    {
        var explanation = r.Body.RequiredString("explanation", 4000);
        var index = 0;
        var milestones = r.Body.Array("milestones", required: true, MaxMilestones, item =>
        {
            var due = item.Date("dueDate", required: true);
            r.RequireWorkingDay(item, "dueDate", due, $"milestones[{index++}].dueDate");
            var description = item.RequiredString("description", 500);
            return due is null || description is null ? null : new Milestone(due.Value, description);
        });

        if (milestones is { Count: 0 } && r.Body.IsValid) r.Body.Fail("milestones", "Must hold at least one milestone.");
        else if (milestones is not null && r.Body.IsValid && milestones.All(m => m.DueDate <= r.Today))
            r.Body.Fail("milestones", $"At least one milestone must be dated after today ({r.Today:yyyy-MM-dd}).");

        return explanation is null || milestones is null || !r.Body.IsValid
            ? null
            : new ExplainIssue(explanation, milestones.OrderBy(m => m.DueDate).ToList());
    }

    public string? Forbidden(Issue issue, Actor actor) => IssuePermissions.RequireHolder(actor, issue, "explain");

    public Decision Decide(Issue issue, DecisionContext context) =>
        Decision.Append(new IssueExplained(issue.Id, issue.UnitId!, Explanation, Milestones, DecisionContext.NextId(issue, "outcome"),
            context.Actor, context.Now));
}

public static class ExplainIssueEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/explain")]
    public static Task<(IResult, OutgoingMessages)> Post(string id, HttpContext http, IDocumentSession session, IssueCommandRunner runner) =>
        runner.Run(http, id, session, ExplainIssue.Read);
}
