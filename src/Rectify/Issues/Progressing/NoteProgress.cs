using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using Rectify.Identity;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Progressing;

/// <summary>
/// A note on the work done so far; the status does not change. Naming a milestone's due date reports on that
/// milestone of an explained issue's roadmap, which stops its supervision clock, also after the issue is closed.
/// </summary>
[Description("A note on the work, optionally reaching a milestone of an explained issue.")]
public sealed record NoteProgressRequest : IssueCommandRequest
{
    [Required, Description("What was done (at most 2,000 characters)."), Example("已完成线路排查")]
    public string? Note { get; init; }

    [Description("The due date of the milestone this note reaches, for an explained issue."), Example("2022-09-30")]
    public DateOnly? MilestoneDueDate { get; init; }
}

public sealed record NoteProgress(string Note, DateOnly? MilestoneDueDate = null) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.Progress;

    public static NoteProgress? Read(NoteProgressRequest request, CommandReading r)
    {
        var note = r.Check.Required("note", request.Note, 2000);
        var milestone = r.Check.Date("milestoneDueDate", request.MilestoneDueDate, required: false);
        return note is null ? null : new NoteProgress(note, milestone);
    }

    public string? Forbidden(Issue issue, Actor actor) =>
        IssuePermissions.RequireHolder(actor, issue, "note progress on") is null || IssuePermissions.RequireTown(actor, issue, "note progress on") is null
            ? null
            : $"Only the unit that holds this issue, the office of town {issue.TownId} or a district supervisor may note progress on it.";

    public Decision Decide(Issue issue, DecisionContext context)
    {
        if (MilestoneDueDate is { } due && (issue.Outcome != IssueOutcome.Explained || issue.Milestones.All(m => m.DueDate != due)))
            return new Decision.Unprocessable("milestoneDueDate", $"The issue's roadmap has no milestone due {due:yyyy-MM-dd}.");
        return Decision.Append(new ProgressNoted(issue.Id, Note, MilestoneDueDate, context.Actor, context.Now));
    }
}

public static class NoteProgressEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/progress")]
    [Tags("Issues"), EndpointSummary("Note progress on an issue")]
    [ProducesResponseType<IssueCommandResponse>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409, 412, 422)]
    public static Task<(IResult, OutgoingMessages)> Post(string id, NoteProgressRequest request, HttpContext http, IDocumentSession session,
        IssueCommandRunner runner) =>
        runner.Run(http, id, request, session, NoteProgress.Read);
}
