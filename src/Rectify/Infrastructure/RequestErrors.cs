using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Rectify.Infrastructure;

/// <summary>
/// A request the server refused before any endpoint judged it (a body over the limit, a body cut short):
/// the status the server chose, as ProblemDetails, and no server error.
/// </summary>
public sealed class RequestErrors(IProblemDetailsService problems, ILogger<RequestErrors> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellation)
    {
        if (exception is not BadHttpRequestException bad) return false;

        // A client's mistake: one line, no stack trace.
        logger.LogWarning("Refused {Method} {Path}: {Status} {Reason}", http.Request.Method, http.Request.Path, bad.StatusCode, bad.Message);
        http.Response.StatusCode = bad.StatusCode;
        var type = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? ProblemTypes.PayloadTooLarge : ProblemTypes.UnreadableRequest;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = bad.StatusCode,
                Title = type.Title,
                Detail = bad.Message,
                Type = type.Uri
            }
        });
    }
}
