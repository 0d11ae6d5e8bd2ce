using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using Marten;
using Rectify.Identity;
using Rectify.Infrastructure;
using Wolverine.Http;

namespace Rectify.Issues.Reading;

/// <summary>
/// One act in an issue's history: the stored event type name, its place in all of Rectify's events (position) and in the
/// issue (version), when it happened and when it was stored, who did it for which unit, why, and the request or message
/// it came from (correlation and causation ids, as stored with the event).
/// </summary>
public sealed record HistoryEntry(string Type, long Version, DateTimeOffset OccurredAt, DateTimeOffset StoredAt, Actor Actor, [property: Infrastructure.OpenApi.IssueEventPayload] object Data,
    long Position = 0, Role? Role = null, string? ActingUnitId = null, string? Reason = null, string? CorrelationId = null, string? CausationId = null)
{
    public static HistoryEntry Of(JasperFx.Events.IEvent e)
    {
        var data = (IIssueEvent)e.Data;
        return new HistoryEntry(e.EventTypeName, e.Version, data.OccurredAt, e.Timestamp, data.Actor, e.Data, e.Sequence, data.Actor.Role,
            data.Actor.DepartmentId ?? data.Actor.TownId, ReasonOf(data), e.CorrelationId, e.CausationId);
    }

    /// <summary>The reason an act gives, for the acts that give one.</summary>
    public static string? ReasonOf(IIssueEvent e) => e switch
    {
        IssueReturned r => r.Reason,
        IssueEscalated x => x.Reason,
        RerouteRequested r => r.Reason,
        IssueRerouted r => r.Reason,
        RerouteRejected r => r.Reason,
        ExtensionRequested x => x.Reason,
        ExtensionRejected x => x.Reason,
        IssuePersonalDataErased x => x.Reason,
        _ => null
    };
}

public static class GetIssueHistoryEndpoint
{
    [WolverineGet("/api/v1/issues/{id}/history")]
    [Tags("Issues"), EndpointSummary("An issue's history: every act with its stored name, times, actor and reason")]
    [ProducesResponseType<IReadOnlyList<HistoryEntry>>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404)]
    public static async Task<IResult> Get(string id, HttpContext http, IQuerySession session)
    {
        if (!Guid.TryParse(id, out var issueId)) return Problems.Invalid("id", "The issue id in the path must be a UUID.");
        var events = await session.Events.FetchStreamAsync(issueId, token: http.RequestAborted);
        // A visit's or a WeChat group's stream is no issue, even though its id is a stream id.
        if (events.Count == 0 || events[0].Data is not IssueCollected) return Problems.NotFound("issue", id);

        var acts = events.Where(e => e.Data is IIssueEvent).ToList();
        // The household address is masked (PersonalData:MaskAddress) as today's holder and town decide.
        var current = Issue.Fold(acts.Select(e => e.Data));
        return TypedResults.Ok(acts
            .Select(e => HistoryEntry.Of(e) with { Data = PersonalData.PersonalDataScope.Event(e.Data, current) })
            .ToList());
    }
}
