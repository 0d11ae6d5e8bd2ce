using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Rectify.Infrastructure;

public static class HealthEndpoint
{
    [AllowAnonymous]
    [WolverineGet("/health")]
    public static async Task<IResult> Get(IQuerySession session, HttpContext http)
    {
        try
        {
            await session.QueryAsync<int>("select 1", http.RequestAborted);
            return TypedResults.Ok(new { status = "healthy" });
        }
        catch (Npgsql.NpgsqlException e)
        {
            // Health answers, it does not throw: the database being down is the answer.
            return TypedResults.Json(new { status = "unhealthy", reason = e.Message }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
