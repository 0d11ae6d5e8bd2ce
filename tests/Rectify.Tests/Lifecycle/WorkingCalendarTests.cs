using Rectify.Calendar;

namespace Rectify.Tests.Lifecycle;

public sealed class WorkingCalendarTests
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static WorkingCalendar Calendar => Given.Calendar;

    [Fact]
    public void National_day_2022_is_off_and_the_weekend_after_is_worked()
    {
        for (var day = 1; day <= 7; day++) Assert.False(Calendar.IsWorkingDay(new DateOnly(2022, 10, day)));
        Assert.True(Calendar.IsWorkingDay(new DateOnly(2022, 10, 8)));
        Assert.True(Calendar.IsWorkingDay(new DateOnly(2022, 10, 9)));
        Assert.True(Calendar.IsWorkingDay(new DateOnly(2022, 9, 30)));
    }

    [Theory]
    [InlineData("2024-06-01T09:00:00+08:00", new int[0])]
    [InlineData("2026-11-01T09:00:00+08:00", new int[0])]          // 45 days ahead is still 2026
    [InlineData("2026-11-28T09:00:00+08:00", new[] { 2027 })]      // deadlines will soon fall in 2027
    [InlineData("2021-12-31T23:00:00+08:00", new[] { 2021 })]
    public void Years_without_holiday_data_are_reported_before_deadlines_fall_in_them(string now, int[] uncovered) =>
        Assert.Equal(uncovered, Calendar.UncoveredYearsNear(DateTimeOffset.Parse(now)));

    [Theory]
    [InlineData("2022-06-13T09:00:00+08:00", "2022-06-16")] // Monday: Tue, Wed, Thu
    [InlineData("2022-09-30T10:00:00+08:00", "2022-10-10")] // Friday before National Day: Sat 8, Sun 9 worked, Mon 10
    [InlineData("2022-10-03T10:00:00+08:00", "2022-10-10")] // on a holiday the count starts with the next working day: Sat 8, Sun 9, Mon 10
    [InlineData("2022-06-04T10:00:00+08:00", "2022-06-08")] // Dragon Boat Saturday: Mon 6, Tue 7, Wed 8
    [InlineData("2022-06-10T18:00:00+08:00", "2022-06-15")] // Friday: Mon 13, Tue 14, Wed 15
    [InlineData("2022-06-12T20:00:00+00:00", "2022-06-16")] // Sunday in UTC is Monday 04:00 in Shanghai
    [InlineData("2026-02-13T10:00:00+08:00", "2026-02-25")] // Spring Festival 2026: Sat 14 worked, then 24, 25
    [InlineData("2023-06-21T10:00:00+08:00", "2023-06-27")] // Dragon Boat 2023: 22-24 off, Sun 25 worked
    public void A_deadline_is_the_end_of_the_third_working_day_after_the_act(string act, string deadline)
    {
        Assert.Equal(DateOnly.Parse(deadline), Calendar.DeadlineAfter(DateTimeOffset.Parse(act), 3));
    }

    [Fact]
    public void Every_year_from_2022_to_2026_has_its_notice()
    {
        Assert.Equal([2022, 2023, 2024, 2025, 2026], Calendar.CoveredYears.Order());
        Assert.False(Calendar.IsWorkingDay(new DateOnly(2025, 10, 8)));
        Assert.True(Calendar.IsWorkingDay(new DateOnly(2025, 10, 11)));
    }

    [Fact]
    public void Working_days_between_two_dates_skip_days_off()
    {
        Assert.Equal(3, Calendar.WorkingDaysBetween(new DateOnly(2022, 9, 30), new DateOnly(2022, 10, 10)));
    }

    [Fact]
    public void A_day_that_is_both_off_and_worked_is_refused()
    {
        var day = new DateOnly(2022, 10, 8);
        Assert.Throws<InvalidOperationException>(() => new WorkingCalendar([day], [day], [2022]));
    }

    [Fact]
    public void Shanghai_dates_follow_the_time_zone_not_utc()
    {
        Assert.Equal(new DateOnly(2022, 6, 2), WorkingCalendar.ShanghaiDate(new DateTimeOffset(2022, 6, 1, 16, 30, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2022, 6, 1), WorkingCalendar.ShanghaiDate(new DateTimeOffset(2022, 6, 1, 23, 59, 0, Beijing)));
    }
}
