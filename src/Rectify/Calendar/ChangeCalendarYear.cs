using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Calendar.Replanning;
using Rectify.Identity;
using Rectify.Infrastructure;
using Rectify.Issues;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Calendar;

/// <summary>
/// Enter or change a year's working-day calendar (the State Council's holiday notice): days off, make-up working days,
/// the notice, and why. The body of PUT /api/v1/calendar/{year} and of ops/cli enter-holiday-notice.
/// </summary>
public sealed record ChangeCalendarYear(int Year, IReadOnlyList<DateOnly> DaysOff, IReadOnlyList<DateOnly> Workdays, string? Notice, string Reason)
{
    public const int MaxDays = 366;

    /// <summary>The command, or null with every bad field named in <paramref name="body"/>.</summary>
    public static ChangeCalendarYear? Read(string yearText, RequestBody body)
    {
        var year = ReadYear(yearText, body);
        var daysOff = Dates(body, "daysOff", year);
        var workdays = Dates(body, "workdays", year);
        var notice = body.OptionalString("notice", 200);
        var reason = body.RequiredString("reason", 2000);

        if (daysOff is not null && workdays is not null)
            for (var i = 0; i < workdays.Count; i++)
                if (daysOff.Contains(workdays[i]))
                    body.Fail($"workdays[{i}]", $"{workdays[i]:yyyy-MM-dd} is also listed as a day off: a date is one or the other.");
        if (workdays is not null)
            for (var i = 0; i < workdays.Count; i++)
                if (workdays[i].DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                    body.Fail($"workdays[{i}]", $"{workdays[i]:yyyy-MM-dd} is a {workdays[i].DayOfWeek}: a make-up working day (调休上班) is a Saturday or Sunday.");

        return !body.IsValid || year is null || daysOff is null || workdays is null || reason is null
            ? null
            : new ChangeCalendarYear(year.Value, daysOff.Order().ToList(), workdays.Order().ToList(),
                string.IsNullOrWhiteSpace(notice) ? null : notice.Trim(), reason);
    }

    public static int? ReadYear(string text, RequestBody body)
    {
        if (int.TryParse(text, out var year) && year is >= RequestBody.MinYear and <= RequestBody.MaxYear) return year;
        body.Fail("year", $"The year in the path must be a number between {RequestBody.MinYear} and {RequestBody.MaxYear}.");
        return null;
    }

    /// <summary>A required array of dates, each in <paramref name="year"/> and listed once; errors are named field[i].</summary>
    private static List<DateOnly>? Dates(RequestBody body, string field, int? year)
    {
        var texts = body.StringArray(field, MaxDays);
        if (texts is null) return null;
        var dates = new List<DateOnly>();
        for (var i = 0; i < texts.Count; i++)
        {
            if (texts[i] is not { } text || !DateOnly.TryParseExact(text, "yyyy-MM-dd", out var date))
                body.Fail($"{field}[{i}]", "Must be a date written yyyy-MM-dd.");
            else if (year is not null && date.Year != year)
                body.Fail($"{field}[{i}]", $"{date:yyyy-MM-dd} lies outside the year {year}.");
            else if (dates.Contains(date))
                body.Fail($"{field}[{i}]", $"{date:yyyy-MM-dd} is listed twice.");
            else dates.Add(date);
        }
        return dates;
    }

    /// <summary>
    /// Appends the change (nothing when the year already reads exactly so) and one re-planning message per open
    /// issue, in one transaction: the messages go out through the outbox only if the change is stored.
    /// </summary>
    public async Task<(CalendarChangeResult, OutgoingMessages)> Apply(Actor actor, IDocumentSession session, LiveCalendar live,
        TimeProvider clock, CancellationToken cancellation)
    {
        await live.LoadAsync(session, cancellation); // the shipped years are imported first, so a first change never hides them
        var stream = await session.Events.FetchForWriting<CalendarYear>(CalendarYear.StreamId(Year), cancellation);
        var current = stream.Aggregate;
        var messages = new OutgoingMessages();
        if (current is not null && current.DaysOff.SequenceEqual(DaysOff) && current.Workdays.SequenceEqual(Workdays) && current.Notice == Notice)
            return (CalendarChangeResult.Of(current, changed: false, issuesToReplan: 0), messages);

        var change = new CalendarYearChanged(Year, DaysOff, Workdays, Notice, Reason, actor, clock.GetUtcNow());
        stream.AppendOne(change);
        var next = (current?.Apply(change) ?? CalendarYear.Create(change)) with { Version = (current?.Version ?? 0) + 1 };

        var open = await session.Query<Issue>()
            .Where(i => i.Status == IssueStatus.Collected || i.Status == IssueStatus.Assigned || i.Status == IssueStatus.InProgress || i.Status == IssueStatus.Escalated
                        || i.Status == IssueStatus.Resolved || i.Status == IssueStatus.Explained)
            .Select(i => i.Id)
            .ToListAsync(cancellation);
        foreach (var id in open) messages.Add(new ReplanDeadlines(id, Year, next.Version, Notice));
        return (CalendarChangeResult.Of(next, changed: true, open.Count), messages);
    }
}

/// <summary>The year as it reads after the change, whether anything changed, and how many open issues are re-planned.</summary>
public sealed record CalendarChangeResult(CalendarYearView Calendar, bool Changed, int IssuesToReplan)
{
    public static CalendarChangeResult Of(CalendarYear year, bool changed, int issuesToReplan) =>
        new(CalendarYearView.Of(year.Year, year), changed, issuesToReplan);
}

public static class ChangeCalendarYearEndpoint
{
    [WolverinePut("/api/v1/calendar/{year}")]
    [EndpointSummary("Enter or change a year's holiday notice (admin); open issues' deadlines are re-planned")]
    [Tags("Calendar")]
    [ProducesResponseType<ProblemDetails>(400, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(401, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(403, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(409, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(413, "application/problem+json")]
    public static async Task<(Results<Ok<CalendarChangeResult>, ProblemHttpResult>, OutgoingMessages)> Put(string year, HttpContext http, IDocumentSession session, LiveCalendar live,
        TimeProvider clock)
    {
        var actor = ApiKeyAuthentication.ActorOf(http);
        var body = await RequestBody.ReadAsync(http.Request, http.RequestAborted);
        var command = ChangeCalendarYear.Read(year, body);
        if (command is null) return (Problems.Invalid(body.Errors), []);
        if (!actor.IsAdmin) return (Problems.Forbidden("Only an admin may change the working-day calendar."), []);

        var (result, messages) = await command.Apply(actor, session, live, clock, http.RequestAborted);
        return (TypedResults.Ok(result), messages);
    }
}
