using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure;
using Rectify.Infrastructure.Requests;
using Wolverine.Http;

namespace Rectify.Identity.Keys;

/// <summary>The clients (name, role, scope, created, last used, revoked) and each one's keys by KeyId; never a key.</summary>
public static class ListClientsEndpoint
{
    [WolverineGet("/api/v1/clients")]
    [EndpointSummary("Every client and its keys by KeyId, never a key (admin)")]
    [Tags("Clients")]
    [ProducesResponseType<IReadOnlyList<ClientView>>(StatusCodes.Status200OK)]
    [ProblemAnswers(403)]
    public static async Task<Results<Ok<IReadOnlyList<ClientView>>, ProblemHttpResult>> Get(HttpContext http, IQuerySession session, TimeProvider clock)
    {
        if (!ApiKeyAuthentication.ActorOf(http).IsAdmin) return Problems.Forbidden("Only an admin may list clients.");
        return TypedResults.Ok(await ClientRegistry.List(session, clock.GetUtcNow(), http.RequestAborted));
    }

    [WolverineGet("/api/v1/clients/{name}")]
    [EndpointSummary("One client and its keys by KeyId (admin)")]
    [Tags("Clients")]
    [ProducesResponseType<ClientView>(StatusCodes.Status200OK)]
    [ProblemAnswers(403, 404)]
    public static async Task<Results<Ok<ClientView>, ProblemHttpResult>> GetOne(string name, HttpContext http, IQuerySession session, TimeProvider clock)
    {
        if (!ApiKeyAuthentication.ActorOf(http).IsAdmin) return Problems.Forbidden("Only an admin may read clients.");
        var keys = await ClientRegistry.KeysOf(session, name, http.RequestAborted);
        return keys.Count == 0 ? ClientProblems.Refused(KeyDecision.NotFound(name)) : TypedResults.Ok(ClientView.Of(keys, clock.GetUtcNow()));
    }
}
