using Rectify.Issues;
using Rectify.Issues.Accepting;
using Rectify.Issues.Assigning;
using Rectify.Issues.Closing;
using Rectify.Issues.Escalating;
using Rectify.Issues.Explaining;
using Rectify.Issues.Feedback;
using Rectify.Issues.Progressing;
using Rectify.Issues.Resolving;
using Rectify.Issues.ResolvingOnSpot;
using Rectify.Issues.Returning;
using Rectify.ReferenceData;

namespace Rectify.Tests.Lifecycle;

/// <summary>Given/when/then on the pure decisions: what each allowed command records.</summary>
public sealed class DecisionTests
{
    private static readonly DateTimeOffset FridayBeforeNationalDay = new(2022, 9, 30, 10, 0, 0, TimeSpan.FromHours(8));

    private static IReadOnlyList<IIssueEvent> Appended(Issue issue, IIssueCommand command, Rectify.Identity.Actor actor, DateTimeOffset? at = null) =>
        Assert.IsType<Decision.Appended>(IssueDecider.Decide(issue, command, Given.By(actor, at))).Events;

    private static Unit Unit(string id) => Given.References.FindUnit(id)!;

    [Fact]
    public void Assigning_without_a_deadline_gives_three_working_days_counted_over_the_holiday()
    {
        var issue = Given.Issue([Given.Collected()]);

        var events = Appended(issue, new AssignIssue(Unit("qicun-governance"), "更换", null, "综治中心", "李明"), Given.TownOffice, FridayBeforeNationalDay);

        var assigned = Assert.IsType<IssueAssigned>(Assert.Single(events));
        Assert.Equal(new DateOnly(2022, 10, 10), assigned.Deadline);
        Assert.Equal(UnitKind.TownOffice, assigned.UnitKind);
        Assert.Equal(Given.TownOffice, assigned.Actor);
        Assert.Equal(FridayBeforeNationalDay, assigned.OccurredAt);
    }

    [Fact]
    public void A_given_deadline_is_kept_and_a_reassignment_records_the_previous_unit()
    {
        var issue = Given.Issue(Given.AssignedToTown());

        var events = Appended(issue, new AssignIssue(Unit("housing"), "改造", new DateOnly(2022, 6, 30), "村镇科", "周岩"), Given.TownOffice);

        var assigned = Assert.IsType<IssueAssigned>(Assert.Single(events));
        Assert.Equal(new DateOnly(2022, 6, 30), assigned.Deadline);
        Assert.Equal("qicun-governance", assigned.PreviousUnitId);
        Assert.Equal(UnitKind.Department, Issue.Next(issue, assigned).UnitKind);
    }

    [Fact]
    public void Another_towns_office_cannot_be_assigned()
    {
        var issue = Given.Issue([Given.Collected()]);

        var decision = IssueDecider.Decide(issue, new AssignIssue(Unit("mengzhuang-governance"), "x", null, "y", "z"), Given.By(Given.TownOffice));

        Assert.Equal("unitId", Assert.IsType<Decision.Unprocessable>(decision).Field);
    }

    [Fact]
    public void Accepting_an_escalation_starts_the_three_working_day_clock_at_acceptance()
    {
        var issue = Given.Issue(Given.Escalated());

        var accepted = Assert.IsType<IssueAccepted>(Assert.Single(Appended(issue, new AcceptIssue("更换管道", "市政科", "张伟"), Given.Housing, FridayBeforeNationalDay)));

        Assert.Equal(new DateOnly(2022, 10, 10), accepted.Deadline);
        Assert.Equal(IssueStatus.InProgress, Issue.Next(issue, accepted).Status);
    }

    [Fact]
    public void Accepting_an_assignment_keeps_the_assigned_deadline()
    {
        var issue = Given.Issue(Given.AssignedToTown());

        var accepted = Assert.IsType<IssueAccepted>(Assert.Single(Appended(issue, new AcceptIssue(), Given.TownOffice, FridayBeforeNationalDay)));

        Assert.Equal(new DateOnly(2022, 6, 7), accepted.Deadline);
    }

    [Fact]
    public void Returning_clears_the_unit_and_counts_returns()
    {
        var issue = Given.Issue(Given.ReturnedOnce());
        var reassigned = Issue.Next(issue, Given.AssignedTo("qicun-economy", UnitKind.TownOffice, hour: 3));

        var returned = Assert.IsType<IssueReturned>(Assert.Single(Appended(reassigned, new ReturnIssue("也不属本办"), Given.TownOffice)));
        var state = Issue.Next(reassigned, returned);

        Assert.Equal(2, returned.ReturnCount);
        Assert.Equal(IssueStatus.Collected, state.Status);
        Assert.Null(state.UnitId);
        Assert.Null(state.Deadline);
        Assert.Equal(2, state.ReturnCount);
    }

    [Fact]
    public void An_escalated_issue_cannot_be_returned_the_department_takes_it()
    {
        var decision = IssueDecider.Decide(Given.Issue(Given.Escalated()), new ReturnIssue("不归我们管"), Given.By(Given.Housing));

        Assert.Contains("照单全收", Assert.IsType<Decision.Refused>(decision).Reason);
    }

    [Fact]
    public void Escalating_an_issue_a_department_holds_is_refused_naming_the_department()
    {
        var issue = Given.Issue(Given.AssignedToDepartment());

        var decision = IssueDecider.Decide(issue, new EscalateIssue(Given.References.FindDepartment("transport")!, "x"), Given.By(Given.TownOffice));

        Assert.Contains("housing", Assert.IsType<Decision.Refused>(decision).Reason);
    }

    [Fact]
    public void Escalating_from_a_town_office_records_where_it_came_from()
    {
        var issue = Given.Issue(Given.InProgressAtTown());

        var escalated = Assert.IsType<IssueEscalated>(Assert.Single(Appended(issue, new EscalateIssue(Given.References.FindDepartment("housing")!, "镇级无法解决"), Given.TownOffice)));
        var state = Issue.Next(issue, escalated);

        Assert.Equal("qicun-governance", escalated.FromUnitId);
        Assert.Equal(IssueStatus.Escalated, state.Status);
        Assert.Equal("housing", state.UnitId);
        Assert.Null(state.Deadline);
    }

    [Theory]
    [InlineData("resolved", IssueOutcome.Resolved, "qicun-governance")]
    [InlineData("explained", IssueOutcome.Explained, "housing")]
    public void A_dissatisfied_resident_sends_the_issue_back_to_its_holder_under_a_new_deadline(string given, IssueOutcome outcome, string holder)
    {
        var issue = Given.Issue(Given.States[given]());

        var events = Appended(issue, new RecordFeedback(Satisfaction.Dissatisfied, "问题没有解决"), Given.TownOffice, FridayBeforeNationalDay);
        var state = events.Aggregate(issue, Issue.Next);

        Assert.Collection(events,
            e => Assert.Equal((outcome, Satisfaction.Dissatisfied), (Assert.IsType<FeedbackRecorded>(e).Outcome, ((FeedbackRecorded)e).Satisfaction)),
            e => Assert.Equal(new DateOnly(2022, 10, 10), Assert.IsType<ReworkStarted>(e).Deadline));
        Assert.Equal(IssueStatus.InProgress, state.Status);
        Assert.Equal(1, state.ReworkCount);
        Assert.Equal(holder, state.UnitId);
        Assert.Null(state.Satisfaction);
    }

    [Fact]
    public void Feedback_is_recorded_once_per_outcome()
    {
        var issue = Given.Issue(Given.WithFeedback(Given.Resolved(), Satisfaction.Dissatisfied, IssueOutcome.Resolved));
        var reworked = Issue.Next(issue, new ReworkStarted(Given.Id, "qicun-governance", 1, new DateOnly(2022, 6, 10), Guid.NewGuid(), Given.TownOffice, Given.At(5)));
        var resolvedAgain = Issue.Next(reworked, new IssueResolved(Given.Id, "qicun-governance", "彻底修好", Guid.NewGuid(), Given.TownOffice, Given.At(6)));

        var second = Appended(resolvedAgain, new RecordFeedback(Satisfaction.Satisfied, null), Given.Visitor, Given.At(7));
        var afterSecond = second.Aggregate(resolvedAgain, Issue.Next);
        var third = IssueDecider.Decide(afterSecond, new RecordFeedback(Satisfaction.Dissatisfied, null), Given.By(Given.Visitor, Given.At(8)));

        Assert.IsType<FeedbackRecorded>(Assert.Single(second));
        Assert.Contains("already recorded", Assert.IsType<Decision.Refused>(third).Reason);
    }

    [Fact]
    public void Closing_records_the_outcome_and_satisfaction_and_keeps_the_milestones()
    {
        var issue = Given.Issue(Given.WithFeedback(Given.Explained(), Satisfaction.BasicallySatisfied, IssueOutcome.Explained));

        var closed = Assert.IsType<IssueClosed>(Assert.Single(Appended(issue, new CloseIssue(), Given.TownOffice)));
        var state = Issue.Next(issue, closed);

        Assert.Equal(IssueOutcome.Explained, closed.Outcome);
        Assert.Equal(Satisfaction.BasicallySatisfied, closed.Satisfaction);
        Assert.Equal(IssueStatus.Closed, state.Status);
        Assert.Equal(2, state.Milestones.Count);
    }

    [Fact]
    public void An_issue_is_only_resolved_on_the_spot_when_nothing_else_happened()
    {
        var fresh = Given.Issue([Given.Collected()]);
        var onSpot = Assert.IsType<IssueResolvedOnSpot>(Assert.Single(Appended(fresh, new ResolveOnSpot("当场协调"), Given.Visitor, Given.At(1))));

        Assert.Equal(IssueStatus.ResolvedOnSpot, Issue.Next(fresh, onSpot).Status);
        Assert.Contains("just-collected", Assert.IsType<Decision.Refused>(
            IssueDecider.Decide(Given.Issue(Given.ReturnedOnce()), new ResolveOnSpot("x"), Given.By(Given.Visitor))).Reason);
    }

    [Fact]
    public void On_the_spot_means_on_the_day_of_collection_in_Shanghai_later_the_issue_goes_through_the_ledger()
    {
        var fresh = Given.Issue([Given.Collected()]); // collected 1 June 2022, 09:00 Beijing time

        Assert.Single(Appended(fresh, new ResolveOnSpot("当场协调"), Given.Visitor, new DateTimeOffset(2022, 6, 1, 23, 59, 0, TimeSpan.FromHours(8))));
        var nextDay = Assert.IsType<Decision.Unprocessable>(IssueDecider.Decide(fresh, new ResolveOnSpot("当场协调"),
            Given.By(Given.Visitor, new DateTimeOffset(2022, 6, 1, 16, 0, 0, TimeSpan.Zero)))); // 2 June, 00:00 in Shanghai
        Assert.Equal("occurredAt", nextDay.Field);
        Assert.Contains("2022-06-01", nextDay.Reason);
    }

    [Fact]
    public void Explaining_records_the_roadmap()
    {
        var issue = Given.Issue(Given.InProgressAtDepartment());
        var milestones = new[] { new Milestone(new DateOnly(2022, 12, 31), "立项") };

        var explained = Assert.IsType<IssueExplained>(Assert.Single(Appended(issue, new ExplainIssue("资金需列入预算", milestones), Given.Housing)));

        Assert.Equal(milestones, explained.Milestones);
        Assert.Equal(IssueStatus.Explained, Issue.Next(issue, explained).Status);
    }

    [Fact]
    public void Progress_notes_leave_the_status_alone()
    {
        var issue = Given.Issue(Given.Escalated());

        var noted = Assert.IsType<ProgressNoted>(Assert.Single(Appended(issue, new NoteProgress("已派人勘查"), Given.Housing)));

        Assert.Equal(IssueStatus.Escalated, Issue.Next(issue, noted).Status);
    }

    [Fact]
    public void An_act_dated_before_the_history_is_unprocessable()
    {
        var issue = Given.Issue(Given.AssignedToTown());

        var decision = IssueDecider.Decide(issue, new AcceptIssue(), Given.By(Given.TownOffice, Given.T0.AddMinutes(30)));

        Assert.Equal("occurredAt", Assert.IsType<Decision.Unprocessable>(decision).Field);
    }
}
