using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using Rectify.Identity;
using Rectify.Issues.Planning;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Accepting;

[Description("The holding unit takes the issue on. A department accepting an escalated issue names its plan (required then).")]
public sealed record AcceptIssueRequest : IssueCommandRequest
{
    [Description("整改措施: what the department will do (at most 2,000 characters). Required when a department accepts an escalated issue."), Example("组织专业队伍排查线路并更换灯具")]
    public string? Measures { get; init; }

    [Description("责任科室: the office responsible (at most 100 characters). Required when a department accepts an escalated issue."), Example("市政设施科")]
    public string? ResponsibleOffice { get; init; }

    [Description("责任人: the person responsible (at most 50 characters). Required when a department accepts an escalated issue."), Example("张伟")]
    public string? ResponsiblePerson { get; init; }
}

/// <summary>
/// 签收: the holding unit takes the issue on. Accepting an escalation starts its 3-working-day clock, and the department
/// names its measures, responsible office and person (整改措施, 责任科室, 责任人), which every ledger row carries; an
/// assignment's acceptance keeps the plan the town gave and ignores these fields.
/// </summary>
public sealed record AcceptIssue(string? Measures = null, string? ResponsibleOffice = null, string? ResponsiblePerson = null) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.Accept;

    public static AcceptIssue Read(AcceptIssueRequest request, CommandReading r) =>
        new(r.Check.Optional("measures", request.Measures, IssuePlan.MaxMeasures),
            r.Check.Optional("responsibleOffice", request.ResponsibleOffice, IssuePlan.MaxOffice),
            r.Check.Optional("responsiblePerson", request.ResponsiblePerson, IssuePlan.MaxPerson));

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
    [Tags("Issues"), EndpointSummary("Accept an issue (签收): the holding unit takes it on")]
    [ProducesResponseType<IssueCommandResponse>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409, 412, 422)]
    public static Task<(IResult, OutgoingMessages)> Post(string id, AcceptIssueRequest request, HttpContext http, IDocumentSession session,
        IssueCommandRunner runner) =>
        runner.Run(http, id, request, session, AcceptIssue.Read);
}
