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
using Rectify.Issues.Rerouting;
using Rectify.Issues.Extending;
using Rectify.Issues.Planning;

namespace Rectify.Tests.Lifecycle;

/// <summary>Given an issue in each state, when each command is decided, then it is appended or refused as the brief says.</summary>
public sealed class TransitionMatrixTests
{
    /// <summary>The brief's table, written out independently of IssueLifecycle.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["collected"] = ["resolve-on-spot", "assign", "escalate"],
        ["collected-after-return"] = ["assign", "escalate"],
        ["resolved-on-spot"] = [],
        ["assigned-to-town-office"] = ["assign", "accept", "return", "escalate", "progress", "request-extension"],
        ["assigned-to-department"] = ["assign", "accept", "return", "progress", "request-extension"],
        ["in-progress-at-town-office"] = ["escalate", "progress", "resolve", "explain", "request-extension", "plan"],
        ["in-progress-extension-requested"] = ["escalate", "progress", "resolve", "explain", "approve-extension", "reject-extension", "plan"],
        ["escalated"] = ["accept", "progress", "request-reroute"],
        ["escalated-reroute-requested"] = ["accept", "progress", "reroute", "reject-reroute"],
        ["in-progress-at-department"] = ["progress", "resolve", "explain", "request-reroute", "request-extension", "plan"],
        // Accepted from the town's assignment: the town can no longer reassign it, so the district re-routes it if it is not the department's.
        ["in-progress-at-department-by-assignment"] = ["progress", "resolve", "explain", "request-reroute", "request-extension", "plan"],
        ["in-progress-at-department-reroute-requested"] = ["progress", "resolve", "explain", "reroute", "reject-reroute", "request-extension", "plan"],
        ["resolved"] = ["feedback"],
        ["resolved-with-feedback"] = ["close"],
        ["explained"] = ["progress", "feedback", "plan"],
        ["explained-with-feedback"] = ["progress", "close", "plan"],
        ["closed"] = [],
        ["closed-after-explanation"] = ["progress"]
    };

    private static readonly Dictionary<string, IIssueCommand> Commands = new()
    {
        ["resolve-on-spot"] = new ResolveOnSpot("当场协调解决"),
        ["assign"] = new AssignIssue(Given.References.FindUnit("qicun-enforcement")!, "清理", null, "执法办", "赵强"),
        ["accept"] = new AcceptIssue("更换管道", "市政科", "张伟"),
        ["return"] = new ReturnIssue("不属本单位职责"),
        ["escalate"] = new EscalateIssue(Given.References.FindDepartment("transport")!, "需区交通局处理"),
        ["progress"] = new NoteProgress("已现场勘查"),
        ["resolve"] = new ResolveIssue("已修复"),
        ["explain"] = new ExplainIssue("需列入计划", [new Milestone(new DateOnly(2023, 1, 31), "立项")]),
        ["feedback"] = new RecordFeedback(Satisfaction.Satisfied, null),
        ["close"] = new CloseIssue(),
        ["request-reroute"] = new RequestReroute("应由交通局办理"),
        ["reroute"] = new RerouteIssue(Given.References.FindDepartment("transport")!, "同意"),
        ["reject-reroute"] = new RejectReroute("属住建局职责"),
        ["request-extension"] = new RequestExtension(new DateOnly(2022, 6, 30), "需要采购"),
        ["approve-extension"] = new ApproveExtension(),
        ["reject-extension"] = new RejectExtension("时限内可完成"),
        ["plan"] = new ChangePlan("分段施工", "规划建设科", "李强")
    };

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var state in Allowed.Keys)
            foreach (var command in Commands.Keys)
                data.Add(state, command);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_command_in_each_state_is_appended_or_refused_naming_the_state(string state, string command)
    {
        var issue = Given.Issue(Given.States[state]());

        // On the spot is only ever on the day of collection (a rule of its own, see DecisionTests).
        var at = command == "resolve-on-spot" ? issue.CollectedAt.AddHours(1) : (DateTimeOffset?)null;
        var decision = IssueDecider.Decide(issue, Commands[command], Given.By(Given.Admin, at));

        if (Allowed[state].Contains(command))
        {
            var appended = Assert.IsType<Decision.Appended>(decision);
            Assert.NotEmpty(appended.Events);
            Assert.All(appended.Events, e => Assert.Equal(Given.Id, e.IssueId));
        }
        else
        {
            var refused = Assert.IsType<Decision.Refused>(decision);
            Assert.Equal(Allowed[state].Order(), refused.Allowed.Select(c => Rectify.Infrastructure.Kebab.Of(c)).Order());
            Assert.False(string.IsNullOrWhiteSpace(refused.Reason));
        }
    }

    /// <summary>Where each command leads; "same" keeps the status it started from.</summary>
    private static readonly Dictionary<string, string> Leads = new()
    {
        ["resolve-on-spot"] = "resolved-on-spot", ["assign"] = "assigned", ["accept"] = "in-progress", ["return"] = "collected",
        ["escalate"] = "escalated", ["progress"] = "same", ["resolve"] = "resolved", ["explain"] = "explained",
        ["feedback"] = "same", ["close"] = "closed", ["request-reroute"] = "same", ["reroute"] = "escalated", ["reject-reroute"] = "same",
        ["request-extension"] = "same", ["approve-extension"] = "same", ["reject-extension"] = "same", ["plan"] = "same"
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void An_allowed_command_leads_to_its_status_and_adds_one_version_per_event(string state, string command)
    {
        var issue = Given.Issue(Given.States[state]());
        if (IssueDecider.Decide(issue, Commands[command], Given.By(Given.Admin)) is not Decision.Appended appended) return;

        var next = appended.Events.Aggregate(issue, Issue.Next);

        var expected = Leads[command] == "same" ? Rectify.Infrastructure.Kebab.Of(issue.Status) : Leads[command];
        Assert.Equal(expected, Rectify.Infrastructure.Kebab.Of(next.Status));
        Assert.Equal(issue.Version + appended.Events.Count, next.Version);
    }
}
