using Rectify.Identity;
using Rectify.ReferenceData;
using Wolverine.Http;

namespace Rectify.Issues.Escalating;

/// <summary>转办: what the town cannot solve goes to a district department, which must take it (照单全收).</summary>
public sealed record EscalateIssue(Department Department, string Reason) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.Escalate;

    public static EscalateIssue? Read(CommandReading r)
    {
        var departmentId = r.Body.RequiredString("departmentId", 64);
        var reason = r.Body.RequiredString("reason", 2000);
        var department = departmentId is null ? null : r.References.FindDepartment(departmentId);
        if (departmentId is not null && department is null) r.Body.Fail("departmentId", $"Unknown department '{departmentId}'.");
        return department is null || reason is null ? null : new EscalateIssue(department, reason);
    }

    public string? Forbidden(Issue issue, Actor actor) => IssuePermissions.RequireTown(actor, issue, "escalate");

    public Decision Decide(Issue issue, DecisionContext context) =>
        Decision.Append(new IssueEscalated(issue.Id, Department.Id, issue.UnitId, Reason, context.Actor, context.Now));
}

public static class EscalateIssueEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/escalate")]
    public static Task<IResult> Post(string id, HttpContext http, IssueCommandRunner runner) => runner.Run(http, id, EscalateIssue.Read);
}
