using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using Marten;
using Microsoft.Extensions.Options;
using Rectify.Identity;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Extending;

[Description("The holding unit asks, before its deadline has passed, for a later one.")]
public sealed record RequestExtensionRequest : IssueCommandRequest
{
    [Required, Description("The deadline asked for: a working day after the current one."), Example("2022-06-30")]
    public DateOnly? NewDeadline { get; init; }

    [Required, Description("Why more time is needed (at most 2,000 characters)."), Example("需等待配件到货")]
    public string? Reason { get; init; }
}

/// <summary>延期: the holding unit asks, before its deadline has passed, for a later one. The status does not change.</summary>
public sealed record RequestExtension(DateOnly NewDeadline, string Reason, ExtensionLimits? Limits = null) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.RequestExtension;

    public static RequestExtension? Read(RequestExtensionRequest request, CommandReading r, ExtensionLimits limits)
    {
        var newDeadline = r.Check.Date("newDeadline", request.NewDeadline, required: true);
        var reason = r.Check.Required("reason", request.Reason, 2000);
        r.RequireWorkingDay(r.Check, "newDeadline", newDeadline);
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
    [Tags("Issues"), EndpointSummary("Request an extension (延期) of the deadline")]
    [ProducesResponseType<IssueCommandResponse>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409, 412, 422)]
    public static Task<(IResult, OutgoingMessages)> Post(string id, RequestExtensionRequest request, HttpContext http, IDocumentSession session,
        IssueCommandRunner runner,
        IOptions<ExtensionOptions> extensions) =>
        runner.Run(http, id, request, session, (q, r) => RequestExtension.Read(q, r, extensions.Value.Limits));
}

public static class ExtensionPermissions
{
    /// <summary>Who may decide a pending extension: see <see cref="ExtensionDuties"/>.</summary>
    public static string? Decider(Issue issue, Actor actor, string act) => ExtensionDuties.Check(issue, actor, act);
}
