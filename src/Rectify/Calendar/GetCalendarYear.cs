using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Identity;
using Rectify.Infrastructure;
using Rectify.Supervision;
using Rectify.Infrastructure.Requests;
using Wolverine.Http;

namespace Rectify.Calendar;

/// <summary>A year of the calendar as the API shows it; provisional while the year has no notice.</summary>
public sealed record CalendarYearView(
    int Year, IReadOnlyList<DateOnly> DaysOff, IReadOnlyList<DateOnly> Workdays, string? Notice, bool Provisional,
    long Version, string? Reason, Actor? ChangedBy, DateTimeOffset? ChangedAt)
{
    public static CalendarYearView Of(int year, CalendarYear? stored) => stored is null
        ? new(year, [], [], null, true, 0, null, null, null)
        : new(year, stored.DaysOff, stored.Workdays, stored.Notice, stored.Provisional, stored.Version, stored.Reason, stored.ChangedBy, stored.ChangedAt);
}

public static class GetCalendarYearEndpoint
{
    [WolverineGet("/api/v1/calendar/{year}")]
    [EndpointSummary("A year of the working-day calendar (provisional while it has no holiday notice)")]
    [Tags("Calendar")]
    [ProducesResponseType<CalendarYearView>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403)]
    public static async Task<Results<Ok<CalendarYearView>, ProblemHttpResult>> Get(string year, string? asOf, HttpContext http, IQuerySession session, LiveCalendar live)
    {
        var read = await CalendarHistory.Read(year, asOf, session, live, http.RequestAborted);
        if (read.Problem is { } problem) return problem;
        return TypedResults.Ok(CalendarYearView.Of(read.Year, CalendarYear.Fold(read.Changes)));
    }
}

/// <summary>One version of a year: what it said, who changed it, when and why.</summary>
public sealed record CalendarVersion(
    long Version, IReadOnlyList<DateOnly> DaysOff, IReadOnlyList<DateOnly> Workdays, string? Notice, bool Provisional,
    string Reason, Actor Actor, DateTimeOffset OccurredAt);

public static class GetCalendarHistoryEndpoint
{
    [WolverineGet("/api/v1/calendar/{year}/history")]
    [EndpointSummary("Every version of a year of the calendar: who changed it, when and why")]
    [Tags("Calendar")]
    [ProducesResponseType<List<CalendarVersion>>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403)]
    public static async Task<Results<Ok<List<CalendarVersion>>, ProblemHttpResult>> Get(string year, string? asOf, HttpContext http, IQuerySession session, LiveCalendar live)
    {
        var read = await CalendarHistory.Read(year, asOf, session, live, http.RequestAborted);
        if (read.Problem is { } problem) return problem;
        return TypedResults.Ok(read.Changes.Select((c, i) => new CalendarVersion(i + 1, c.DaysOff, c.Workdays, c.Notice,
            string.IsNullOrWhiteSpace(c.Notice), c.Reason, c.Actor, c.OccurredAt)).ToList());
    }
}

internal static class CalendarHistory
{
    public sealed record Reading(int Year, IReadOnlyList<CalendarYearChanged> Changes, ProblemHttpResult? Problem);

    /// <summary>The year's changes in order, up to the end of <paramref name="asOfText"/> (a date, Asia/Shanghai) when given.</summary>
    public static async Task<Reading> Read(string yearText, string? asOfText, IQuerySession session, LiveCalendar live, CancellationToken cancellation)
    {
        var errors = new Dictionary<string, string[]>();
        if (!int.TryParse(yearText, out var year) || year is < Infrastructure.Requests.RequestCheck.MinYear or > Infrastructure.Requests.RequestCheck.MaxYear)
            errors["year"] = [$"The year in the path must be a number between {Infrastructure.Requests.RequestCheck.MinYear} and {Infrastructure.Requests.RequestCheck.MaxYear}."];
        DateOnly? asOf = null;
        if (asOfText is not null)
        {
            if (DateOnly.TryParseExact(asOfText, "yyyy-MM-dd", out var date)) asOf = date;
            else errors["asOf"] = ["Must be a date written yyyy-MM-dd."];
        }
        if (errors.Count > 0) return new Reading(0, [], Problems.Invalid(errors));

        await live.LoadAsync(session, cancellation); // imports the shipped years into an empty store
        var changes = (await session.Events.FetchStreamAsync(CalendarYear.StreamId(year), token: cancellation))
            .Select(e => e.Data).OfType<CalendarYearChanged>()
            .Where(c => asOf is not { } day || c.OccurredAt < Clocks.EndOf(day))
            .ToList();
        return new Reading(year, changes, null);
    }
}
