using JasperFx.CodeGeneration;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Infrastructure;

/// <summary>Idempotency:KeepHours: how long a POST's Idempotency-Key and its first response are kept (default 24).</summary>
public sealed class IdempotencyOptions
{
    public const string Section = "Idempotency";
    public const int MaxKeepHours = 24 * 30;

    public int KeepHours { get; set; } = 24;
}

/// <summary>
/// Idempotent retries of every POST, by Wolverine's own deduplicated responses (docs/api.md, "Retrying safely"):
/// a repeat of a request with the same <c>Idempotency-Key</c> and the same bytes is answered with the first response
/// (status, body, Location) without running again; the key with another request is 422; a repeat while the first is
/// still running is 409 with Retry-After (ProblemWriter gives both their catalogue types). Keys are the caller's: two
/// clients sending the same key never see each other's answers. The key is optional, so clients without one keep working.
/// </summary>
public static class Idempotency
{
    public const string HeaderName = "Idempotency-Key";

    /// <summary>What a retry that meets its first request still running should wait: commands take well under a second.</summary>
    public const int RetryAfterSeconds = 1;

    /// <summary>Storage for the claims (the table wolverine_deduplicated_responses, made by `resources setup`) and their lifetime.</summary>
    public static void Configure(WolverineOptions wolverine, IConfiguration configuration)
    {
        var settings = configuration.GetSection(IdempotencyOptions.Section).Get<IdempotencyOptions>() ?? new IdempotencyOptions();
        // Checked at start-up: a bad value stops the service naming the setting.
        if (settings.KeepHours is < 1 or > IdempotencyOptions.MaxKeepHours)
            throw new InvalidOperationException(
                $"Idempotency:KeepHours must be a whole number of hours from 1 to {IdempotencyOptions.MaxKeepHours} (got {settings.KeepHours}).");
        wolverine.Durability.EnableDeduplicatedResponses = true;
        wolverine.Durability.DeduplicationWindow = TimeSpan.FromHours(settings.KeepHours);
    }
}

/// <summary>Every POST endpoint takes an optional Idempotency-Key scoped to the authenticated client (its name).</summary>
public sealed class IdempotencyPolicy : IHttpPolicy
{
    public void Apply(IReadOnlyList<HttpChain> chains, GenerationRules rules, JasperFx.IServiceContainer container)
    {
        foreach (var chain in chains.Where(c => c.HttpMethods.Contains("POST", StringComparer.OrdinalIgnoreCase)))
            chain.DeduplicatedWithResponse ??= new DeduplicatedWithResponseRequirement { Scope = DeduplicationScope.User, Required = false };
    }
}
