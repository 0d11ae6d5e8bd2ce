using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure;
using Wolverine.Http;

namespace Rectify.Identity.Keys;

public sealed record RevokedClient(string Name, DateTimeOffset RevokedAt, IReadOnlyList<string> RevokedKeyIds);

/// <summary>Every key of the client stops working at once, those in a rotation's grace period too.</summary>
public static class RevokeClientEndpoint
{
    [WolverinePost("/api/v1/clients/{name}/revoke")]
    [EndpointSummary("Revoke every key of a client at once, those in a grace period too (admin)")]
    [Tags("Clients")]
    [ProducesResponseType<ProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(401, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(403, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(404, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(409, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(413, "application/problem+json")]
    public static async Task<Results<Ok<RevokedClient>, ProblemHttpResult>> Post(string name, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var actor = ApiKeyAuthentication.ActorOf(http);
        if (!actor.IsAdmin) return Problems.Forbidden("Only an admin may revoke clients.");
        var body = await RequestBody.ReadAsync(http.Request, http.RequestAborted); // no fields; a body that is not JSON is still 400
        if (!body.IsValid) return Problems.Invalid(body.Errors);

        var now = clock.GetUtcNow();
        var decision = ClientKeys.Revoke(name, await ClientRegistry.KeysOf(session, name, http.RequestAborted), actor, now);
        if (decision.Change is not { } change) return ClientProblems.Refused(decision);

        await ClientRegistry.Queue(session, name, change, http.RequestAborted);
        return TypedResults.Ok(new RevokedClient(name, now, ((ClientRevoked)change.Event).RevokedKeyIds));
    }
}
