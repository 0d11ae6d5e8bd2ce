using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Rectify.Infrastructure.Requests;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Rectify.Identity;
using Rectify.Infrastructure;
using Wolverine.Http;

namespace Rectify.Issues.ErasingPersonalData;

[Description("A resident's request to erase their personal data from an issue.")]
public sealed record ErasePersonalDataRequest
{
    [Required, Description("Why (the resident's request, its reference); kept in the history."), Example("居民书面申请删除个人信息")]
    public string? Reason { get; init; }
}

/// <summary>
/// 个人信息删除: a resident asks for their personal data to be erased. The name and phone (the issue's ResidentContact)
/// are deleted; the issue's history stays as it was and gains an event saying that, when, by whom and why, not what.
/// </summary>
public sealed record ErasePersonalData(string Reason)
{
    public const int MaxReason = 500;

    public static string? Forbidden(Actor actor) =>
        actor.IsAdmin ? null : "Only an admin may erase a resident's personal data.";

    /// <summary>The event to append, or why not (409): an erasure is done once, and any issue in any state may have one.</summary>
    public (IssuePersonalDataErased? Erased, string? Refusal) Decide(Issue issue, Actor actor, DateTimeOffset now) =>
        issue.PersonalDataErased
            ? (null, "The resident's personal data of this issue has already been erased.")
            : (new IssuePersonalDataErased(issue.Id, Reason, actor, now), null);
}

/// <summary>What an erasure did; shared by the API and ops/cli erase-personal-data.</summary>
public abstract record ErasureOutcome
{
    public sealed record NotFound : ErasureOutcome;
    public sealed record Refused(Issue Issue, string Reason) : ErasureOutcome;
    public sealed record Erased(Issue Issue) : ErasureOutcome;

    /// <summary>
    /// Appends the event and deletes the contact in <paramref name="session"/>; the caller saves both in one transaction
    /// (the endpoint through Wolverine's transactional middleware, the command itself), so neither happens alone.
    /// </summary>
    public static async Task<ErasureOutcome> Run(IDocumentSession session, Guid issueId, ErasePersonalData command, Actor actor,
        DateTimeOffset now, CancellationToken cancellation)
    {
        // Marten throws on fetching the all-zero id; no issue has it, so it is not found like any unknown id.
        if (issueId == Guid.Empty) return new NotFound();
        var stream = await session.Events.FetchForWriting<Issue>(issueId, cancellation);
        if (stream.Aggregate is not { } issue) return new NotFound();
        var (erased, refusal) = command.Decide(issue, actor, now);
        if (erased is null) return new Refused(issue, refusal!);
        stream.AppendOne(erased);
        session.DeleteWhere<ResidentContact>(c => c.IssueId == issueId);
        return new Erased(Issue.Next(issue, erased));
    }
}

public static class ErasePersonalDataEndpoint
{
    [WolverinePost("/api/v1/issues/{id}/erase-personal-data")]
    [Tags("Audit"), EndpointSummary("Erase the resident's name and phone from an issue (个人信息删除)")]
    [ProducesResponseType<IssueCommandResponse>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409)]
    public static async Task<IResult> Post(string id, ErasePersonalDataRequest request, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var actor = ApiKeyAuthentication.ActorOf(http);
        var body = RequestCheck.Of(http);
        var issueId = IssueCommandRunner.ParseId(id, body.Fail);
        var reason = body.Required("reason", request.Reason, ErasePersonalData.MaxReason);
        if (!body.IsValid || issueId is null || reason is null) return Problems.Invalid(body.Errors);

        // Nothing about the issue (not even whether it exists) is told to a client that may not erase.
        if (ErasePersonalData.Forbidden(actor) is { } forbidden) return Problems.Forbidden(forbidden);

        switch (await ErasureOutcome.Run(session, issueId.Value, new ErasePersonalData(reason), actor, clock.GetUtcNow(), http.RequestAborted))
        {
            case ErasureOutcome.Erased { Issue: var next }:
                http.Response.Headers.ETag = IssueCommandRunner.ETag(next.Version);
                return TypedResults.Ok(new IssueCommandResponse(next.Id, next.Version, next.Status, next.UnitId, next.Deadline));
            case ErasureOutcome.Refused { Issue: var issue, Reason: var why }:
                return TypedResults.Problem(new ProblemDetails
                {
                    Status = StatusCodes.Status409Conflict,
                    Title = "The resident's personal data is already erased.",
                    Detail = why,
                    Type = Rectify.Infrastructure.ProblemTypes.PersonalDataErased.Uri,
                    Extensions = { ["currentStatus"] = Kebab.Of(issue.Status), ["currentVersion"] = issue.Version, ["personalDataErased"] = true }
                });
            default:
                return Problems.NotFound("issue", id);
        }
    }
}
