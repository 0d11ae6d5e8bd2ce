using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Rectify.Infrastructure;

/// <summary>
/// PostgreSQL cannot be reached (restarting, refusing connections, out of connections): 503 with Retry-After, not a
/// 500. Nothing was stored (the transaction never committed), so the caller may retry the same request. Npgsql's pool
/// opens fresh connections once the server is back, so the service recovers by itself.
/// </summary>
public sealed class DatabaseUnavailable(IProblemDetailsService problems, ILogger<DatabaseUnavailable> logger) : IExceptionHandler
{
    /// <summary>A PostgreSQL restart takes a few seconds; clients should not hammer it meanwhile.</summary>
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken cancellation)
    {
        if (!IsUnavailable(exception)) return false;

        // Expected while the database is down: one line, no stack trace.
        logger.LogWarning("Database unavailable for {Method} {Path}: {Reason}", http.Request.Method, http.Request.Path, Innermost(exception).Message);
        http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString();
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "The database is unavailable.",
                Detail = $"Nothing was stored. Retry after {RetryAfterSeconds} seconds.",
                Type = ProblemTypes.Unavailable.Uri
            }
        });
    }

    /// <summary>
    /// The server is down or refuses new work: a connection that cannot be opened or was cut (I/O, timeout), or
    /// PostgreSQL's connection (08), resources (53) and shutdown (57P01-57P03) errors. A deadlock or a constraint is
    /// no outage and stays what it is.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    return pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("53", StringComparison.Ordinal)
                        || pg.SqlState is "57P01" or "57P02" or "57P03";
                case NpgsqlException npgsql when npgsql.IsTransient:
                    return true;
            }
        }
        return false;
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
}
