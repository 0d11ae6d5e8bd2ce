using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure;
using Rectify.Infrastructure.Requests;
using Rectify.ReferenceData;
using Wolverine.Http;

namespace Rectify.Identity.Keys;

/// <summary>The answer to a registration or rotation: the only time the key is shown.</summary>
public sealed record IssuedKey(string Name, Role Role, string? TownId, string? DepartmentId, IReadOnlyList<string> AllowedRoutes,
    string KeyId, string Key, DateTimeOffset CreatedAt, DateTimeOffset? PreviousKeysExpireAt);

[Description("A client to register: its name, role and scope.")]
public sealed record RegisterClientRequest
{
    [Required, Description("The client's name: a letter or digit, then letters, digits, '-', '_' and '.' (at most 64)."), Example("qicun-office")]
    public string? Name { get; init; }

    [Required, Description("What the client may do: its role (system is Rectify's own and is refused)."), Example("town-office")]
    public Role? Role { get; init; }

    [Description("The town a visitor, town-office or town-leader client acts for (required for those roles, refused for others)."), Example("qicun")]
    public string? TownId { get; init; }

    [Description("The department a department client acts for (required for that role, refused for others)."), Example("district-housing")]
    public string? DepartmentId { get; init; }

    [Description("For an external-system client only, and then at least one: the routes it may call, written \"METHOD /template\" (at most 200).")]
    public IReadOnlyList<string>? AllowedRoutes { get; init; }
}

[Description("How long the old keys keep working after the new one is issued.")]
public sealed record RotateClientKeyRequest
{
    [Required, Description("Hours the old keys keep working (0 to 720)."), Example(24L)]
    public long? GraceHours { get; init; }
}

public static class RegisterClientEndpoint
{
    /// <summary>The command, or null with every bad field named in <paramref name="check"/>.</summary>
    public static RegisterClient? Read(RegisterClientRequest request, RequestCheck check, DistrictReferenceData references, MappedRoutes mapped)
    {
        var name = check.Required("name", request.Name, ClientFields.MaxNameLength);
        if (name is not null && ClientFields.NameProblem(name) is { } nameProblem) check.Fail("name", nameProblem);
        var role = check.Required("role", request.Role);
        var townId = check.Optional("townId", request.TownId, 64);
        var departmentId = check.Optional("departmentId", request.DepartmentId, 64);
        var given = check.Items("allowedRoutes", request.AllowedRoutes, required: false, ClientFields.MaxRoutes);
        // Left out means none; a value that is no list, or too long a one, is named already and judged no further.
        if (given is null && !check.HasError("allowedRoutes")) given = [];

        List<string> routes = [];
        if (role is { } r)
        {
            foreach (var (field, reason) in ClientFields.ScopeProblems(r, townId, departmentId, references)) check.Fail(field, reason);
            if (given is not null)
            {
                (routes, var problems) = ClientFields.Routes(r, given, mapped);
                foreach (var (index, reason) in problems)
                    if (index < 0) check.Fail("allowedRoutes", reason);
                    else if (!check.HasError($"allowedRoutes[{index}]")) check.Fail($"allowedRoutes[{index}]", reason);
            }
        }

        return check.IsValid && name is not null && role is not null
            ? new RegisterClient(name, role.Value, townId, departmentId, routes)
            : null;
    }

    [WolverinePost("/api/v1/clients")]
    [EndpointSummary("Register a client and issue its first key, shown only in this answer (admin)")]
    [Tags("Clients")]
    [ProducesResponseType<IssuedKey>(StatusCodes.Status201Created)]
    [ProblemAnswers(400, 403, 409)]
    public static async Task<Results<Created<IssuedKey>, ProblemHttpResult>> Post(RegisterClientRequest request, HttpContext http, IDocumentSession session,
        DistrictReferenceData references, TimeProvider clock)
    {
        var actor = ApiKeyAuthentication.ActorOf(http);
        if (!actor.IsAdmin) return Problems.Forbidden("Only an admin may register clients.");
        var check = RequestCheck.Of(http);
        var command = Read(request, check, references, MappedRoutes.Of(http.RequestServices));
        if (command is null) return Problems.Invalid(check.Errors);

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
