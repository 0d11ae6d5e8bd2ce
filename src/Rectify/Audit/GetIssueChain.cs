using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using Marten;
using Rectify.Infrastructure;
using Wolverine.Http;

namespace Rectify.Audit;

/// <summary>An issue's chain head, and whether its chain still matches its stored events (recomputed on each read).</summary>
public sealed record IssueChain(Guid IssueId, int Events, ChainHead Head, bool Intact, BrokenEntry? FirstBroken);

public sealed record ChainHead(long Version, long Position, string? Hash, DateTimeOffset StoredAt);

public static class GetIssueChainEndpoint
{
    public const string CollectedType = "issue_collected.v1";

    /// <summary>The stream's events with their chain rows, or null when the id names no issue.</summary>
    public static async Task<List<ChainedEvent>?> IssueStreamAsync(string id, IDocumentStore store, CancellationToken cancellation)
    {
        var events = await EventChainReader.StreamAsync(store, Guid.Parse(id), cancellation);
        // A visit's or a WeChat group's stream is no issue, even though its id is a stream id.
        return events.Count == 0 || events[0].Type != CollectedType ? null : events;
    }

    [WolverineGet("/api/v1/issues/{id}/chain")]
    [Tags("Audit"), EndpointSummary("An issue's hash-chain head, and whether its chain still matches its events")]
    [ProducesResponseType<IssueChain>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404)]
    public static async Task<IResult> Get(string id, HttpContext http, IDocumentStore store)
    {
        if (!Guid.TryParse(id, out _)) return Problems.Invalid("id", "The issue id in the path must be a UUID.");
        if (await IssueStreamAsync(id, store, http.RequestAborted) is not { } events) return Problems.NotFound("issue", id);

        var broken = ChainCheck.FirstBroken(events)
            ?? (await EventChainReader.TruncatedAsync(store, events[0].StreamId, http.RequestAborted)).FirstOrDefault();
        var head = events[^1];
        return TypedResults.Ok(new IssueChain(head.StreamId, events.Count, new ChainHead(head.Version, head.Position, head.Hash, head.StoredAt),
            broken is null, broken));
    }
}
