using Rectify.Identity;
using Marten;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Issues.Progressing;

/// <summary>A note on the work done so far; the status does not change.</summary>
public sealed record NoteProgress(string Note) : IIssueCommand
{
    public IssueCommand Kind => IssueCommand.Progress;

    public static NoteProgress? Read(CommandReading r) =>
        r.Body.RequiredString("note", 2000) is { } note ? new NoteProgress(note) : null;

    public string? Forbidden(Issue issue, Actor actor) =>
        IssuePermissions.RequireHolder(actor, issue, "note progress on") is null || IssuePermissions.RequireTown(actor, issue, "note progress on") is null
            ? null
            : $"Only the unit that holds this issue, the office of town {issue.TownId} or a district supervisor may note progress on it.";

    public Decision Decide(Issue issue, DecisionContext context) =>
        Decision.Append(new ProgressNoted(issue.Id, Note, context.Actor, context.Now));
}

public static class NoteProgressEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/progress")]
    public static Task<(IResult, OutgoingMessages)> Post(string id, HttpContext http, IDocumentSession session, IssueCommandRunner runner) =>
        runner.Run(http, id, session, NoteProgress.Read);
}
