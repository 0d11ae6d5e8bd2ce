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

        // The caller who named the version in If-Match gets the precondition answer, as for any stale If-Match.
        var ifMatch = http.Request.Headers.IfMatch.ToString().Trim();
        var status = ifMatch.Length > 0 && ifMatch != "*" ? StatusCodes.Status412PreconditionFailed : StatusCodes.Status409Conflict;
        http.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Title = "The issue has changed since you read it.",
                Detail = "Another change to this issue was saved first. Read it again and retry.",
                Type = ProblemTypes.StaleVersion.Uri
            }
        });
    }
}
