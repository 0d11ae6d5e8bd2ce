using Marten;
using Microsoft.AspNetCore.Authorization;
using Rectify.Calendar;
using Wolverine.Http;

namespace Rectify.Infrastructure;

public static class HealthEndpoint
{
    [AllowAnonymous]
    [WolverineGet("/health")]
    public static async Task<IResult> Get(IQuerySession session, HttpContext http, WorkingCalendar calendar, TimeProvider clock)
    {
        try
        {
            await session.QueryAsync<int>("select 1", http.RequestAborted);
            return TypedResults.Ok(new { status = "healthy", warnings = Warnings(calendar, clock) });
        }
        catch (Npgsql.NpgsqlException e)
        {
            // Health answers, it does not throw: the database being down is the answer.
            return TypedResults.Json(new { status = "unhealthy", reason = e.Message }, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>What an operator must act on although the service runs.</summary>
    public static IReadOnlyList<string> Warnings(WorkingCalendar calendar, TimeProvider clock) =>
        calendar.UncoveredYearsNear(clock.GetUtcNow())
            .Select(year => $"The working-day calendar has no holiday data for {year}: deadlines there count Monday to Friday only. " +
                            "Add the holiday notice of the State Council for that year to Calendar/china-calendar.json (docs/lifecycle.md).")
            .ToList();
}
