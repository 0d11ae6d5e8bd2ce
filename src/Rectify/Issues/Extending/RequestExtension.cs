using Marten;
using Microsoft.Extensions.Options;
using Rectify.Identity;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Extending;

/// <summary>延期: the holding unit asks, before its deadline has passed, for a later one. The status does not change.</summary>
public sealed record RequestExtension(DateOnly NewDeadline, string Reason, ExtensionLimits? Limits = null) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.RequestExtension;

    public static RequestExtension? Read(CommandReading r, ExtensionLimits limits)
    {
        var newDeadline = r.Body.Date("newDeadline", required: true);
        var reason = r.Body.RequiredString("reason", 2000);
        r.RequireWorkingDay(r.Body, "newDeadline", newDeadline);
        return newDeadline is null || reason is null ? null : new RequestExtension(newDeadline.Value, reason, limits);
    }

    public string? Forbidden(Issue issue, Actor actor) => IssuePermissions.RequireHolder(actor, issue, "ask for an extension of");

    public Decision Decide(Issue issue, DecisionContext context)
    {
        var deadline = issue.Deadline!.Value;
        if (context.Today > deadline)
            return new Decision.Refused($"The deadline {deadline:yyyy-MM-dd} has passed: an extension must be asked for before it.", IssueLifecycle.AllowedCommands(issue));
        if (NewDeadline <= deadline)
            return new Decision.Unprocessable("newDeadline", $"Must be after the current deadline {deadline:yyyy-MM-dd}.");
        if ((Limits ?? ExtensionLimits.Default).Check(issue, NewDeadline, context.Calendar) is { } beyond) return beyond;
        return Decision.Append(new ExtensionRequested(issue.Id, issue.UnitId!, deadline, NewDeadline, Reason, context.Actor, context.Now));
    }
}

public static class RequestExtensionEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/request-extension")]
    public static Task<(IResult, OutgoingMessages)> Post(string id, HttpContext http, IDocumentSession session, IssueCommandRunner runner,
        IOptions<ExtensionOptions> extensions) =>
        runner.Run(http, id, session, r => RequestExtension.Read(r, extensions.Value.Limits));
}

public static class ExtensionPermissions
{
    /// <summary>Who may decide a pending extension: see <see cref="ExtensionDuties"/>.</summary>
    public static string? Decider(Issue issue, Actor actor, string act) => ExtensionDuties.Check(issue, actor, act);
}
