using Rectify.Calendar;
using Rectify.Identity;
using Rectify.Issues;

namespace Rectify.Supervision;

/// <summary>The events to append, the checks to schedule next, and whether this check came too early to judge.</summary>
public sealed record CheckOutcome(IReadOnlyList<IIssueEvent> Events, IReadOnlyList<CheckClock> FollowUps, bool TooEarly = false)
{
    public static readonly CheckOutcome Nothing = new([], []);
}

/// <summary>督办: what happens when a clock's check fires. Pure: the issue, the check and the time decide.</summary>
public static class SupervisionCheck
{
    public const string DistrictSupervisor = "district-supervisor";

    /// <summary>Whether the clock the check was set for still runs: not replaced since, and its stage not done.</summary>
    public static bool IsRunning(Issue issue, SupervisionClock clock, Guid clockId) => clock switch
    {
        SupervisionClock.Handling => issue.DeadlineId == clockId && issue.Status is IssueStatus.Assigned or IssueStatus.InProgress,
        SupervisionClock.Acceptance => issue.RoutingId == clockId && issue.Status is IssueStatus.Assigned or IssueStatus.Escalated,
        SupervisionClock.Feedback => issue.OutcomeId == clockId && issue.Satisfaction is null && issue.Status is IssueStatus.Resolved or IssueStatus.Explained,
        SupervisionClock.Milestone => issue.OutcomeId is { } outcome && issue.Outcome == IssueOutcome.Explained
            && issue.Milestones.Any(m => Clocks.MilestoneId(outcome, m.DueDate) == clockId && !issue.ReportedMilestones.Contains(m.DueDate)),
        SupervisionClock.Assignment => AssignmentClock.IsRunning(issue, clockId),
        _ => false
    };

    /// <summary>The highest notice of each clock that ran out and still runs: what is overdue now.</summary>
    public static IEnumerable<Overdue> OpenOverdue(Issue issue) =>
        issue.Overdue
            .Where(o => IsRunning(issue, o.Clock, o.ClockId))
            .GroupBy(o => (o.Clock, o.ClockId))
            .Select(g => g.MaxBy(o => o.Level)!);

    /// <summary>The date a check of this level fires: the due date, then some working days later for the second notice.</summary>
    public static DateOnly FiresOn(CheckClock check, WorkingCalendar calendar, SupervisionOptions options) =>
        check.Level == 1 ? check.DueDate : calendar.WorkingDayAfter(check.DueDate, options.SecondNoticeWorkingDays);

    public static CheckOutcome Check(Issue issue, CheckClock check, DateTimeOffset now, WorkingCalendar calendar, SupervisionOptions options)
    {
        if (!IsRunning(issue, check.Clock, check.ClockId)) return CheckOutcome.Nothing;
        // A calendar change moved this clock: only the check for its new date counts.
        if (issue.MovedDueDate(check.Clock, check.ClockId) is { } moved && moved != check.DueDate) return CheckOutcome.Nothing;
        if (issue.Overdue.Any(o => o.Clock == check.Clock && o.ClockId == check.ClockId && o.Level >= check.Level)) return CheckOutcome.Nothing;

        var firesAt = Clocks.EndOf(FiresOn(check, calendar, options));
        // A check that arrives before its time (clock skew between nodes) is tried again a little later.
        if (now < firesAt) return new CheckOutcome([], [], TooEarly: true);

        IReadOnlyList<string> notified = check.Level == 1
            ? [.. Parties(issue)]
            : [.. Parties(issue), DistrictSupervisor];
        var missed = new DeadlineMissed(issue.Id, check.Clock, check.ClockId, check.Level, check.DueDate, issue.UnitId, notified,
            Actor.Rectify, firesAt);
        return new CheckOutcome([missed], check.Level == 1 ? [check with { Level = 2 }] : []);
    }

    /// <summary>The unit that holds the issue and the town it came from (the town's ledger keeps every problem).</summary>
    private static IEnumerable<string> Parties(Issue issue) =>
        issue.UnitId is { } unit && unit != issue.TownId ? [unit, issue.TownId] : [issue.TownId];
}
