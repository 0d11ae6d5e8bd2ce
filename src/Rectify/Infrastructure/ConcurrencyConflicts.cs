using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Rectify.Infrastructure;

/// <summary>
/// Two writers raced on one issue and the store refused the second append: that is the caller's conflict (409),
/// not a server error. Nothing of the losing request was stored.
/// </summary>
public sealed class ConcurrencyConflicts(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellation)
    {
        if (exception is not JasperFx.ConcurrencyException) return false;

        http.Response.StatusCode = StatusCodes.Status409Conflict;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status409Conflict,
                Title = "The issue has changed since you read it.",
                Detail = "Another change to this issue was saved first. Read it again and retry.",
                Type = "https://rectify.invalid/problems/stale-version"
            }
        });
    }
}
