using Rectify.Calendar;
using Rectify.Issues;
using Wolverine;

namespace Rectify.Supervision;

/// <summary>
/// No unsupervised work: an issue the town holds unrouted must be assigned, escalated (or, just collected, resolved
/// on the spot) within <see cref="SupervisionOptions.AssignmentWorkingDays"/> of its collection, and within
/// <see cref="SupervisionOptions.ReassignmentWorkingDays"/> of each return (退回). Until then it is the town's
/// "to assign" work (its inbox), and when late it is supervised like every other clock.
/// </summary>
public static class AssignmentClock
{
    /// <summary>
    /// A check for a back-filled collection whose due date has already passed waits this long after the collection
    /// was recorded: the clerk entering a paper ledger gets time to enter the assignment (dated when it happened)
    /// before supervision judges. The notice, if any, is still dated at the end of the due date.
    /// </summary>
    public static readonly TimeSpan BackfillGrace = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The clock of the issue's <paramref name="returnCount"/>-th wait for assignment (0: since collection): derived,
    /// so a replay decides the same clock, and a return makes the wait before it a different clock.
    /// </summary>
    public static Guid Id(Guid issueId, int returnCount) => ActIds.For(issueId, returnCount, "assignment");

    /// <summary>The working days allowed for the wait: the first assignment, or a re-assignment after a return.</summary>
    public static int WorkingDays(int returnCount, SupervisionOptions options) =>
        returnCount == 0 ? options.AssignmentWorkingDays : options.ReassignmentWorkingDays;

    /// <summary>The check of a wait for assignment that started at <paramref name="since"/>.</summary>
    public static CheckClock Due(Guid issueId, int returnCount, DateTimeOffset since, WorkingCalendar calendar, SupervisionOptions options) =>
        new(issueId, SupervisionClock.Assignment, Id(issueId, returnCount), calendar.DeadlineAfter(since, WorkingDays(returnCount, options)), 1);

    /// <summary>The check a collection starts.</summary>
    public static CheckClock StartedBy(IssueCollected collected, WorkingCalendar calendar, SupervisionOptions options) =>
        Due(collected.IssueId, 0, collected.OccurredAt, calendar, options);

    /// <summary>The check a return starts.</summary>
    public static CheckClock StartedBy(IssueReturned returned, WorkingCalendar calendar, SupervisionOptions options) =>
        Due(returned.IssueId, returned.ReturnCount, returned.OccurredAt, calendar, options);

    /// <summary>
    /// The collection's check, scheduled for the end of its due date, or <see cref="BackfillGrace"/> after
    /// <paramref name="recordedAt"/> when that is later (a collection entered after the fact).
    /// </summary>
    public static object Schedule(CheckClock check, DateTimeOffset recordedAt, WorkingCalendar calendar, SupervisionOptions options)
    {
        var due = Clocks.EndOf(SupervisionCheck.FiresOn(check, calendar, options));
        var earliest = recordedAt + BackfillGrace;
        return check.ScheduledAt(due > earliest ? due : earliest);
    }

    /// <summary>Whether the wait the check was set for goes on: the town still holds the issue unrouted, not returned since.</summary>
    public static bool IsRunning(Issue issue, Guid clockId) =>
        issue.Status == IssueStatus.Collected && Id(issue.Id, issue.ReturnCount) == clockId;

    /// <summary>When the current wait for assignment started: the collection, or the latest return.</summary>
    public static DateTimeOffset Since(Issue issue) =>
        issue.ReturnCount == 0 ? issue.CollectedAt
        // A snapshot written before ReturnedAt existed: its latest act is the return, or a notice after it.
        : issue.ReturnedAt ?? issue.LastActAt;

    /// <summary>The running clock of an issue the town holds unrouted, as the current calendar gives it; null otherwise.</summary>
    public static CheckClock? Open(Issue issue, WorkingCalendar calendar, SupervisionOptions options) =>
        issue.Status == IssueStatus.Collected ? Due(issue.Id, issue.ReturnCount, Since(issue), calendar, options) : null;
}
