using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure;
using Wolverine.Http;

namespace Rectify.Identity.Keys;

/// <summary>A new key for a client; its old key keeps working for the grace period the admin gives ({"graceHours":24}).</summary>
public static class RotateClientKeyEndpoint
{
    [WolverinePost("/api/v1/clients/{name}/rotate")]
    [EndpointSummary("A new key for a client; the old keys work for the grace period given (admin)")]
    [Tags("Clients")]
    [ProducesResponseType<ProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(401, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(403, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(404, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(409, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(413, "application/problem+json")]
    public static async Task<Results<Ok<IssuedKey>, ProblemHttpResult>> Post(string name, HttpContext http, IDocumentSession session, TimeProvider clock)
    {
        var actor = ApiKeyAuthentication.ActorOf(http);
        if (!actor.IsAdmin) return Problems.Forbidden("Only an admin may rotate keys.");
        var body = await RequestBody.ReadAsync(http.Request, http.RequestAborted);
        var graceHours = body.Long("graceHours", required: true, min: 0);
        if (graceHours > ClientKeys.MaxGraceHours) body.Fail("graceHours", $"Must be at most {ClientKeys.MaxGraceHours} (30 days).");
        if (!body.IsValid || graceHours is null) return Problems.Invalid(body.Errors);

        var key = ApiClient.NewKey();
        var now = clock.GetUtcNow();
        var decision = ClientKeys.Rotate(name, (int)graceHours, await ClientRegistry.KeysOf(session, name, http.RequestAborted), ApiClient.Hash(key), actor, now);
        if (decision.Change is not { } change) return ClientProblems.Refused(decision);

        await ClientRegistry.Queue(session, name, change, http.RequestAborted);
        var issued = change.Documents[^1];
        return TypedResults.Ok(new IssuedKey(name, issued.Role, issued.TownId, issued.DepartmentId, issued.AllowedRoutes, issued.KeyId, key, now,
            ((ClientKeyRotated)change.Event).PreviousKeysExpireAt));
    }
}
