using Rectify.Identity;
using Rectify.Issues;
using Rectify.Supervision;

namespace Rectify.Calendar.Replanning;

/// <summary>What a calendar change does to one issue: the clocks it moves and the checks to schedule for them.</summary>
public sealed record Replanned(IReadOnlyList<DeadlineMoved> Moves, IReadOnlyList<CheckClock> Checks)
{
    public static readonly Replanned Nothing = new([], []);
}

/// <summary>
/// Re-planning after a year's notice was entered or changed. Pure: the issue, its history, the calendar before and
/// after the change decide. Only clocks Rectify counted in working days move (the handling deadline it counted,
/// acceptance, feedback); deadlines and milestones people gave stay. A clock that already ran out (a supervision
/// notice is on the record) is history and stays too; one whose old date passed without its check having run yet
/// moves, and its new check judges it. Idempotent: a clock already on its new date does not move again.
/// </summary>
public static class DeadlineReplanning
{
    /// <summary>A running clock counted in working days from an act.</summary>
    public sealed record CountedClock(SupervisionClock Clock, Guid ClockId, DateTimeOffset From, int WorkingDays, DateOnly DueDate);

    public static Replanned Decide(Issue issue, IReadOnlyList<IIssueEvent> history, WorkingCalendar before, WorkingCalendar after,
        SupervisionOptions options, int year, long calendarVersion, string? notice, DateTimeOffset now)
    {
        var moves = new List<DeadlineMoved>();
        var checks = new List<CheckClock>();
        foreach (var clock in RunningClocks(issue, history, before, options))
        {
            if (issue.Overdue.Any(o => o.Clock == clock.Clock && o.ClockId == clock.ClockId)) continue;
            var due = after.WorkingDayAfter(WorkingCalendar.ShanghaiDate(clock.From), clock.WorkingDays);
            if (due == clock.DueDate) continue;
            moves.Add(new DeadlineMoved(issue.Id, clock.Clock, clock.ClockId, clock.DueDate, due, after.IsProvisional(clock.From, due),
                year, calendarVersion, notice, Actor.Rectify, now));
            checks.Add(new CheckClock(issue.Id, clock.Clock, clock.ClockId, due, 1));
        }
        return moves.Count == 0 ? Replanned.Nothing : new Replanned(moves, checks);
    }

    /// <summary>
    /// The issue's running clocks that Rectify counted, with the act they count from and their due date now (the date
    /// a previous change moved them to, else the date the calendar before this change gives).
    /// </summary>
    public static IEnumerable<CountedClock> RunningClocks(Issue issue, IReadOnlyList<IIssueEvent> history, WorkingCalendar before, SupervisionOptions options)
    {
        if (issue.DeadlineId is { } deadlineId && issue.DeadlineCounted && issue.Deadline is { } deadline
            && SupervisionCheck.IsRunning(issue, SupervisionClock.Handling, deadlineId)
            && history.FirstOrDefault(e => e switch
            {
                IssueAssigned a => a.DeadlineId == deadlineId,
                IssueAccepted a => a.DeadlineId == deadlineId,
                ReworkStarted r => r.DeadlineId == deadlineId,
                _ => false
            }) is { } set)
            yield return new CountedClock(SupervisionClock.Handling, deadlineId, set.OccurredAt, DecisionContext.HandlingWorkingDays, deadline);

        if (issue.RoutingId is { } routingId && SupervisionCheck.IsRunning(issue, SupervisionClock.Acceptance, routingId)
            && history.LastOrDefault(e => e switch
            {
                IssueAssigned a => a.RoutingId == routingId,
                IssueEscalated x => x.RoutingId == routingId,
                IssueRerouted r => r.RoutingId == routingId,
                _ => false
            }) is { } routed)
            yield return Counted(issue, SupervisionClock.Acceptance, routingId, routed.OccurredAt, options.AcceptanceWorkingDays, before);

        if (issue.OutcomeId is { } outcomeId && SupervisionCheck.IsRunning(issue, SupervisionClock.Feedback, outcomeId)
            && history.LastOrDefault(e => e switch
            {
                IssueResolved r => r.OutcomeId == outcomeId,
                IssueExplained x => x.OutcomeId == outcomeId,
                _ => false
            }) is { } outcome)
            yield return Counted(issue, SupervisionClock.Feedback, outcomeId, outcome.OccurredAt, options.FeedbackWorkingDays, before);

        // The town's wait to assign what it collected or got back (no history needed: it counts from the collection
        // or the latest return).
        if (AssignmentClock.Open(issue, before, options) is { } assignment)
            yield return Counted(issue, SupervisionClock.Assignment, assignment.ClockId, AssignmentClock.Since(issue),
                AssignmentClock.WorkingDays(issue.ReturnCount, options), before);
    }

    private static CountedClock Counted(Issue issue, SupervisionClock clock, Guid id, DateTimeOffset from, int workingDays, WorkingCalendar before) =>
        new(clock, id, from, workingDays, issue.MovedDueDate(clock, id) ?? before.DeadlineAfter(from, workingDays));
}
