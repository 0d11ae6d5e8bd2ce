using Rectify.Issues;
using Rectify.Issues.Extending;
using Rectify.Supervision;
using Rectify.Tests.Lifecycle;

namespace Rectify.Tests.Supervision;

/// <summary>Given/when/then on the supervision clocks: when a check fires, what it records.</summary>
public sealed class SupervisionCheckTests
{
    private static readonly SupervisionOptions Options = new() { SecondNoticeWorkingDays = 2, FeedbackWorkingDays = 1 };
    private static readonly DateTimeOffset Later = new(2023, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));

    private static CheckOutcome Check(Issue issue, CheckClock check, DateTimeOffset? now = null) =>
        SupervisionCheck.Check(issue, check, now ?? Later, Given.Calendar, Options);

    private static CheckClock Handling(Issue issue, int level = 1) =>
        new(issue.Id, SupervisionClock.Handling, issue.DeadlineId!.Value, issue.Deadline!.Value, level);

    [Fact]
    public void A_missed_handling_deadline_notifies_the_unit_and_the_town_and_schedules_the_second_notice()
    {
        var issue = Given.Issue(Given.InProgressAtTown());

        var outcome = Check(issue, Handling(issue));

        var missed = Assert.IsType<DeadlineMissed>(Assert.Single(outcome.Events));
        Assert.Equal(1, missed.Level);
        Assert.Equal(["qicun-governance", "qicun"], missed.NotifiedParties);
        Assert.Equal(Clocks.EndOf(new DateOnly(2022, 6, 7)), missed.OccurredAt);
        var second = Assert.Single(outcome.FollowUps);
        Assert.Equal(2, second.Level);
        Assert.Equal(new DateOnly(2022, 6, 9), SupervisionCheck.FiresOn(second, Given.Calendar, Options));
    }

    [Fact]
    public void The_second_notice_goes_to_the_district_supervisor_and_ends_the_chain()
    {
        var issue = Given.Issue(Given.InProgressAtTown());
        var first = (DeadlineMissed)Check(issue, Handling(issue)).Events[0];

        var outcome = Check(Issue.Next(issue, first), Handling(issue, level: 2));

        Assert.Contains(SupervisionCheck.DistrictSupervisor, Assert.IsType<DeadlineMissed>(Assert.Single(outcome.Events)).NotifiedParties);
        Assert.Empty(outcome.FollowUps);
    }

    [Fact]
    public void The_same_check_twice_records_once()
    {
        var issue = Given.Issue(Given.InProgressAtTown());
        var recorded = Issue.Next(issue, Check(issue, Handling(issue)).Events[0]);

        Assert.Empty(Check(recorded, Handling(issue)).Events);
    }

    [Fact]
    public void A_replaced_deadline_or_a_finished_stage_makes_the_check_a_no_op()
    {
        var issue = Given.Issue(Given.InProgressAtTown());
        var check = Handling(issue);
        var extended = Issue.Next(issue, new ExtensionApproved(Given.Id, new DateOnly(2022, 6, 7), new DateOnly(2022, 6, 20), Guid.NewGuid(), Given.TownOffice, Given.At(4)));
        var resolved = Given.Issue(Given.Resolved());

        Assert.Empty(Check(extended, check).Events);
        Assert.Empty(Check(resolved, check).Events);
    }

    [Fact]
    public void A_check_that_arrives_early_records_nothing_and_asks_to_be_tried_later()
    {
        var issue = Given.Issue(Given.InProgressAtTown());

        var outcome = Check(issue, Handling(issue), now: new DateTimeOffset(2022, 6, 7, 23, 0, 0, TimeSpan.FromHours(8)));

        Assert.Empty(outcome.Events);
        Assert.True(outcome.TooEarly);
    }

    [Fact]
    public void An_escalation_not_accepted_in_time_raises_supervision_until_accepted()
    {
        var escalated = Given.Issue(Given.Escalated());
        var check = new CheckClock(Given.Id, SupervisionClock.Acceptance, escalated.RoutingId!.Value, new DateOnly(2022, 6, 2), 1);

        Assert.Equal(["housing", "qicun"], ((DeadlineMissed)Assert.Single(Check(escalated, check).Events)).NotifiedParties);
        Assert.Empty(Check(Given.Issue(Given.InProgressAtDepartment()), check).Events);
    }

    [Fact]
    public void Feedback_not_recorded_a_working_day_after_the_outcome_raises_supervision()
    {
        var resolved = Given.Issue(Given.Resolved());
        var started = Clocks.StartedBy(new IssueResolved(Given.Id, "qicun-governance", "o", resolved.OutcomeId!.Value, Given.TownOffice, Given.T0),
            resolved, Given.Calendar, Options).Single();

        Assert.Equal(SupervisionClock.Feedback, started.Clock);
        Assert.Equal(new DateOnly(2022, 6, 2), started.DueDate);
        Assert.Single(Check(resolved, started).Events);
        Assert.Empty(Check(Given.Issue(Given.WithFeedback(Given.Resolved(), Satisfaction.Satisfied, IssueOutcome.Resolved)), started).Events);
    }

    [Fact]
    public void A_milestone_past_its_date_without_a_report_raises_supervision_also_after_close()
    {
        var closed = Given.Issue(Given.States["closed-after-explanation"]());
        var due = new DateOnly(2022, 9, 30);
        var check = new CheckClock(Given.Id, SupervisionClock.Milestone, Clocks.MilestoneId(closed.OutcomeId!.Value, due), due, 1);
        var reported = Issue.Next(closed, new ProgressNoted(Given.Id, "设计已完成", due, Given.Housing, Given.At(6)));

        Assert.Single(Check(closed, check).Events);
        Assert.Empty(Check(reported, check).Events);
    }

    [Fact]
    public void Explaining_starts_the_feedback_clock_and_one_clock_per_milestone()
    {
        var before = Given.Issue(Given.InProgressAtDepartment());
        var explained = Given.Explained().Last();

        var clocks = Clocks.StartedBy(explained, before, Given.Calendar, Options).ToList();

        Assert.Equal([SupervisionClock.Feedback, SupervisionClock.Milestone, SupervisionClock.Milestone], clocks.Select(c => c.Clock));
        Assert.Equal([new DateOnly(2022, 9, 30), new DateOnly(2023, 3, 31)], clocks.Skip(1).Select(c => c.DueDate));
    }

    [Fact]
    public void Accepting_an_assignment_keeps_its_clock_and_accepting_an_escalation_starts_one()
    {
        var assigned = Given.Issue(Given.AssignedToTown());
        var acceptedAssignment = Given.InProgressAtTown().Last();
        var escalated = Given.Issue(Given.Escalated());
        var acceptedEscalation = Given.InProgressAtDepartment().Last();

        Assert.Empty(Clocks.StartedBy(acceptedAssignment, assigned, Given.Calendar, Options));
        Assert.Equal(SupervisionClock.Handling, Clocks.StartedBy(acceptedEscalation, escalated, Given.Calendar, Options).Single().Clock);
    }

    [Fact]
    public void An_extension_is_asked_for_before_the_deadline_and_must_move_it_later()
    {
        var issue = Given.Issue(Given.InProgressAtTown()); // deadline 2022-06-07
        var onTime = Given.By(Given.TownOffice, new DateTimeOffset(2022, 6, 7, 17, 0, 0, TimeSpan.FromHours(8)));
        var late = Given.By(Given.TownOffice, new DateTimeOffset(2022, 6, 8, 9, 0, 0, TimeSpan.FromHours(8)));

        Assert.IsType<Decision.Appended>(IssueDecider.Decide(issue, new RequestExtension(new DateOnly(2022, 6, 14), "采购"), onTime));
        Assert.Contains("has passed", Assert.IsType<Decision.Refused>(IssueDecider.Decide(issue, new RequestExtension(new DateOnly(2022, 6, 14), "采购"), late)).Reason);
        Assert.Equal("newDeadline", Assert.IsType<Decision.Unprocessable>(IssueDecider.Decide(issue, new RequestExtension(new DateOnly(2022, 6, 7), "x"), onTime)).Field);
    }

    [Fact]
    public void The_town_leader_decides_its_offices_extensions_and_the_district_a_departments()
    {
        var atTown = Given.Issue(Given.InProgressAtTown());
        var atDepartment = Given.Issue(Given.InProgressAtDepartment());

        Assert.Null(new ApproveExtension().Forbidden(atTown, Given.Leader));
        Assert.NotNull(new ApproveExtension().Forbidden(atTown, Given.TownOffice));
        Assert.NotNull(new ApproveExtension().Forbidden(atDepartment, Given.Leader));
        Assert.NotNull(new ApproveExtension().Forbidden(atDepartment, Given.TownOffice));
        Assert.Null(new ApproveExtension().Forbidden(atDepartment, Given.Supervisor));
        Assert.NotNull(new RejectExtension("r").Forbidden(atDepartment, Given.Housing));
    }

    [Fact]
    public void A_milestone_already_past_when_the_roadmap_is_given_starts_no_clock()
    {
        var before = Given.Issue(Given.InProgressAtDepartment());
        var explained = new IssueExplained(Given.Id, "housing", "e",
            [new Milestone(new DateOnly(2022, 5, 20), "已完成勘查"), new Milestone(new DateOnly(2022, 9, 30), "完成设计")],
            ActIds.For(Given.Id, 4, "outcome"), Given.Housing, Given.At(3));

        var milestones = Clocks.StartedBy(explained, before, Given.Calendar, Options).Where(c => c.Clock == SupervisionClock.Milestone);

        Assert.Equal([new DateOnly(2022, 9, 30)], milestones.Select(c => c.DueDate));
    }

    [Fact]
    public void A_milestone_due_on_the_day_of_the_explanation_is_watched_until_the_end_of_that_day()
    {
        var before = Given.Issue(Given.InProgressAtDepartment());
        var explainedAt = Given.At(3); // 2022-06-01, noon
        var explained = new IssueExplained(Given.Id, "housing", "e", [new Milestone(new DateOnly(2022, 6, 1), "当日完成勘查")],
            ActIds.For(Given.Id, 4, "outcome"), Given.Housing, explainedAt);

        var milestone = Clocks.StartedBy(explained, before, Given.Calendar, Options).Single(c => c.Clock == SupervisionClock.Milestone);
        var issue = Issue.Next(before, explained);

        Assert.Equal(new DateOnly(2022, 6, 1), milestone.DueDate);
        Assert.True(Check(issue, milestone, now: new DateTimeOffset(2022, 6, 1, 23, 0, 0, TimeSpan.FromHours(8))).TooEarly);
        Assert.Equal(Clocks.EndOf(new DateOnly(2022, 6, 1)), Assert.IsType<DeadlineMissed>(Assert.Single(Check(issue, milestone).Events)).OccurredAt);
    }

    [Fact]
    public void A_notice_goes_to_each_party_on_its_side_and_is_recorded_once()
    {
        var atTown = Given.Issue(Given.InProgressAtTown());
        var atDepartment = Given.Issue(Given.InProgressAtDepartment());
        var townMissed = (DeadlineMissed)Check(atTown, Handling(atTown)).Events[0];
        var departmentSecond = (DeadlineMissed)Check(atDepartment, Handling(atDepartment, level: 2)).Events[0];

        var townNotices = Notices.For(townMissed, atTown);
        var departmentNotices = Notices.For(departmentSecond, atDepartment);

        Assert.Equal([("qicun-governance", NoticeSide.Town), ("qicun", NoticeSide.Town)], townNotices.Select(n => (n.RecipientId, n.Side)));
        Assert.Equal([("housing", NoticeSide.Department), ("qicun", NoticeSide.Town), (SupervisionCheck.DistrictSupervisor, NoticeSide.District)],
            departmentNotices.Select(n => (n.RecipientId, n.Side)));
        Assert.IsType<NoticeToDepartment>(Notices.Message(departmentNotices[0]));
        Assert.IsType<NoticeToDistrict>(Notices.Message(departmentNotices[2]));
        Assert.Equal(3, departmentNotices.Select(n => n.NoticeId).Distinct().Count());
        Assert.NotEqual(Notices.For(townMissed with { Level = 2 }, atTown)[0].NoticeId, townNotices[0].NoticeId);

        var entry = Notices.Receive(townNotices[0], null, Later);
        Assert.Equal(townNotices[0].NoticeId, entry!.Id);
        Assert.Null(Notices.Receive(townNotices[0], entry, Later.AddDays(1)));
    }

    [Fact]
    public void Every_routing_act_starts_an_acceptance_clock()
    {
        var escalated = Given.Escalated().Last();
        var clocks = Clocks.StartedBy(escalated, Given.Issue([Given.Collected()]), Given.Calendar, Options).ToList();

        var acceptance = Assert.Single(clocks);
        Assert.Equal(SupervisionClock.Acceptance, acceptance.Clock);
        Assert.Equal(((IssueEscalated)escalated).RoutingId, acceptance.ClockId);
        Assert.Equal(new DateOnly(2022, 6, 2), acceptance.DueDate);
    }
}
