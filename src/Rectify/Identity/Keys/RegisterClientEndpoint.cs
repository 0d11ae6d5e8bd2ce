using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure;
using Rectify.ReferenceData;
using Wolverine.Http;

namespace Rectify.Identity.Keys;

/// <summary>The answer to a registration or rotation: the only time the key is shown.</summary>
public sealed record IssuedKey(string Name, Role Role, string? TownId, string? DepartmentId, IReadOnlyList<string> AllowedRoutes,
    string KeyId, string Key, DateTimeOffset CreatedAt, DateTimeOffset? PreviousKeysExpireAt);

public static class RegisterClientEndpoint
{
    /// <summary>The command, or null with every bad field named in <paramref name="body"/>.</summary>
    public static RegisterClient? Read(RequestBody body, DistrictReferenceData references, MappedRoutes mapped)
    {
        var name = body.RequiredString("name", ClientFields.MaxNameLength);
        if (name is not null && ClientFields.NameProblem(name) is { } nameProblem) body.Fail("name", nameProblem);
        var role = body.Choice<Role>("role", required: true);
        var townId = body.OptionalString("townId", 64);
        var departmentId = body.OptionalString("departmentId", 64);
        var given = body.Has("allowedRoutes") ? body.StringArray("allowedRoutes", ClientFields.MaxRoutes) : [];

        List<string> routes = [];
        if (role is { } r)
        {
            foreach (var (field, reason) in ClientFields.ScopeProblems(r, townId, departmentId, references)) body.Fail(field, reason);
            if (given is not null)
            {
                (routes, var problems) = ClientFields.Routes(r, given, mapped);
                foreach (var (index, reason) in problems) body.Fail(index < 0 ? "allowedRoutes" : $"allowedRoutes[{index}]", reason);
            }
        }

        return body.IsValid && name is not null && role is not null
            ? new RegisterClient(name, role.Value, townId, departmentId, routes)
            : null;
    }

    [WolverinePost("/api/v1/clients")]
    [EndpointSummary("Register a client and issue its first key, shown only in this answer (admin)")]
    [Tags("Clients")]
    [ProducesResponseType<ProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(401, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(403, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(409, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(413, "application/problem+json")]
    public static async Task<Results<Created<IssuedKey>, ProblemHttpResult>> Post(HttpContext http, IDocumentSession session, DistrictReferenceData references, TimeProvider clock)
    {
        var actor = ApiKeyAuthentication.ActorOf(http);
        if (!actor.IsAdmin) return Problems.Forbidden("Only an admin may register clients.");
        var body = await RequestBody.ReadAsync(http.Request, http.RequestAborted);
        var command = Read(body, references, MappedRoutes.Of(http.RequestServices));
        if (command is null) return Problems.Invalid(body.Errors);

        var key = ApiClient.NewKey();
        var now = clock.GetUtcNow();
        var decision = ClientKeys.Register(command, await ClientRegistry.KeysOf(session, command.Name, http.RequestAborted), ApiClient.Hash(key), actor, now);
        if (decision.Change is not { } change) return ClientProblems.Refused(decision);

        await ClientRegistry.Queue(session, command.Name, change, http.RequestAborted);
        return TypedResults.Created($"/api/v1/clients/{command.Name}", new IssuedKey(command.Name, command.Role, command.TownId, command.DepartmentId,
            command.AllowedRoutes, change.Documents[^1].KeyId, key, now, null));
    }
}

public static class ClientProblems
{
    public static ProblemHttpResult Refused(KeyDecision decision) => decision.Status == StatusCodes.Status404NotFound
        ? TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = 404, Title = decision.Refusal, Type = Rectify.Infrastructure.ProblemTypes.NotFound.Uri
        })
        : TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = decision.Status, Title = "The client is not in a state that allows this.", Detail = decision.Refusal,
            Type = Rectify.Infrastructure.ProblemTypes.ClientState.Uri
        });
}
