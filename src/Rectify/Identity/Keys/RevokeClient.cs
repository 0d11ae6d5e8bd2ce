using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure;
using Rectify.Infrastructure.Requests;
using Wolverine.Http;

namespace Rectify.Identity.Keys;

/// <summary>Revoking takes no fields; the body may be left out or be {}.</summary>
[System.ComponentModel.Description("Nothing: revoking takes no fields (the body may be left out).")]
public sealed record RevokeClientRequest;

public sealed record RevokedClient(string Name, DateTimeOffset RevokedAt, IReadOnlyList<string> RevokedKeyIds);

/// <summary>Every key of the client stops working at once, those in a rotation's grace period too.</summary>
public static class RevokeClientEndpoint
{
    [WolverinePost("/api/v1/clients/{name}/revoke")]
    [EndpointSummary("Revoke every key of a client at once, those in a grace period too (admin)")]
    [Tags("Clients")]
    [ProducesResponseType<RevokedClient>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 404, 409)]
    public static async Task<Results<Ok<RevokedClient>, ProblemHttpResult>> Post(string name, RevokeClientRequest request, HttpContext http,
        IDocumentSession session, TimeProvider clock)
    {
        var actor = ApiKeyAuthentication.ActorOf(http);
        if (!actor.IsAdmin) return Problems.Forbidden("Only an admin may revoke clients.");
        var check = RequestCheck.Of(http); // no fields; a body that is not JSON is still 400
        if (!check.IsValid) return Problems.Invalid(check.Errors);

        var now = clock.GetUtcNow();
        var decision = ClientKeys.Revoke(name, await ClientRegistry.KeysOf(session, name, http.RequestAborted), actor, now);
        if (decision.Change is not { } change) return ClientProblems.Refused(decision);

        await ClientRegistry.Queue(session, name, change, http.RequestAborted);
        return TypedResults.Ok(new RevokedClient(name, now, ((ClientRevoked)change.Event).RevokedKeyIds));
    }
}
