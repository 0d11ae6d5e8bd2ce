using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure;
using Rectify.Infrastructure.Requests;
using Wolverine.Http;

namespace Rectify.Identity.Keys;

/// <summary>One key change as the auditor reads it: which change, by whom, when, and its stored record.</summary>
public sealed record ClientChange(long Version, string Type, Actor Actor, DateTimeOffset OccurredAt, object Change);

/// <summary>Every key change of a client (registered, rotated, revoked): who, when, what; keys appear only by KeyId.</summary>
public static class GetClientHistoryEndpoint
{
    [WolverineGet("/api/v1/clients/{name}/history")]
    [EndpointSummary("Every key change of a client: registered, rotated, revoked; keys only by KeyId")]
    [Tags("Clients")]
    [ProducesResponseType<List<ClientChange>>(StatusCodes.Status200OK)]
    [ProblemAnswers(403, 404)]
    public static async Task<Results<Ok<List<ClientChange>>, ProblemHttpResult>> Get(string name, HttpContext http, IQuerySession session)
    {
        // Who may read it (admins, auditors, listed external systems) is the access table's row (Identity/Access/RouteAccess.cs).
        var events = await session.Events.FetchStreamAsync(ClientStream.IdOf(name), token: http.RequestAborted);
        if (events.Count == 0) return ClientProblems.Refused(KeyDecision.NotFound(name));
        return TypedResults.Ok(events.Select(e => e.Data switch
        {
            ClientRegistered r => new ClientChange(e.Version, "registered", r.Actor, r.OccurredAt, r),
            ClientKeyRotated r => new ClientChange(e.Version, "rotated", r.Actor, r.OccurredAt, r),
            ClientRevoked r => new ClientChange(e.Version, "revoked", r.Actor, r.OccurredAt, r),
            _ => throw new InvalidOperationException($"Unexpected event {e.EventTypeName} in the key history of '{name}'.")
        }).ToList());
    }
}
