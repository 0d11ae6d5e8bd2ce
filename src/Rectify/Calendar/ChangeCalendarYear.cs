using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Calendar.Replanning;
using Rectify.Identity;
using Rectify.Infrastructure;
using Rectify.Infrastructure.Requests;
using Rectify.Issues;
using Wolverine;
using Wolverine.Http;

namespace Rectify.Calendar;

[Description("A year's working-day calendar as the State Council's holiday notice gives it, and why it is entered or changed.")]
public sealed record CalendarYearRequest
{
    [Required, Description("The days off (放假) of the year beyond ordinary weekends, each once; an empty array when there are none.")]
    public IReadOnlyList<DateOnly?>? DaysOff { get; init; }

    [Required, Description("The make-up working days (调休上班): Saturdays or Sundays worked, each once; an empty array when there are none.")]
    public IReadOnlyList<DateOnly?>? Workdays { get; init; }

    [Description("The notice the calendar follows (at most 200 characters); none while the calendar is provisional."), Example("国办发明电〔2026〕7号")]
    public string? Notice { get; init; }

    [Required, Description("Why the calendar is entered or changed (at most 2,000 characters); recorded with the change."), Example("2027年节假日安排通知发布")]
    public string? Reason { get; init; }
}

/// <summary>
/// Enter or change a year's working-day calendar (the State Council's holiday notice): days off, make-up working days,
/// the notice, and why. The body of PUT /api/v1/calendar/{year} and of ops/cli enter-holiday-notice.
/// </summary>
public sealed record ChangeCalendarYear(int Year, IReadOnlyList<DateOnly> DaysOff, IReadOnlyList<DateOnly> Workdays, string? Notice, string Reason)
{
    public const int MaxDays = 366;

    /// <summary>The command, or null with every bad field named in <paramref name="check"/>.</summary>
    public static ChangeCalendarYear? Read(string yearText, CalendarYearRequest request, RequestCheck check)
    {
        var year = ReadYear(yearText, check);
        var daysOff = Dates(check, "daysOff", request.DaysOff, year);
        var workdays = Dates(check, "workdays", request.Workdays, year);
        var notice = check.Optional("notice", request.Notice, 200);
        var reason = check.Required("reason", request.Reason, 2000);

        if (daysOff is not null && workdays is not null)
            for (var i = 0; i < workdays.Count; i++)
                if (daysOff.Contains(workdays[i]))
                    check.Fail($"workdays[{i}]", $"{workdays[i]:yyyy-MM-dd} is also listed as a day off: a date is one or the other.");
        if (workdays is not null)
            for (var i = 0; i < workdays.Count; i++)
                if (workdays[i].DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                    check.Fail($"workdays[{i}]", $"{workdays[i]:yyyy-MM-dd} is a {workdays[i].DayOfWeek}: a make-up working day (调休上班) is a Saturday or Sunday.");

        return !check.IsValid || year is null || daysOff is null || workdays is null || reason is null
            ? null
            : new ChangeCalendarYear(year.Value, daysOff.Order().ToList(), workdays.Order().ToList(), notice, reason);
    }

    public static int? ReadYear(string text, RequestCheck check)
    {
        if (int.TryParse(text, out var year) && year is >= RequestCheck.MinYear and <= RequestCheck.MaxYear) return year;
        check.Fail("year", $"The year in the path must be a number between {RequestCheck.MinYear} and {RequestCheck.MaxYear}.");
        return null;
    }

    /// <summary>A required list of dates, each in <paramref name="year"/> and listed once; errors are named field[i].</summary>
    private static List<DateOnly>? Dates(RequestCheck check, string field, IReadOnlyList<DateOnly?>? given, int? year)
    {
        if (check.Items(field, given, required: true, MaxDays, "Is required (an empty array when there are none).") is not { } items) return null;
        var dates = new List<DateOnly>();
        for (var i = 0; i < items.Count; i++)
        {
            // A bad item was nulled by RequestShape and named already; a null sent as such is named here.
            if (items[i] is not { } date)
            {
                if (!check.HasError($"{field}[{i}]")) check.Fail($"{field}[{i}]", "Must be a date written yyyy-MM-dd.");
            }
            else if (year is not null && date.Year != year)
                check.Fail($"{field}[{i}]", $"{date:yyyy-MM-dd} lies outside the year {year}.");
            else if (dates.Contains(date))
                check.Fail($"{field}[{i}]", $"{date:yyyy-MM-dd} is listed twice.");
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
    [ProducesResponseType<CalendarChangeResult>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403, 409)]
    public static async Task<(Results<Ok<CalendarChangeResult>, ProblemHttpResult>, OutgoingMessages)> Put(string year, CalendarYearRequest request,
        HttpContext http, IDocumentSession session, LiveCalendar live, TimeProvider clock)
    {
        var actor = ApiKeyAuthentication.ActorOf(http);
        var check = RequestCheck.Of(http);
        var command = ChangeCalendarYear.Read(year, request, check);
        if (command is null) return (Problems.Invalid(check.Errors), []);
        if (!actor.IsAdmin) return (Problems.Forbidden("Only an admin may change the working-day calendar."), []);

        var (result, messages) = await command.Apply(actor, session, live, clock, http.RequestAborted);
        return (TypedResults.Ok(result), messages);
    }
}
