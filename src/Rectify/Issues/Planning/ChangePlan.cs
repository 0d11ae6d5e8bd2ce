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

/// <summary>
/// The holding unit changes its measures, responsible office or person later (a new person takes over, the measures
/// change). Fields not given keep their value; the event records the whole plan in force after the change, so the
/// history shows each version of it.
/// </summary>
public sealed record ChangePlan(string? Measures, string? ResponsibleOffice, string? ResponsiblePerson) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.Plan;

    public static ChangePlan? Read(CommandReading r)
    {
        var plan = new ChangePlan(r.Body.OptionalString("measures", IssuePlan.MaxMeasures),
            r.Body.OptionalString("responsibleOffice", IssuePlan.MaxOffice), r.Body.OptionalString("responsiblePerson", IssuePlan.MaxPerson));
        if (plan is { Measures: null, ResponsibleOffice: null, ResponsiblePerson: null } && r.Body.IsValid)
            r.Body.Fail("measures", "Give at least one of measures, responsibleOffice and responsiblePerson.");
        return r.Body.IsValid ? plan : null;
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
    public static Task<(IResult, OutgoingMessages)> Post(string id, HttpContext http, IDocumentSession session, IssueCommandRunner runner) =>
        runner.Run(http, id, session, ChangePlan.Read);
}
