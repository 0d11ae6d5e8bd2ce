using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using Rectify.Identity;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Planning;

/// <summary>The three fields a ledger row names for the unit's work, with their limits (the same as an assignment's).</summary>
public static class IssuePlan
{
    public const int MaxMeasures = 2000, MaxOffice = 100, MaxPerson = 50;

    /// <summary>Each of the three fields not given, named with <paramref name="why"/>.</summary>
    public static Dictionary<string, string[]> Missing(string? measures, string? office, string? person, string why)
    {
        var missing = new Dictionary<string, string[]>();
        if (measures is null) missing["measures"] = [$"measures {why}"];
        if (office is null) missing["responsibleOffice"] = [$"responsibleOffice {why}"];
        if (person is null) missing["responsiblePerson"] = [$"responsiblePerson {why}"];
        return missing;
    }
}

[Description("The holding unit changes its plan; fields left out keep their value, at least one is given.")]
public sealed record ChangePlanRequest : IssueCommandRequest
{
    [Description("整改措施 (at most 2,000 characters)."), Example("改为整体更换线路")]
    public string? Measures { get; init; }

    [Description("责任科室 (at most 100 characters)."), Example("市政设施科")]
    public string? ResponsibleOffice { get; init; }

    [Description("责任人 (at most 50 characters)."), Example("王强")]
    public string? ResponsiblePerson { get; init; }
}

/// <summary>
/// The holding unit changes its measures, responsible office or person later (a new person takes over, the measures
/// change). Fields not given keep their value; the event records the whole plan in force after the change, so the
/// history shows each version of it.
/// </summary>
public sealed record ChangePlan(string? Measures, string? ResponsibleOffice, string? ResponsiblePerson) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.Plan;

    public static ChangePlan? Read(ChangePlanRequest request, CommandReading r)
    {
        var check = r.Check;
        var plan = new ChangePlan(check.Optional("measures", request.Measures, IssuePlan.MaxMeasures),
            check.Optional("responsibleOffice", request.ResponsibleOffice, IssuePlan.MaxOffice),
            check.Optional("responsiblePerson", request.ResponsiblePerson, IssuePlan.MaxPerson));
        if (plan is { Measures: null, ResponsibleOffice: null, ResponsiblePerson: null } && check.IsValid)
            check.Fail("measures", "Give at least one of measures, responsibleOffice and responsiblePerson.");
        return check.IsValid ? plan : null;
    }

    public string? Forbidden(Issue issue, Actor actor) => IssuePermissions.RequireHolder(actor, issue, "change the plan of");

    public Decision Decide(Issue issue, DecisionContext context)
    {
        var (measures, office, person) = (Measures ?? issue.Measures, ResponsibleOffice ?? issue.ResponsibleOffice, ResponsiblePerson ?? issue.ResponsiblePerson);
        // An issue accepted before departments gave a plan has none: the first change must then give all three.
        var missing = IssuePlan.Missing(measures, office, person, "is required: the issue has none yet.");
        if (missing.Count > 0) return new Decision.Invalid(missing);
        if ((measures, office, person) == (issue.Measures, issue.ResponsibleOffice, issue.ResponsiblePerson))
            return new Decision.Unprocessable("measures", "Nothing changes: the issue already has this plan.");
        return Decision.Append(new IssuePlanChanged(issue.Id, issue.UnitId!, measures!, office!, person!, context.Actor, context.Now));
    }
}

public static class ChangePlanEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/plan")]
    [Tags("Issues"), EndpointSummary("Change the plan (measures, responsible office or person) of an issue")]
    [ProducesResponseType<IssueCommandResponse>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409, 412, 422)]
    public static Task<(IResult, OutgoingMessages)> Post(string id, ChangePlanRequest request, HttpContext http, IDocumentSession session,
        IssueCommandRunner runner) =>
        runner.Run(http, id, request, session, ChangePlan.Read);
}
