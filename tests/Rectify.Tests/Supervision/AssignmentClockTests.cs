using Rectify.Issues;
using Rectify.ReferenceData;
using Rectify.Supervision;
using Rectify.Tests.Lifecycle;
using Wolverine;

namespace Rectify.Tests.Supervision;

/// <summary>Given/when/then on the assignment clock: what the town holds unrouted is supervised like every other clock.</summary>
public sealed class AssignmentClockTests
{
    // Collected Wednesday 1 June 2022; Friday 3 June is the Dragon Boat Festival.
    private static readonly SupervisionOptions Options = new() { AssignmentWorkingDays = 1, ReassignmentWorkingDays = 2, SecondNoticeWorkingDays = 2 };
    private static readonly DateTimeOffset Later = new(2022, 7, 1, 9, 0, 0, TimeSpan.FromHours(8));

    private static CheckOutcome Check(Issue issue, CheckClock check, DateTimeOffset? now = null) =>
        SupervisionCheck.Check(issue, check, now ?? Later, Given.Calendar, Options);

    private static CheckClock Collection() => AssignmentClock.StartedBy(Given.Collected(), Given.Calendar, Options);

    private static Issue Fold(params IEnumerable<IIssueEvent>[] parts) => Given.Issue(parts.SelectMany(p => p));

    private static IssueReturned Returned(int hour = 2) => new(Given.Id, "qicun-governance", "不属本办职责", 1, Given.TownOffice, Given.At(hour));

    [Fact]
    public void A_collection_starts_a_clock_due_after_the_assignment_working_days()
    {
        var check = Collection();

        Assert.Equal(SupervisionClock.Assignment, check.Clock);
        Assert.Equal(new DateOnly(2022, 6, 2), check.DueDate);
        Assert.Equal(AssignmentClock.Id(Given.Id, 0), check.ClockId);
        Assert.Equal(1, check.Level);
    }

    [Fact]
    public void Assigned_escalated_or_resolved_on_the_spot_in_time_the_check_records_nothing()
    {
        var check = Collection();

        Assert.Empty(Check(Given.Issue(Given.AssignedToTown()), check).Events);
        Assert.Empty(Check(Given.Issue(Given.Escalated()), check).Events);
        Assert.Empty(Check(Given.Issue(Given.ResolvedOnSpot()), check).Events);
        Assert.Empty(Check(Given.Issue(Given.AssignedToTown()), check).FollowUps);
    }

    [Fact]
    public void Still_unassigned_at_the_end_of_the_due_date_the_town_is_notified_then_the_district()
    {
        var issue = Given.Issue([Given.Collected()]);
        var check = Collection();

        Assert.True(Check(issue, check, now: new DateTimeOffset(2022, 6, 2, 23, 0, 0, TimeSpan.FromHours(8))).TooEarly);

        var first = Check(issue, check);
        var missed = Assert.IsType<DeadlineMissed>(Assert.Single(first.Events));
        Assert.Equal((SupervisionClock.Assignment, 1, new DateOnly(2022, 6, 2)), (missed.Clock, missed.Level, missed.DueDate));
        Assert.Null(missed.UnitId);
        Assert.Equal(["qicun"], missed.NotifiedParties);
        Assert.Equal(Clocks.EndOf(new DateOnly(2022, 6, 2)), missed.OccurredAt);
        var second = Assert.Single(first.FollowUps);
        // Two working days after Thursday 2 June: the festival and the weekend pass, Monday 6 and Tuesday 7 count.
        Assert.Equal(new DateOnly(2022, 6, 7), SupervisionCheck.FiresOn(second, Given.Calendar, Options));

        var notified = Issue.Next(issue, missed);
        Assert.Empty(Check(notified, check).Events); // the same check again records nothing
        var last = Check(notified, second);
        var level2 = Assert.IsType<DeadlineMissed>(Assert.Single(last.Events));
        Assert.Equal(["qicun", SupervisionCheck.DistrictSupervisor], level2.NotifiedParties);
        Assert.Empty(last.FollowUps);

        var overdue = Assert.Single(SupervisionCheck.OpenOverdue(Issue.Next(notified, level2)));
        Assert.Equal((SupervisionClock.Assignment, 2), (overdue.Clock, overdue.Level));
    }

    [Fact]
    public void Assigned_after_the_first_notice_the_second_check_records_nothing_and_nothing_stays_overdue()
    {
        var issue = Given.Issue([Given.Collected()]);
        var first = Check(issue, Collection());
        var notified = Issue.Next(issue, first.Events[0]);

        var assigned = Issue.Next(notified, Given.AssignedTo("qicun-governance", UnitKind.TownOffice, hour: 60));

        Assert.Empty(Check(assigned, first.FollowUps[0]).Events);
        Assert.Empty(SupervisionCheck.OpenOverdue(assigned));
    }

    [Fact]
    public void A_return_kills_the_old_clock_and_starts_one_for_the_reassignment()
    {
        var before = Given.Issue(Given.AssignedToTown());
        var returned = Returned();

        var started = Assert.Single(Clocks.StartedBy(returned, before, Given.Calendar, Options));
        Assert.Equal(SupervisionClock.Assignment, started.Clock);
        Assert.NotEqual(Collection().ClockId, started.ClockId);
        Assert.Equal(AssignmentClock.Id(Given.Id, 1), started.ClockId);
        // ReassignmentWorkingDays (2 here) from the return on Wednesday: Thursday 2, then Monday 6 June.
        Assert.Equal(new DateOnly(2022, 6, 6), started.DueDate);

        var waiting = Issue.Next(before, returned);
        Assert.Empty(Check(waiting, Collection()).Events); // the old clock is dead though the issue waits again
        var missed = Assert.IsType<DeadlineMissed>(Assert.Single(Check(waiting, started).Events));
        Assert.Equal(started.ClockId, missed.ClockId);

        var reassigned = Issue.Next(waiting, Given.AssignedTo("qicun-social-affairs", UnitKind.TownOffice, hour: 3));
        Assert.Empty(Check(reassigned, started).Events);
        var escalated = Issue.Next(waiting, new IssueEscalated(Given.Id, "housing", null, "r", RoutingIds.For(Given.Id, 4), null, Given.TownOffice, Given.At(3)));
        Assert.Empty(Check(escalated, started).Events);
    }

    [Fact]
    public void The_open_clock_of_a_waiting_issue_is_the_one_its_collection_or_latest_return_started()
    {
        Assert.Equal(Collection(), AssignmentClock.Open(Given.Issue([Given.Collected()]), Given.Calendar, Options));
        var returned = Returned();
        Assert.Equal(AssignmentClock.StartedBy(returned, Given.Calendar, Options),
            AssignmentClock.Open(Fold(Given.AssignedToTown(), [returned]), Given.Calendar, Options));
        Assert.Null(AssignmentClock.Open(Given.Issue(Given.AssignedToTown()), Given.Calendar, Options));
    }

    [Fact]
    public void A_collection_entered_after_its_due_date_is_judged_only_after_a_grace_for_entering_its_assignment()
    {
        var check = Collection();
        var recordedLive = Given.T0;
        var recordedLate = new DateTimeOffset(2022, 6, 20, 9, 0, 0, TimeSpan.FromHours(8));

        var live = Assert.IsAssignableFrom<DeliveryMessage<CheckClock>>(AssignmentClock.Schedule(check, recordedLive, Given.Calendar, Options));
        var backfilled = Assert.IsAssignableFrom<DeliveryMessage<CheckClock>>(AssignmentClock.Schedule(check, recordedLate, Given.Calendar, Options));

        Assert.Equal(Clocks.EndOf(new DateOnly(2022, 6, 2)), live.Options!.ScheduledTime);
        Assert.Equal(recordedLate + AssignmentClock.BackfillGrace, backfilled.Options!.ScheduledTime);
    }
}
