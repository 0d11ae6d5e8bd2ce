using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Rectify.Infrastructure;

/// <summary>RateLimits:PermitsPerMinute: how many requests one client may make per minute (a fixed one-minute window).</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";
    public const int MaxPermitsPerMinute = 1_000_000;

    public int PermitsPerMinute { get; set; } = 600;
}

/// <summary>
/// Per-client rate limits (ASP.NET Core's rate limiting): a fixed window of one minute per authenticated client name,
/// so a client's old and new key share one quota during a rotation. Requests without a valid key (health, the API
/// document, reference data, wrong keys) share a window per remote address, which also slows the guessing of keys.
/// </summary>
public static class RateLimits
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public static void AddRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        // Checked at start-up: a bad value stops the service with a message naming the setting.
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section))
            .Validate(o => o.PermitsPerMinute is >= 1 and <= RateLimitOptions.MaxPermitsPerMinute,
                $"RateLimits:PermitsPerMinute must be a whole number from 1 to {RateLimitOptions.MaxPermitsPerMinute}.")
            .ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, settings) =>
        {
            var permits = settings.Value.PermitsPerMinute;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                RateLimitPartition.GetFixedWindowLimiter(PartitionOf(http), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = permits, Window = Window, QueueLimit = 0, AutoReplenishment = true
                }));
            limiter.OnRejected = Refuse;
        });
    }

    /// <summary>The authenticated client's name (UseAuthentication runs first), else the remote address.</summary>
    public static string PartitionOf(HttpContext http) =>
        http.User.Identity is { IsAuthenticated: true, Name: { } client } ? "client:" + client
        : "address:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    private static async ValueTask Refuse(OnRejectedContext rejected, CancellationToken cancellation)
    {
        var http = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : Window;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var permits = http.RequestServices.GetRequiredService<IOptions<RateLimitOptions>>().Value.PermitsPerMinute;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = ProblemTypes.RateLimited.Title,
                Detail = $"This client may make {permits} requests a minute. Retry after {seconds} seconds.",
                Type = ProblemTypes.RateLimited.Uri
            }
        });
    }
}
