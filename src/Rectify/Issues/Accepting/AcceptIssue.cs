using Rectify.Identity;
using Rectify.Issues.Planning;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Accepting;

/// <summary>
/// 签收: the holding unit takes the issue on. Accepting an escalation starts its 3-working-day clock, and the department
/// names its measures, responsible office and person (整改措施, 责任科室, 责任人), which every ledger row carries; an
/// assignment's acceptance keeps the plan the town gave and ignores these fields.
/// </summary>
public sealed record AcceptIssue(string? Measures = null, string? ResponsibleOffice = null, string? ResponsiblePerson = null) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.Accept;

    public static AcceptIssue Read(CommandReading r) =>
        new(r.Body.OptionalString("measures", IssuePlan.MaxMeasures), r.Body.OptionalString("responsibleOffice", IssuePlan.MaxOffice),
            r.Body.OptionalString("responsiblePerson", IssuePlan.MaxPerson));

    public string? Forbidden(Issue issue, Actor actor) => IssuePermissions.RequireHolder(actor, issue, "accept");

    public Decision Decide(Issue issue, DecisionContext context)
    {
        if (issue.Status != IssueStatus.Escalated && issue.Deadline is { } assigned && issue.DeadlineId is { } deadlineId)
            return Decision.Append(new IssueAccepted(issue.Id, issue.UnitId!, assigned, deadlineId, context.Actor, context.Now));

        var missing = IssuePlan.Missing(Measures, ResponsibleOffice, ResponsiblePerson,
            "is required when a department accepts an escalated issue: the department's ledger row names it.");
        if (missing.Count > 0) return new Decision.Invalid(missing);
        var deadline = context.HandlingDeadline();
        return Decision.Append(new IssueAccepted(issue.Id, issue.UnitId!, deadline, DecisionContext.NextId(issue, "deadline"),
            context.Actor, context.Now, context.IsProvisional(deadline), Measures, ResponsibleOffice, ResponsiblePerson));
    }
}

public static class AcceptIssueEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/accept")]
    public static Task<(IResult, OutgoingMessages)> Post(string id, HttpContext http, IDocumentSession session, IssueCommandRunner runner) =>
        runner.Run(http, id, session, AcceptIssue.Read);
}
