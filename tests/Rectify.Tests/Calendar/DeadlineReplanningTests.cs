using Rectify.Calendar;
using Rectify.Calendar.Replanning;
using Rectify.Identity;
using Rectify.Infrastructure;
using Rectify.Issues;
using Rectify.ReferenceData;
using Rectify.Supervision;
using Rectify.Tests.Lifecycle;

namespace Rectify.Tests.Calendar;

/// <summary>Given/when/then of re-planning: which clocks a calendar change moves, and that it moves each once.</summary>
public sealed class DeadlineReplanningTests
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly DateTimeOffset NewYearsEve = new(2026, 12, 29, 10, 0, 0, Beijing);
    private static readonly Guid Id = Given.Id;

    /// <summary>The shipped years without 2027, and the same with the test notice for 2027 (not the official one).</summary>
    private static readonly WorkingCalendar Before = WorkingCalendar.From(CalendarTestData.Shipped);
    private static readonly WorkingCalendar After = WorkingCalendar.From([.. CalendarTestData.Shipped, CalendarTestData.Year2027]);

    private static IssueCollected Collected(DateTimeOffset at) => Given.Collected() with { OccurredAt = at };

    private static IssueAssigned Assigned(DateTimeOffset at, DateOnly deadline, bool? provisional) =>
        new(Id, "qicun-governance", UnitKind.TownOffice, "m", deadline, "o", "p", null, RoutingIds.For(Id, 2), null,
            ActIds.For(Id, 2, "deadline"), Given.TownOffice, at, provisional);

    private static Replanned Replan(IReadOnlyList<IIssueEvent> history, DateTimeOffset now) =>
        DeadlineReplanning.Decide(Issue.Fold(history), history, Before, After, new SupervisionOptions(), 2027, 2, CalendarTestData.Notice, now);

    [Fact]
    public void A_deadline_counted_over_new_year_without_data_is_provisional_and_moves_once_with_the_notice()
    {
        Assert.Equal(new DateOnly(2027, 1, 1), Before.DeadlineAfter(NewYearsEve, 3));
        Assert.True(Before.IsProvisional(NewYearsEve, new DateOnly(2027, 1, 1)));
        IReadOnlyList<IIssueEvent> history = [Collected(NewYearsEve), Assigned(NewYearsEve, new DateOnly(2027, 1, 1), provisional: true)];

        var replanned = Replan(history, NewYearsEve.AddHours(2));

        var move = Assert.Single(replanned.Moves); // acceptance (due 30 December) does not move
        Assert.Equal((SupervisionClock.Handling, new DateOnly(2027, 1, 1), new DateOnly(2027, 1, 4), false),
            (move.Clock, move.PreviousDueDate, move.DueDate, move.Provisional));
        Assert.Equal(CalendarTestData.Notice, move.Notice);
        var check = Assert.Single(replanned.Checks);
        Assert.Equal((ActIds.For(Id, 2, "deadline"), new DateOnly(2027, 1, 4)), (check.ClockId, check.DueDate));

        // Entering the same notice again: the clock is on its new date already.
        Assert.Empty(Replan([.. history, move], NewYearsEve.AddHours(3)).Moves);
    }

    [Fact]
    public void A_deadline_the_town_gave_does_not_move()
    {
        IReadOnlyList<IIssueEvent> history = [Collected(NewYearsEve), Assigned(NewYearsEve, new DateOnly(2027, 1, 1), provisional: null)];
        Assert.Empty(Replan(history, NewYearsEve.AddHours(2)).Moves);
    }

    [Fact]
    public void Acceptance_and_feedback_clocks_across_the_spring_festival_move()
    {
        var eve = new DateTimeOffset(2027, 2, 4, 10, 0, 0, Beijing); // Thursday before 除夕
        var escalated = new IssueEscalated(Id, "housing", null, "r", RoutingIds.For(Id, 2), null, Given.TownOffice, eve);
        var moves = Replan([Collected(eve), escalated], eve.AddHours(1)).Moves;
        var acceptance = Assert.Single(moves);
        Assert.Equal((SupervisionClock.Acceptance, new DateOnly(2027, 2, 5), new DateOnly(2027, 2, 12)),
            (acceptance.Clock, acceptance.PreviousDueDate, acceptance.DueDate));

        IReadOnlyList<IIssueEvent> resolved =
        [
            Collected(eve), Assigned(eve, new DateOnly(2027, 2, 9), provisional: null),
            new IssueAccepted(Id, "qicun-governance", new DateOnly(2027, 2, 9), ActIds.For(Id, 2, "deadline"), Given.TownOffice, eve.AddMinutes(1)),
            new IssueResolved(Id, "qicun-governance", "done", ActIds.For(Id, 4, "outcome"), Given.TownOffice, eve.AddMinutes(2))
        ];
        var feedback = Assert.Single(Replan(resolved, eve.AddHours(1)).Moves);
        Assert.Equal((SupervisionClock.Feedback, new DateOnly(2027, 2, 12)), (feedback.Clock, feedback.DueDate));
    }

    [Fact]
    public void The_towns_wait_to_assign_across_new_year_moves_once_and_ends_with_the_assignment()
    {
        // Collected on Thursday 31 December: one working day to assign, which without data is Friday 1 January (元旦).
        var collectedAt = new DateTimeOffset(2026, 12, 31, 10, 0, 0, Beijing);
        IReadOnlyList<IIssueEvent> history = [Collected(collectedAt)];

        var move = Assert.Single(Replan(history, collectedAt.AddHours(1)).Moves);
        Assert.Equal((SupervisionClock.Assignment, AssignmentClock.Id(Id, 0), new DateOnly(2027, 1, 1), new DateOnly(2027, 1, 4)),
            (move.Clock, move.ClockId, move.PreviousDueDate, move.DueDate));
        Assert.Empty(Replan([.. history, move], collectedAt.AddHours(2)).Moves);

        // Once assigned, the wait is over: nothing of it moves.
        IReadOnlyList<IIssueEvent> assigned = [.. history, Assigned(collectedAt.AddHours(1), new DateOnly(2027, 1, 8), provisional: null)];
        Assert.DoesNotContain(Replan(assigned, collectedAt.AddHours(2)).Moves, m => m.Clock == SupervisionClock.Assignment);
    }

    [Fact]
    public void A_clock_that_already_ran_out_is_history()
    {
        IReadOnlyList<IIssueEvent> history =
        [
            Collected(NewYearsEve), Assigned(NewYearsEve, new DateOnly(2027, 1, 1), provisional: true),
            new DeadlineMissed(Id, SupervisionClock.Handling, ActIds.For(Id, 2, "deadline"), 1, new DateOnly(2027, 1, 1), "qicun-governance",
                ["qicun-governance", "qicun"], Actor.Rectify, new DateTimeOffset(2027, 1, 2, 0, 0, 0, Beijing))
        ];
        Assert.DoesNotContain(Replan(history, new DateTimeOffset(2027, 1, 3, 9, 0, 0, Beijing)).Moves, m => m.Clock == SupervisionClock.Handling);
    }

    [Fact]
    public void A_check_for_the_date_before_the_move_does_nothing_and_the_one_for_the_new_date_counts()
    {
        IReadOnlyList<IIssueEvent> history = [Collected(NewYearsEve), Assigned(NewYearsEve, new DateOnly(2027, 1, 1), provisional: true)];
        var move = Assert.Single(Replan(history, NewYearsEve.AddHours(2)).Moves);
        var issue = Issue.Fold([.. history, move]);
        Assert.Equal(new DateOnly(2027, 1, 4), issue.Deadline);

        var deadlineId = ActIds.For(Id, 2, "deadline");
        var late = new DateTimeOffset(2027, 1, 5, 9, 0, 0, Beijing);
        Assert.Empty(SupervisionCheck.Check(issue, new CheckClock(Id, SupervisionClock.Handling, deadlineId, new DateOnly(2027, 1, 1), 1), late, After, new SupervisionOptions()).Events);
        var missed = Assert.IsType<DeadlineMissed>(Assert.Single(
            SupervisionCheck.Check(issue, new CheckClock(Id, SupervisionClock.Handling, deadlineId, new DateOnly(2027, 1, 4), 1), late, After, new SupervisionOptions()).Events));
        Assert.Equal(new DateOnly(2027, 1, 4), missed.DueDate);
    }
}

/// <summary>Test data for 2027: NOT the official notice (which cannot be checked offline), only its shape.</summary>
public static class CalendarTestData
{
    public const string Notice = "测试用：2027年部分节假日安排（非官方）";

    public static readonly IReadOnlyList<CalendarYearData> Shipped =
        WorkingCalendar.ReadFile(Path.Combine(AppContext.BaseDirectory, "Calendar", WorkingCalendar.FileName));

    public static readonly DateOnly[] DaysOff =
    [
        new(2027, 1, 1),
        new(2027, 2, 5), new(2027, 2, 6), new(2027, 2, 7), new(2027, 2, 8), new(2027, 2, 9), new(2027, 2, 10), new(2027, 2, 11)
    ];

    public static readonly DateOnly[] Workdays = [new(2027, 2, 20)];

    public static readonly CalendarYearData Year2027 = new(2027, DaysOff, Workdays, Notice);

    public static object Body(string reason = "国务院办公厅通知已发布") => new
    {
        daysOff = DaysOff.Select(d => d.ToString("yyyy-MM-dd")).ToArray(),
        workdays = Workdays.Select(d => d.ToString("yyyy-MM-dd")).ToArray(),
        notice = Notice,
        reason
    };
}

/// <summary>Dates people give on a day off: refused naming the next working day, or accepted with a warning by setting.</summary>
public sealed class DayOffTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_deadline_on_a_day_off(bool allowed)
    {
        var check = new Rectify.Infrastructure.Requests.RequestCheck();
        var reading = new CommandReading(check, Given.T0, Given.References, Given.Calendar, AllowDaysOff: allowed);
        reading.RequireWorkingDay(check, "deadline", new DateOnly(2022, 10, 1));

        Assert.Equal(!allowed, !check.IsValid);
        var said = allowed ? Assert.Single(reading.Warnings) : Assert.Single(check.Errors["deadline"]);
        Assert.Contains("2022-10-01 is a day off: the next working day is 2022-10-08", said);
    }
}
