using Rectify.Identity;
using Rectify.ReferenceData;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Escalating;

/// <summary>
/// 转办: what the town cannot solve goes to a district department, which must take it (照单全收): the one named,
/// or the one the routing rules give for the issue's category (its lead department).
/// </summary>
public sealed record EscalateIssue(Department? Department, string Reason) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.Escalate;

    public static EscalateIssue? Read(CommandReading r)
    {
        var departmentId = r.Body.OptionalString("departmentId", 64);
        var reason = r.Body.RequiredString("reason", 2000);
        var department = departmentId is null ? null : r.References.FindDepartment(departmentId);
        if (departmentId is not null && department is null) r.Body.Fail("departmentId", $"Unknown department '{departmentId}'.");
        return (departmentId is not null && department is null) || reason is null ? null : new EscalateIssue(department, reason);
    }

    public string? Forbidden(Issue issue, Actor actor) => IssuePermissions.RequireTown(actor, issue, "escalate");

    public Decision Decide(Issue issue, DecisionContext context)
    {
        var department = Department;
        string? ruleId = null;
        if (department is null)
        {
            if (context.References.DepartmentFor(issue.TownId, issue.CategoryId, context.Today) is not { } routed)
                return new Decision.Unprocessable("departmentId", $"No routing rule names a department for category {issue.CategoryId} on {context.Today:yyyy-MM-dd}: name the department.");
            (department, ruleId) = (routed.Department, routed.Rule.Id);
        }

        return Decision.Append(new IssueEscalated(issue.Id, department.Id, issue.UnitId, Reason, DecisionContext.NextRoutingId(issue),
            ruleId, context.Actor, context.Now));
    }
}

public static class EscalateIssueEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/escalate")]
    public static Task<(IResult, OutgoingMessages)> Post(string id, HttpContext http, IDocumentSession session, IssueCommandRunner runner) =>
        runner.Run(http, id, session, EscalateIssue.Read);
}
