using Marten;
using Rectify.Identity;
using Rectify.Infrastructure;
using Wolverine.Http;

namespace Rectify.Issues.Reading;

/// <summary>One act in an issue's history: the stored event type name, when it happened and when it was stored.</summary>
public sealed record HistoryEntry(string Type, long Version, DateTimeOffset OccurredAt, DateTimeOffset StoredAt, Actor Actor, object Data);

public static class GetIssueHistoryEndpoint
{
    [WolverineGet("/api/v1/issues/{id}/history")]
    public static async Task<IResult> Get(string id, HttpContext http, IQuerySession session)
    {
        if (!Guid.TryParse(id, out var issueId)) return Problems.Invalid("id", "The issue id in the path must be a UUID.");
        var events = await session.Events.FetchStreamAsync(issueId, token: http.RequestAborted);
        // A visit's or a WeChat group's stream is no issue, even though its id is a stream id.
        if (events.Count == 0 || events[0].Data is not IssueCollected) return Problems.NotFound("issue", id);

        return TypedResults.Ok(events
            .Where(e => e.Data is IIssueEvent)
            .Select(e =>
            {
                var data = (IIssueEvent)e.Data;
                return new HistoryEntry(e.EventTypeName, e.Version, data.OccurredAt, e.Timestamp, data.Actor, e.Data);
            })
            .ToList());
    }
}
