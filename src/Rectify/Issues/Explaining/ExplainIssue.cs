using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using Rectify.Identity;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Explaining;

[Description("The problem cannot be solved soon: an explanation for the resident and dated milestones.")]
public sealed record ExplainIssueRequest : IssueCommandRequest
{
    [Required, Description("The explanation given to the resident (at most 4,000 characters)."), Example("需纳入明年道路改造计划统一实施")]
    public string? Explanation { get; init; }

    [Required, Description("1 to 20 milestones, at least one dated after today; each due date a working day.")]
    public IReadOnlyList<MilestoneRequest?>? Milestones { get; init; }
}

[Description("One dated step of an explained issue's plan.")]
public sealed record MilestoneRequest
{
    [Required, Description("When the step is due: a working day."), Example("2022-09-30")]
    public DateOnly? DueDate { get; init; }

    [Required, Description("What is due (at most 500 characters)."), Example("完成立项")]
    public string? Description { get; init; }
}

/// <summary>
/// 路线图、时间表: the problem cannot be solved soon. The resident gets an explanation and dated milestones;
/// the issue is explained, not resolved, and its milestones stay tracked.
/// </summary>
public sealed record ExplainIssue(string Explanation, IReadOnlyList<Milestone> Milestones) : IIssueCommand
{
    public const int MaxMilestones = 20;

    public IssueCommand Kind => IssueCommand.Explain;

    public static ExplainIssue? Read(ExplainIssueRequest request, CommandReading r)
    {
        var check = r.Check;
        var explanation = check.Required("explanation", request.Explanation, 4000);
        List<Milestone>? milestones = null;
        if (check.Items("milestones", request.Milestones, required: true, MaxMilestones) is { } items)
        {
            milestones = [];
            for (var i = 0; i < items.Count; i++)
            {
                var field = $"milestones[{i}]";
                if (items[i] is not { } item)
                {
                    if (!check.HasError(field)) check.Fail(field, "Must be an object.");
                    continue;
                }
                var due = check.Date($"{field}.dueDate", item.DueDate, required: true);
                r.RequireWorkingDay(check, $"{field}.dueDate", due);
                var description = check.Required($"{field}.description", item.Description, 500);
                if (due is not null && description is not null) milestones.Add(new Milestone(due.Value, description));
            }
        }

        if (milestones is { Count: 0 } && check.IsValid) check.Fail("milestones", "Must hold at least one milestone.");
        else if (milestones is not null && check.IsValid && milestones.All(m => m.DueDate <= r.Today))
            check.Fail("milestones", $"At least one milestone must be dated after today ({r.Today:yyyy-MM-dd}).");

        return explanation is null || milestones is null || !check.IsValid
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
    [Tags("Issues"), EndpointSummary("Explain an issue (路线图、时间表): it cannot be solved soon")]
    [ProducesResponseType<IssueCommandResponse>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409, 412, 422)]
    public static Task<(IResult, OutgoingMessages)> Post(string id, ExplainIssueRequest request, HttpContext http, IDocumentSession session,
        IssueCommandRunner runner) =>
        runner.Run(http, id, request, session, ExplainIssue.Read);
}
