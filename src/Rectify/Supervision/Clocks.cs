using Rectify.Calendar;
using Rectify.Issues;
using Wolverine;

namespace Rectify.Supervision;

/// <summary>
/// Fires when a clock runs out. Wolverine schedules it durably on real time; the clock id says which deadline,
/// routing or outcome it was set for, so a check for a clock replaced or finished since does nothing.
/// </summary>
public sealed record CheckClock(Guid IssueId, SupervisionClock Clock, Guid ClockId, DateOnly DueDate, int Level);

public sealed class SupervisionOptions
{
    public const string Section = "Supervision";

    /// <summary>Working days after the first notice before the second goes to the district supervisor.</summary>
    public int SecondNoticeWorkingDays { get; set; } = 2;

    /// <summary>Working days after a resolution or explanation within which the resident's feedback is due.</summary>
    public int FeedbackWorkingDays { get; set; } = 1;

    /// <summary>Working days a unit has to accept (签收) what was routed to it, counted from the routing act.</summary>
    public int AcceptanceWorkingDays { get; set; } = 1;

    /// <summary>Accept deadlines and milestones people give on a day off (with a warning) instead of refusing them.</summary>
    public bool AllowDeadlinesOnDaysOff { get; set; }

    /// <summary>Working days the town has to assign, escalate or resolve on the spot what was collected, counted from collection.</summary>
    public int AssignmentWorkingDays { get; set; } = 1;

    /// <summary>Working days the town has to assign or escalate again what a unit returned, counted from the return.</summary>
    public int ReassignmentWorkingDays { get; set; } = 1;

    /// <summary>What is wrong with the settings, each naming its setting; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems() =>
        new (string Name, int Value)[]
            {
                (nameof(AcceptanceWorkingDays), AcceptanceWorkingDays),
                (nameof(AssignmentWorkingDays), AssignmentWorkingDays),
                (nameof(ReassignmentWorkingDays), ReassignmentWorkingDays),
                (nameof(FeedbackWorkingDays), FeedbackWorkingDays),
                (nameof(SecondNoticeWorkingDays), SecondNoticeWorkingDays)
            }
            .Where(s => s.Value < 1)
            .Select(s => $"{Section}:{s.Name} must be a whole number of working days, at least 1 (it is {s.Value}).")
            .ToList();

    /// <summary>The settings, or an error naming each bad one: a clock of zero working days could never be met.</summary>
    public static SupervisionOptions Checked(SupervisionOptions options) =>
        options.Problems() is { Count: > 0 } problems
            ? throw new InvalidOperationException("Invalid supervision settings: " + string.Join(" ", problems))
            : options;
}

public static class Clocks
{
    /// <summary>The instant a due date ends in Asia/Shanghai, when its check fires.</summary>
    public static DateTimeOffset EndOf(DateOnly date)
    {
        var midnight = date.AddDays(1).ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(midnight, WorkingCalendar.Shanghai.GetUtcOffset(midnight));
    }

    public static object Schedule(CheckClock check, WorkingCalendar calendar, SupervisionOptions options) =>
        check.ScheduledAt(EndOf(SupervisionCheck.FiresOn(check, calendar, options)));

    /// <summary>The checks the events of one command start: each new deadline, each outcome awaiting feedback, each milestone.</summary>
    public static IEnumerable<CheckClock> StartedBy(IIssueEvent e, Issue before, WorkingCalendar calendar, SupervisionOptions options) => e switch
    {
        IssueAssigned a =>
        [
            new CheckClock(a.IssueId, SupervisionClock.Handling, a.DeadlineId, a.Deadline, 1),
            AcceptanceDue(a.IssueId, a.RoutingId, a.OccurredAt, calendar, options)
        ],
        IssueEscalated x => [AcceptanceDue(x.IssueId, x.RoutingId, x.OccurredAt, calendar, options)],
        IssueRerouted r => [AcceptanceDue(r.IssueId, r.RoutingId, r.OccurredAt, calendar, options)],
        IssueReturned r => [AssignmentClock.StartedBy(r, calendar, options)],
        IssueAccepted a when a.DeadlineId != before.DeadlineId => [new CheckClock(a.IssueId, SupervisionClock.Handling, a.DeadlineId, a.Deadline, 1)],
        ReworkStarted r => [new CheckClock(r.IssueId, SupervisionClock.Handling, r.DeadlineId, r.Deadline, 1)],
        ExtensionApproved x => [new CheckClock(x.IssueId, SupervisionClock.Handling, x.DeadlineId, x.NewDeadline, 1)],
        IssueResolved r => [FeedbackDue(r.IssueId, r.OutcomeId, r.OccurredAt, calendar, options)],
        IssueExplained x =>
        [
            FeedbackDue(x.IssueId, x.OutcomeId, x.OccurredAt, calendar, options),
            // A milestone already past when the roadmap is given is history, not a clock; one due that same day
            // is still ahead (it runs out at the end of the day).
            .. x.Milestones.Select(m => m.DueDate).Distinct().Where(due => due >= WorkingCalendar.ShanghaiDate(x.OccurredAt))
                .Select(due => new CheckClock(x.IssueId, SupervisionClock.Milestone, MilestoneId(x.OutcomeId, due), due, 1))
        ],
        _ => []
    };

    private static CheckClock AcceptanceDue(Guid issueId, Guid routingId, DateTimeOffset at, WorkingCalendar calendar, SupervisionOptions options) =>
        new(issueId, SupervisionClock.Acceptance, routingId, calendar.DeadlineAfter(at, options.AcceptanceWorkingDays), 1);

    private static CheckClock FeedbackDue(Guid issueId, Guid outcomeId, DateTimeOffset at, WorkingCalendar calendar, SupervisionOptions options) =>
        new(issueId, SupervisionClock.Feedback, outcomeId, calendar.DeadlineAfter(at, options.FeedbackWorkingDays), 1);

    /// <summary>A milestone's clock belongs to the explanation that set it.</summary>
    public static Guid MilestoneId(Guid outcomeId, DateOnly due) => ActIds.For(outcomeId, due.DayNumber, "milestone");
}
