using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Rectify.Infrastructure;

/// <summary>
/// The sizes of a request the API takes. Kestrel answers a request line over its own limit with 414 and an empty body,
/// before any of our code runs, so its limit is set well above the documented one and this middleware answers 414 as
/// problem details instead. Kestrel's body limit is the largest body an endpoint reads (a household register file);
/// the JSON endpoints refuse more than <see cref="Requests.RequestShape.MaxBytes"/> themselves. Both refusals are 413 problems
/// (RequestErrors).
/// </summary>
public static class RequestLimits
{
    /// <summary>The longest path and query string the API takes, in bytes as sent (percent-encoded).</summary>
    public const int MaxTargetBytes = 8 * 1024;

    /// <summary>Kestrel's limit on the whole request line: past it Kestrel alone answers (414, no body).</summary>
    public const int KestrelRequestLineBytes = 64 * 1024;

    public static void AddRequestLimits(this IServiceCollection services) =>
        services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.Limits.MaxRequestLineSize = KestrelRequestLineBytes;
            kestrel.Limits.MaxRequestBodySize = ReferenceData.HouseholdRegisterFile.MaxBytes;
        });

    /// <summary>Runs before authentication: an over-long URL costs no key lookup.</summary>
    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var length = TargetBytes(http);
        if (length <= MaxTargetBytes)
        {
            await next(http);
            return;
        }
        http.Response.StatusCode = StatusCodes.Status414UriTooLong;
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status414UriTooLong,
                Title = ProblemTypes.UriTooLong.Title,
                Detail = $"The path and query string are {length} bytes; at most {MaxTargetBytes} are taken.",
                Type = ProblemTypes.UriTooLong.Uri
            }
        });
    });

    /// <summary>The request target as sent when the server kept it (Kestrel does), else rebuilt from its parts.</summary>
    private static int TargetBytes(HttpContext http)
    {
        var raw = http.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (!string.IsNullOrEmpty(raw)) return System.Text.Encoding.UTF8.GetByteCount(raw);
        var request = http.Request;
        return System.Text.Encoding.UTF8.GetByteCount(request.PathBase.ToUriComponent() + request.Path.ToUriComponent() + request.QueryString.ToUriComponent());
    }
}
