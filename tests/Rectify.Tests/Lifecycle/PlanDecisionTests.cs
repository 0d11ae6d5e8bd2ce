using System.Text.Json;
using Rectify.Issues;
using Rectify.Issues.Accepting;
using Rectify.Issues.Planning;

namespace Rectify.Tests.Lifecycle;

/// <summary>Given/when/then on the department's plan (整改措施, 责任科室, 责任人): accepting an escalation and changing the plan.</summary>
public sealed class PlanDecisionTests
{
    [Fact]
    public void Accepting_an_escalation_records_the_departments_plan()
    {
        var issue = Given.Issue(Given.Escalated());

        var decision = IssueDecider.Decide(issue, new AcceptIssue("更换管道", "市政科", "张伟"), Given.By(Given.Housing));

        var accepted = Assert.IsType<IssueAccepted>(Assert.Single(Assert.IsType<Decision.Appended>(decision).Events));
        Assert.Equal(("更换管道", "市政科", "张伟"), (accepted.Measures, accepted.ResponsibleOffice, accepted.ResponsiblePerson));
        var next = Issue.Next(issue, accepted);
        Assert.Equal(("更换管道", "市政科", "张伟"), (next.Measures, next.ResponsibleOffice, next.ResponsiblePerson));
    }

    [Fact]
    public void Accepting_an_escalation_without_a_plan_names_each_missing_field()
    {
        var decision = IssueDecider.Decide(Given.Issue(Given.Escalated()), new AcceptIssue(Measures: "更换管道"), Given.By(Given.Housing));

        Assert.Equal(["responsibleOffice", "responsiblePerson"], Assert.IsType<Decision.Invalid>(decision).Errors.Keys.Order());
    }

    [Fact]
    public void Accepting_an_assignment_keeps_the_towns_plan()
    {
        var issue = Given.Issue(Given.AssignedToTown());

        var decision = IssueDecider.Decide(issue, new AcceptIssue("别的", "别的", "别的"), Given.By(Given.TownOffice));

        var accepted = Assert.IsType<IssueAccepted>(Assert.Single(Assert.IsType<Decision.Appended>(decision).Events));
        Assert.Null(accepted.Measures);
        Assert.Equal(("更换灯具", "综治中心", "李明"), (Issue.Next(issue, accepted).Measures, issue.ResponsibleOffice, issue.ResponsiblePerson));
    }

    [Fact]
    public void An_acceptance_stored_before_plans_were_given_reads_without_one()
    {
        // issue_accepted.v1 as stored before the fields existed.
        const string stored = """{"issueId":"0190a8c4-6f1e-7c2a-9d3b-5e4f6a7b8c9d","unitId":"housing","deadline":"2022-06-07","deadlineId":"0190a8c4-6f1e-7c2a-9d3b-5e4f6a7b8c9e","actor":{"clientName":"housing","role":"Department","townId":null,"departmentId":"housing"},"occurredAt":"2022-06-01T11:00:00+08:00"}""";
        var old = JsonSerializer.Deserialize<IssueAccepted>(stored, new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } })!;

        var issue = Given.Issue([.. Given.Escalated(), old]);

        Assert.Equal(IssueStatus.InProgress, issue.Status);
        Assert.Null(issue.Measures);
        // Its first plan change must then give all three.
        var partial = IssueDecider.Decide(issue, new ChangePlan("更换管道", null, null), Given.By(Given.Housing));
        Assert.Equal(["responsibleOffice", "responsiblePerson"], Assert.IsType<Decision.Invalid>(partial).Errors.Keys.Order());
    }

    [Fact]
    public void A_plan_change_keeps_the_fields_not_given_and_records_the_whole_plan()
    {
        var issue = Given.Issue([.. Given.InProgressAtTown()]);

        var decision = IssueDecider.Decide(issue, new ChangePlan(null, null, "王芳"), Given.By(Given.TownOffice));

        var changed = Assert.IsType<IssuePlanChanged>(Assert.Single(Assert.IsType<Decision.Appended>(decision).Events));
        Assert.Equal(("qicun-governance", "更换灯具", "综治中心", "王芳"), (changed.UnitId, changed.Measures, changed.ResponsibleOffice, changed.ResponsiblePerson));
        Assert.Equal("王芳", Issue.Next(issue, changed).ResponsiblePerson);
        Assert.IsType<Decision.Unprocessable>(IssueDecider.Decide(issue, new ChangePlan("更换灯具", null, null), Given.By(Given.TownOffice)));
    }
}
