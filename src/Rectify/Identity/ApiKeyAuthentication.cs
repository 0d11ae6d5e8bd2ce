using System.Security.Claims;
using System.Text.Encodings.Web;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Rectify.Identity.Keys;

namespace Rectify.Identity;

/// <summary>Authenticates "Authorization: Bearer &lt;api key&gt;" against the stored key hashes.</summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IDocumentStore store,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string ActorKey = "rectify.actor";
    private const string AllowedRoutesKey = "rectify.allowed-routes";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return AuthenticateResult.Fail("The Authorization header must be 'Bearer <api key>'.");

        var key = header["Bearer ".Length..].Trim();
        if (key.Length is 0 or > 200) return AuthenticateResult.Fail("The API key is malformed.");

        await using var session = store.QuerySession();
        var client = await session.LoadAsync<ApiClient>(ApiClient.Hash(key), Context.RequestAborted);
        if (client is null || client.RevokedAt is not null)
            return AuthenticateResult.Fail("The API key is unknown or revoked.");
        var now = clock.GetUtcNow();
        if (!client.WorksAt(now))
            return AuthenticateResult.Fail("The API key has expired: it was replaced by a rotation and its grace period is over.");
        await KeyUse.RecordAsync(store, client, now, Context.RequestAborted);

        var actor = client.ToActor();
        Context.Items[ActorKey] = actor;
        Context.Items[AllowedRoutesKey] = client.AllowedRoutes;
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, client.Name),
            new Claim(ClaimTypes.Role, client.Role.ToString())
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        await Response.WriteAsJsonAsync(new ProblemDetails
        {
            Status = StatusCodes.Status401Unauthorized,
            Title = "A valid API key is required.",
            Detail = failure ?? "Send 'Authorization: Bearer <api key>'.",
            Type = Rectify.Infrastructure.ProblemTypes.Unauthenticated.Uri
        }, Context.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions,
            "application/problem+json");
    }

    /// <summary>The authenticated caller; endpoints behind authorization always have one.</summary>
    public static Actor ActorOf(HttpContext context) =>
        context.Items[ActorKey] as Actor
        ?? throw new InvalidOperationException("No authenticated actor: the endpoint is missing authorization.");

    public static bool TryActorOf(HttpContext context, out Actor actor)
    {
        actor = (context.Items[ActorKey] as Actor)!;
        return actor is not null;
    }

    /// <summary>The routes an external system's client lists ("GET /api/v1/issues/{id}"); empty for every other client.</summary>
    public static IReadOnlyCollection<string> AllowedRoutesOf(HttpContext context) =>
        context.Items[AllowedRoutesKey] as List<string> ?? [];
}
