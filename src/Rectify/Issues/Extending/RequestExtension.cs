using Marten;
using Rectify.Identity;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Extending;

/// <summary>延期: the holding unit asks, before its deadline has passed, for a later one. The status does not change.</summary>
public sealed record RequestExtension(DateOnly NewDeadline, string Reason) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.RequestExtension;

    public static RequestExtension? Read(CommandReading r)
    {
        var newDeadline = r.Body.Date("newDeadline", required: true);
        var reason = r.Body.RequiredString("reason", 2000);
        r.RequireWorkingDay(r.Body, "newDeadline", newDeadline);
        return newDeadline is null || reason is null ? null : new RequestExtension(newDeadline.Value, reason);
    }

    public string? Forbidden(Issue issue, Actor actor) => IssuePermissions.RequireHolder(actor, issue, "ask for an extension of");

    public Decision Decide(Issue issue, DecisionContext context)
    {
        var deadline = issue.Deadline!.Value;
        if (context.Today > deadline)
            return new Decision.Refused($"The deadline {deadline:yyyy-MM-dd} has passed: an extension must be asked for before it.", IssueLifecycle.AllowedCommands(issue));
        if (NewDeadline <= deadline)
            return new Decision.Unprocessable("newDeadline", $"Must be after the current deadline {deadline:yyyy-MM-dd}.");
        return Decision.Append(new ExtensionRequested(issue.Id, issue.UnitId!, deadline, NewDeadline, Reason, context.Actor, context.Now));
    }
}

public static class RequestExtensionEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/request-extension")]
    public static Task<(IResult, OutgoingMessages)> Post(string id, HttpContext http, IDocumentSession session, IssueCommandRunner runner) =>
        runner.Run(http, id, session, RequestExtension.Read);
}

public static class ExtensionPermissions
{
    /// <summary>The town decides for its own offices, the district for departments.</summary>
    public static string? Decider(Issue issue, Actor actor, string act) =>
        issue.UnitKind == ReferenceData.UnitKind.Department
            ? actor.IsSupervisor ? null : $"Only a district supervisor may {act} a department's extension."
            : IssuePermissions.RequireTown(actor, issue, act);
}
