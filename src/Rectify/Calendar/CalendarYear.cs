using Rectify.Identity;
using Rectify.Issues;

namespace Rectify.Calendar;

/// <summary>
/// A year's working-day calendar was entered or changed: its days off, make-up working days (调休上班) and the
/// State Council notice they come from (null while the year has no notice: provisional). Who, when and why.
/// </summary>
public sealed record CalendarYearChanged(
    int Year, IReadOnlyList<DateOnly> DaysOff, IReadOnlyList<DateOnly> Workdays, string? Notice, string Reason,
    Actor Actor, DateTimeOffset OccurredAt);

public static class CalendarEventNames
{
    /// <summary>Stable stored names: never change a value.</summary>
    public static readonly IReadOnlyDictionary<Type, string> All = new Dictionary<Type, string>
    {
        [typeof(CalendarYearChanged)] = "calendar_year_changed.v1"
    };
}

/// <summary>The current version of one year of the calendar, folded from its stream (one stream per year).</summary>
public sealed record CalendarYear
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public int Year { get; init; }
    public IReadOnlyList<DateOnly> DaysOff { get; init; } = [];
    public IReadOnlyList<DateOnly> Workdays { get; init; } = [];
    public string? Notice { get; init; }
    public string Reason { get; init; } = "";
    public Actor? ChangedBy { get; init; }
    public DateTimeOffset ChangedAt { get; init; }

    public bool Provisional => string.IsNullOrWhiteSpace(Notice);

    public CalendarYearData Data => new(Year, DaysOff, Workdays, Notice);

    /// <summary>The stream of a year: derived from the year, so that each year has exactly one.</summary>
    public static Guid StreamId(int year) => ActIds.For(Guid.Empty, year, "calendar-year");

    public static CalendarYear Create(CalendarYearChanged e) => new CalendarYear { Id = StreamId(e.Year) }.Apply(e);

    public CalendarYear Apply(CalendarYearChanged e) => this with
    {
        Year = e.Year,
        DaysOff = e.DaysOff,
        Workdays = e.Workdays,
        Notice = e.Notice,
        Reason = e.Reason,
        ChangedBy = e.Actor,
        ChangedAt = e.OccurredAt
    };

    public static CalendarYear? Fold(IEnumerable<CalendarYearChanged> changes) =>
        changes.Aggregate((CalendarYear?)null, (year, e) => (year?.Apply(e) ?? Create(e)) with { Version = (year?.Version ?? 0) + 1 });
}
