using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Calendar;
using Rectify.Infrastructure.Requests;
using Wolverine.Http;

namespace Rectify.Infrastructure;

/// <summary>The service runs; warnings name what an operator must act on.</summary>
public sealed record Healthy(string Status, IReadOnlyList<string> Warnings);

/// <summary>The service cannot answer: the database is out of reach (why, in reason).</summary>
public sealed record Unhealthy(string Status, string Reason);

public static class HealthEndpoint
{
    [AllowAnonymous]
    [WolverineGet("/health")]
    [EndpointSummary("Whether the service and its database answer, and what an operator must act on")]
    [Tags("Health")]
    [ProducesResponseType<Unhealthy>(503, "application/json")]
    [ProducesResponseType<Healthy>(StatusCodes.Status200OK)]
    [ProblemAnswers]
    public static async Task<Results<Ok<Healthy>, JsonHttpResult<Unhealthy>>> Get(IQuerySession session, HttpContext http, LiveCalendar live, TimeProvider clock)
    {
        try
        {
            // The live calendar: a notice entered on any node clears the warning at once.
            var calendar = await live.LoadAsync(session, http.RequestAborted);
            return TypedResults.Ok(new Healthy("healthy", Warnings(calendar, clock)));
        }
        catch (Npgsql.NpgsqlException e)
        {
            // Health answers, it does not throw: the database being down is the answer.
            return TypedResults.Json(new Unhealthy("unhealthy", e.Message), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    /// <summary>What an operator must act on although the service runs.</summary>
    public static IReadOnlyList<string> Warnings(WorkingCalendar calendar, TimeProvider clock) =>
        calendar.UncoveredYearsNear(clock.GetUtcNow())
            .Select(year => $"The working-day calendar has no holiday data for {year}: deadlines there count Monday to Friday only. " +
                            $"Enter the State Council's holiday notice for {year}: PUT /api/v1/calendar/{year} or ops/cli enter-holiday-notice (docs/reference-data.md).")
            .ToList();
}
