using System.Text.Json;

namespace Rectify.Calendar;

/// <summary>
/// China's working days: Monday to Friday, minus public holidays, plus make-up working days (调休),
/// as published each year by the State Council. Dates are Asia/Shanghai calendar dates.
/// </summary>
public sealed class WorkingCalendar
{
    public const string FileName = "china-calendar.json";
    public static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    private readonly HashSet<DateOnly> _daysOff;
    private readonly HashSet<DateOnly> _makeUpDays;

    public WorkingCalendar(IEnumerable<DateOnly> daysOff, IEnumerable<DateOnly> makeUpWorkingDays, IReadOnlyCollection<int> coveredYears)
    {
        _daysOff = daysOff.ToHashSet();
        _makeUpDays = makeUpWorkingDays.ToHashSet();
        CoveredYears = coveredYears;
        var clash = _daysOff.Intersect(_makeUpDays).ToList();
        if (clash.Count > 0)
            throw new InvalidOperationException($"Calendar: {clash[0]:yyyy-MM-dd} is both a day off and a make-up working day.");
    }

    /// <summary>Years whose holiday notice is in the data; other years count Monday to Friday only.</summary>
    public IReadOnlyCollection<int> CoveredYears { get; }

    /// <summary>How far ahead deadlines reach: a year must be in the data before acts start falling due in it.</summary>
    public const int LookAheadDays = 45;

    /// <summary>
    /// The years from now to <see cref="LookAheadDays"/> ahead that have no holiday data: deadlines there count
    /// Monday to Friday only, wrong around Spring Festival and National Day, so operators must add the notice.
    /// </summary>
    public IReadOnlyList<int> UncoveredYearsNear(DateTimeOffset now)
    {
        var today = ShanghaiDate(now);
        return new[] { today.Year, today.AddDays(LookAheadDays).Year }.Distinct().Where(y => !CoveredYears.Contains(y)).ToList();
    }

    /// <summary>Whether the year's holiday notice is in the data.</summary>
    public bool Covers(int year) => CoveredYears.Contains(year);

    /// <summary>
    /// A deadline counted from an act over a year without a holiday notice is provisional: it counts Monday to Friday
    /// there and may move when the notice is entered.
    /// </summary>
    public bool IsProvisional(DateTimeOffset act, DateOnly due)
    {
        for (var year = ShanghaiDate(act).AddDays(1).Year; year <= due.Year; year++)
            if (!Covers(year)) return true;
        return false;
    }

    /// <summary>A computed due date read back later: provisional while its year still has no notice.</summary>
    public bool IsProvisional(DateOnly due) => !Covers(due.Year);

    /// <summary>The date itself when it is a working day, else the first working day after it.</summary>
    public DateOnly NextWorkingDay(DateOnly date)
    {
        var day = date;
        while (!IsWorkingDay(day)) day = day.AddDays(1);
        return day;
    }

    public static DateOnly ShanghaiDate(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Shanghai).DateTime);

    public bool IsWorkingDay(DateOnly date)
    {
        if (_makeUpDays.Contains(date)) return true;
        if (_daysOff.Contains(date)) return false;
        return date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    /// <summary>
    /// The date by whose end work is due: the n-th working day after the day of the act. The day of the act
    /// is not counted; an act on a day off starts the count on the next working day, which is day 1.
    /// </summary>
    public DateOnly DeadlineAfter(DateTimeOffset act, int workingDays) => WorkingDayAfter(ShanghaiDate(act), workingDays);

    /// <summary>The n-th working day after a date.</summary>
    public DateOnly WorkingDayAfter(DateOnly date, int workingDays)
    {
        var day = date;
        for (var counted = 0; counted < workingDays;)
        {
            day = day.AddDays(1);
            if (IsWorkingDay(day)) counted++;
        }
        return day;
    }

    /// <summary>Working days strictly after <paramref name="from"/> up to and including <paramref name="to"/>.</summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        var count = 0;
        for (var day = from.AddDays(1); day <= to; day = day.AddDays(1))
            if (IsWorkingDay(day)) count++;
        return count;
    }

    public static WorkingCalendar Load(string path) => From(ReadFile(path));

    /// <summary>The calendar of the given years' data; years with no notice count as not covered.</summary>
    public static WorkingCalendar From(IEnumerable<CalendarYearData> years)
    {
        var list = years.ToList();
        return new WorkingCalendar(list.SelectMany(y => y.DaysOff), list.SelectMany(y => y.Workdays),
            list.Where(y => !string.IsNullOrWhiteSpace(y.Notice)).Select(y => y.Year).ToArray());
    }

    /// <summary>The years of the shipped file: the initial import of the calendar's reference data.</summary>
    public static IReadOnlyList<CalendarYearData> ReadFile(string path)
    {
        if (!File.Exists(path))
            throw new InvalidOperationException($"Working-day calendar not found: {path}. Ship {FileName} beside the service.");

        using var stream = File.OpenRead(path);
        var file = JsonSerializer.Deserialize<CalendarFile>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web))
                   ?? throw new InvalidOperationException($"Working-day calendar {path} is empty.");
        foreach (var year in file.Years)
        {
            var stray = year.DaysOff.Concat(year.MakeUpWorkingDays).FirstOrDefault(d => d.Year != year.Year);
            if (stray != default)
                throw new InvalidOperationException($"Calendar: {stray:yyyy-MM-dd} is listed under year {year.Year}.");
        }

        return file.Years
            .Select(y => new CalendarYearData(y.Year, y.DaysOff, y.MakeUpWorkingDays, y.Notice ?? $"国务院办公厅关于{y.Year}年部分节假日安排的通知"))
            .ToList();
    }

    private sealed record CalendarFile(string TimeZone, IReadOnlyList<CalendarYear> Years);

    private sealed record CalendarYear(int Year, IReadOnlyList<DateOnly> DaysOff, IReadOnlyList<DateOnly> MakeUpWorkingDays, string? Notice);
}

/// <summary>One year of the calendar: days off, make-up working days, and the notice they come from (null: provisional).</summary>
public sealed record CalendarYearData(int Year, IReadOnlyList<DateOnly> DaysOff, IReadOnlyList<DateOnly> Workdays, string? Notice);
