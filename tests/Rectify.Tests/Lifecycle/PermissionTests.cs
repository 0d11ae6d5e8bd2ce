using Rectify.Identity;
using Rectify.Issues;
using Rectify.Issues.Accepting;
using Rectify.Issues.Assigning;
using Rectify.Issues.Closing;
using Rectify.Issues.Escalating;
using Rectify.Issues.Feedback;
using Rectify.Issues.Progressing;
using Rectify.Issues.Resolving;

namespace Rectify.Tests.Lifecycle;

/// <summary>Who may act: the holding unit for its work, the town for routing and closing, supervisors for the district.</summary>
public sealed class PermissionTests
{
    private static bool May(IIssueCommand command, IEnumerable<IIssueEvent> events, Actor actor) =>
        command.Forbidden(Given.Issue(events), actor) is null;

    [Fact]
    public void Only_the_holding_department_accepts_and_resolves()
    {
        Assert.True(May(new AcceptIssue(), Given.Escalated(), Given.Housing));
        Assert.False(May(new AcceptIssue(), Given.Escalated(), Given.Transport));
        Assert.False(May(new AcceptIssue(), Given.Escalated(), Given.TownOffice));
        Assert.True(May(new ResolveIssue("x"), Given.InProgressAtDepartment(), Given.Housing));
        Assert.False(May(new ResolveIssue("x"), Given.InProgressAtDepartment(), Given.Supervisor));
    }

    [Fact]
    public void A_town_office_acts_for_its_own_offices_only()
    {
        Assert.True(May(new AcceptIssue(), Given.AssignedToTown(), Given.TownOffice));
        Assert.False(May(new AcceptIssue(), Given.AssignedToTown(), Given.OtherTown));
        Assert.False(May(new AssignIssue(Given.References.FindUnit("qicun-economy")!, "m", null, "o", "p"), [Given.Collected()], Given.OtherTown));
        Assert.False(May(new EscalateIssue(Given.References.FindDepartment("housing")!, "r"), [Given.Collected()], Given.Visitor));
    }

    [Fact]
    public void While_nobody_holds_an_issue_a_units_holder_act_is_left_to_the_state_check()
    {
        var collected = Given.Issue([Given.Collected()]);

        Assert.Null(new AcceptIssue().Forbidden(collected, Given.Housing));
        Assert.Null(new AcceptIssue().Forbidden(collected, Given.TownOffice));
        Assert.Contains("none does", new AcceptIssue().Forbidden(collected, Given.Auditor));
        Assert.NotNull(new AcceptIssue().Forbidden(collected, Given.OtherTown));
    }

    [Fact]
    public void After_an_unreachable_resident_only_a_district_supervisor_closes()
    {
        var events = Given.WithFeedback(Given.Resolved(), Satisfaction.Unreachable, IssueOutcome.Resolved).ToList();

        Assert.Contains("district supervisor", new CloseIssue().Forbidden(Given.Issue(events), Given.TownOffice));
        Assert.True(May(new CloseIssue(), events, Given.Supervisor));
        Assert.True(May(new CloseIssue(), Given.WithFeedback(Given.Resolved(), Satisfaction.Satisfied, IssueOutcome.Resolved), Given.Leader));
    }

    [Fact]
    public void Feedback_comes_from_the_towns_visitors_its_office_when_a_department_did_the_work_or_the_district()
    {
        Assert.True(May(new RecordFeedback(Satisfaction.Satisfied, null), Given.Resolved(), Given.Visitor));
        Assert.True(May(new RecordFeedback(Satisfaction.Satisfied, null), Given.Explained(), Given.TownOffice));
        Assert.False(May(new RecordFeedback(Satisfaction.Satisfied, null), Given.Explained(), Given.Housing));
        Assert.False(May(new RecordFeedback(Satisfaction.Satisfied, null), Given.Explained(), Given.Transport));
        Assert.False(May(new RecordFeedback(Satisfaction.Satisfied, null), Given.Resolved(), Given.OtherTown));
    }

    [Fact]
    public void Auditors_only_read()
    {
        Assert.False(May(new NoteProgress("n"), Given.Escalated(), Given.Auditor));
        Assert.False(May(new CloseIssue(), Given.WithFeedback(Given.Resolved(), Satisfaction.Satisfied, IssueOutcome.Resolved), Given.Auditor));
    }

    [Fact]
    public void Admins_may_do_everything()
    {
        Assert.True(May(new AcceptIssue(), Given.Escalated(), Given.Admin));
        Assert.True(May(new CloseIssue(), Given.WithFeedback(Given.Resolved(), Satisfaction.Unreachable, IssueOutcome.Resolved), Given.Admin));
    }
}
