using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Identity;
using Rectify.Issues;
using Rectify.Issues.Closing;
using Rectify.Issues.Extending;
using Rectify.Issues.Feedback;
using Rectify.ReferenceData;
using Rectify.Tests.Lifecycle;

namespace Rectify.Tests.Duties;

/// <summary>Given/when/then of the separation-of-duties checks: who decides is not who judges.</summary>
public sealed class SeparationOfDutiesTests
{
    private static readonly Actor OtherLeader = new("mengzhuang-leader", Role.TownLeader, "mengzhuang", null);
    private static readonly Actor SecondQicunOffice = new("qicun-office-2", Role.TownOffice, "qicun", null);

    private static Issue ResolvedBy(Actor actor) =>
        Given.Issue([.. Given.InProgressAtTown(), new IssueResolved(Given.Id, "qicun-governance", "已更换", ActIds.For(Given.Id, 4, "outcome"), actor, Given.At(3))]);

    private static Issue WithFeedback(Issue issue) =>
        Issue.Next(issue, new FeedbackRecorded(Given.Id, issue.Outcome!.Value, Satisfaction.Satisfied, null, Given.Visitor, Given.At(4)));

    [Fact]
    public void The_outcome_keeps_who_recorded_it_from_its_event_and_rework_clears_it()
    {
        var resolved = Given.Issue(Given.Resolved());
        var explained = Given.Issue(Given.Explained());
        var reworked = Issue.Next(resolved, new ReworkStarted(Given.Id, "qicun-governance", 1, new DateOnly(2022, 6, 10), Guid.NewGuid(), Given.Visitor, Given.At(5)));

        Assert.Equal(new OutcomeRecorder("qicun-office", Role.TownOffice, "qicun-governance", UnitKind.TownOffice), resolved.OutcomeRecordedBy);
        Assert.Equal(new OutcomeRecorder("housing", Role.Department, "housing", UnitKind.Department), explained.OutcomeRecordedBy);
        Assert.Null(reworked.OutcomeRecordedBy);
    }

    [Fact]
    public void Feedback_is_never_recorded_by_the_unit_that_resolved_the_issue()
    {
        // Every town-office client of Qicun acts for all its offices, so also for the one that resolved it.
        Assert.Contains(FeedbackDuties.NotTheOutcomeUnit, FeedbackDuties.Check(ResolvedBy(Given.TownOffice), SecondQicunOffice));
        Assert.Contains(FeedbackDuties.NotTheOutcomeClient, FeedbackDuties.Check(ResolvedBy(Given.TownOffice), Given.TownOffice));
        Assert.Contains(FeedbackDuties.NotTheOutcomeClient, FeedbackDuties.Check(Given.Issue(Given.Explained()), Given.Housing));
        Assert.Contains(FeedbackDuties.NotTheOutcomeUnit, FeedbackDuties.Check(Given.Issue(Given.Explained()), new Actor("housing-2", Role.Department, null, "housing")));
    }

    [Fact]
    public void Feedback_is_never_recorded_by_the_client_that_recorded_the_outcome_even_an_admin()
    {
        Assert.Contains(FeedbackDuties.NotTheOutcomeClient, FeedbackDuties.Check(ResolvedBy(Given.Admin), Given.Admin));
        Assert.Null(FeedbackDuties.Check(ResolvedBy(Given.Admin), Given.Supervisor));
    }

    [Fact]
    public void Feedback_is_recorded_by_a_visitor_the_town_office_when_a_department_did_the_work_or_the_district()
    {
        Assert.Null(FeedbackDuties.Check(Given.Issue(Given.Resolved()), Given.Visitor));
        Assert.Null(FeedbackDuties.Check(Given.Issue(Given.Resolved()), Given.Supervisor));
        Assert.Null(FeedbackDuties.Check(Given.Issue(Given.Explained()), Given.TownOffice));
        Assert.NotNull(FeedbackDuties.Check(Given.Issue(Given.Explained()), Given.OtherTown));
        Assert.NotNull(FeedbackDuties.Check(Given.Issue(Given.Explained()), Given.Transport));
        Assert.NotNull(FeedbackDuties.Check(Given.Issue(Given.Explained()), Given.Leader));
        Assert.NotNull(FeedbackDuties.Check(Given.Issue(Given.Explained()), Given.Auditor));
    }

    [Fact]
    public void Close_is_refused_to_the_client_that_recorded_the_outcome()
    {
        var resolvedByOffice = WithFeedback(ResolvedBy(Given.TownOffice));

        Assert.Contains(CloseDuties.NotTheOutcomeClient, CloseDuties.Check(resolvedByOffice, Given.TownOffice));
        Assert.Contains(CloseDuties.NotTheOutcomeClient, CloseDuties.Check(WithFeedback(ResolvedBy(Given.Admin)), Given.Admin));
        Assert.Null(CloseDuties.Check(resolvedByOffice, SecondQicunOffice));
        Assert.Null(CloseDuties.Check(resolvedByOffice, Given.Leader));
        Assert.Null(CloseDuties.Check(resolvedByOffice, Given.Supervisor));
    }

    [Fact]
    public void A_district_supervisor_may_close_an_outcome_it_recorded()
    {
        Assert.Null(CloseDuties.Check(WithFeedback(ResolvedBy(Given.Supervisor)), Given.Supervisor));
    }

    [Fact]
    public void Only_the_issues_town_or_the_district_closes()
    {
        var issue = WithFeedback(Given.Issue(Given.Explained()));

        Assert.Null(CloseDuties.Check(issue, Given.TownOffice));
        Assert.Null(CloseDuties.Check(issue, Given.Leader));
        Assert.NotNull(CloseDuties.Check(issue, OtherLeader));
        Assert.NotNull(CloseDuties.Check(issue, Given.OtherTown));
        Assert.NotNull(CloseDuties.Check(issue, Given.Housing));
        Assert.NotNull(CloseDuties.Check(issue, Given.Visitor));
    }

    private static Issue ExtensionAskedBy(Actor actor, bool department = false) =>
        Given.Issue([.. department ? Given.InProgressAtDepartment() : Given.InProgressAtTown(),
            new ExtensionRequested(Given.Id, department ? "housing" : "qicun-governance", new DateOnly(2022, 6, 7), new DateOnly(2022, 6, 14), "需采购", actor, Given.At(3))]);

    [Fact]
    public void A_town_offices_extension_is_decided_by_its_town_leader_or_a_district_supervisor()
    {
        var asked = ExtensionAskedBy(Given.TownOffice);

        Assert.Null(ExtensionDuties.Check(asked, Given.Leader, "approve"));
        Assert.Null(ExtensionDuties.Check(asked, Given.Supervisor, "approve"));
        Assert.Contains(ExtensionDuties.DecidedAbove, ExtensionDuties.Check(asked, SecondQicunOffice, "approve"));
        Assert.Contains(ExtensionDuties.DecidedAbove, ExtensionDuties.Check(asked, OtherLeader, "reject"));
    }

    [Fact]
    public void A_departments_extension_is_decided_by_a_district_supervisor_only()
    {
        var asked = ExtensionAskedBy(Given.Housing, department: true);

        Assert.Null(ExtensionDuties.Check(asked, Given.Supervisor, "approve"));
        Assert.Contains(ExtensionDuties.DecidedAbove, ExtensionDuties.Check(asked, Given.Leader, "approve"));
        Assert.Contains(ExtensionDuties.NotTheRequester, ExtensionDuties.Check(asked, Given.Housing, "approve"));
    }

    [Fact]
    public void Nobody_decides_their_own_extension_not_even_an_admin()
    {
        Assert.Contains(ExtensionDuties.NotTheRequester, ExtensionDuties.Check(ExtensionAskedBy(Given.TownOffice), Given.TownOffice, "approve"));
        Assert.Contains(ExtensionDuties.NotTheRequester, ExtensionDuties.Check(ExtensionAskedBy(Given.Admin), Given.Admin, "approve"));
        Assert.Null(ExtensionDuties.Check(ExtensionAskedBy(Given.Admin), Given.Supervisor, "approve"));
    }

    private static readonly DateTimeOffset OnTime = new(2022, 6, 2, 9, 0, 0, TimeSpan.FromHours(8));

    private static Decision Ask(Issue issue, DateOnly newDeadline, ExtensionLimits? limits = null) =>
        IssueDecider.Decide(issue, new RequestExtension(newDeadline, "需协调", limits), Given.By(Given.TownOffice, OnTime));

    [Fact]
    public void An_extension_adds_at_most_the_set_working_days()
    {
        var issue = Given.Issue(Given.InProgressAtTown()); // deadline Tuesday 7 June 2022
        var latest = Given.Calendar.WorkingDayAfter(new DateOnly(2022, 6, 7), 30);

        Assert.IsType<Decision.Appended>(Ask(issue, latest));
        var beyond = Assert.IsType<Decision.Unprocessable>(Ask(issue, Given.Calendar.WorkingDayAfter(new DateOnly(2022, 6, 7), 31)));
        Assert.Equal("newDeadline", beyond.Field);
        Assert.Contains("Supervision:Extensions:MaxWorkingDays", beyond.Reason);
        Assert.Contains($"latest allowed is {latest:yyyy-MM-dd}", beyond.Reason);
        Assert.IsType<Decision.Unprocessable>(Ask(issue, new DateOnly(2022, 6, 10), new ExtensionLimits(2, 2)));
    }

    [Fact]
    public void At_most_the_set_number_of_extensions_per_stage_and_rework_starts_a_new_stage()
    {
        var issue = Given.Issue(Given.InProgressAtTown());
        var twice = Grant(Grant(issue, new DateOnly(2022, 6, 8)), new DateOnly(2022, 6, 9));

        var third = Assert.IsType<Decision.Unprocessable>(Ask(twice, new DateOnly(2022, 6, 10)));
        Assert.Contains("At most 2 extensions per stage", third.Reason);
        Assert.Contains("Supervision:Extensions:MaxPerStage", third.Reason);
        Assert.IsType<Decision.Unprocessable>(Ask(Grant(issue, new DateOnly(2022, 6, 8)), new DateOnly(2022, 6, 9), new ExtensionLimits(1, 30)));

        var resolved = Issue.Next(twice, new IssueResolved(Given.Id, "qicun-governance", "o", Guid.NewGuid(), Given.TownOffice, Given.At(10)));
        var reworked = Issue.Next(resolved, new ReworkStarted(Given.Id, "qicun-governance", 1, new DateOnly(2022, 6, 14), Guid.NewGuid(), Given.Visitor, Given.At(11)));
        Assert.Equal(0, reworked.ExtensionsThisStage);
        Assert.IsType<Decision.Appended>(Ask(reworked, new DateOnly(2022, 6, 15)));
    }

    private static Issue Grant(Issue issue, DateOnly to) =>
        new IIssueEvent[]
        {
            new ExtensionRequested(Given.Id, "qicun-governance", issue.Deadline!.Value, to, "r", Given.TownOffice, Given.At(3)),
            new ExtensionApproved(Given.Id, issue.Deadline!.Value, to, Guid.NewGuid(), Given.Leader, Given.At(3))
        }.Aggregate(issue, Issue.Next);

    [Theory]
    [InlineData("MaxPerStage", "0")]
    [InlineData("MaxWorkingDays", "-1")]
    public void A_bad_extension_setting_is_a_start_up_error_naming_it(string setting, string value)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [$"Supervision:Extensions:{setting}"] = value }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => ExtensionOptions.Register(new ServiceCollection(), configuration));
        Assert.Contains($"Supervision:Extensions:{setting}", error.Message);
    }

    [Fact]
    public void The_extension_settings_default_to_two_per_stage_of_thirty_working_days()
    {
        var configuration = new ConfigurationBuilder().Build();
        var services = new ServiceCollection();
        ExtensionOptions.Register(services, configuration);

        var options = services.BuildServiceProvider().GetRequiredService<Microsoft.Extensions.Options.IOptions<ExtensionOptions>>().Value;
        Assert.Equal(new ExtensionLimits(2, 30), options.Limits);
    }
}
