using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure;
using Rectify.Infrastructure.Requests;
using Wolverine.Http;

namespace Rectify.Identity.Keys;

/// <summary>A new key for a client; its old key keeps working for the grace period the admin gives ({"graceHours":24}).</summary>
public static class RotateClientKeyEndpoint
{
    [WolverinePost("/api/v1/clients/{name}/rotate")]
    [EndpointSummary("A new key for a client; the old keys work for the grace period given (admin)")]
    [Tags("Clients")]
    [ProducesResponseType<IssuedKey>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409)]
    public static async Task<Results<Ok<IssuedKey>, ProblemHttpResult>> Post(string name, RotateClientKeyRequest request, HttpContext http,
        IDocumentSession session, TimeProvider clock)
    {
        var actor = ApiKeyAuthentication.ActorOf(http);
        if (!actor.IsAdmin) return Problems.Forbidden("Only an admin may rotate keys.");
        var check = RequestCheck.Of(http);
        var graceHours = check.Long("graceHours", request.GraceHours, required: true, min: 0);
        if (graceHours > ClientKeys.MaxGraceHours) check.Fail("graceHours", $"Must be at most {ClientKeys.MaxGraceHours} (30 days).");
        if (!check.IsValid || graceHours is null) return Problems.Invalid(check.Errors);

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
