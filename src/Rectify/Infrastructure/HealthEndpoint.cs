using Marten;
using Microsoft.AspNetCore.Authorization;
using Rectify.Calendar;
using Wolverine.Http;

namespace Rectify.Infrastructure;

public static class HealthEndpoint
{
    [AllowAnonymous]
    [WolverineGet("/health")]
    public static async Task<IResult> Get(IQuerySession session, HttpContext http, LiveCalendar live, TimeProvider clock)
    {
        try
        {
            // The live calendar: a notice entered on any node clears the warning at once.
            var calendar = await live.LoadAsync(session, http.RequestAborted);
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
                            $"Enter the State Council's holiday notice for {year}: PUT /api/v1/calendar/{year} or ops/cli enter-holiday-notice (docs/reference-data.md).")
            .ToList();
}
