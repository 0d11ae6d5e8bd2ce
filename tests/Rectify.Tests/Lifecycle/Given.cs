using Rectify.Calendar;
using Rectify.Identity;
using Rectify.Issues;
using Rectify.ReferenceData;

namespace Rectify.Tests.Lifecycle;

/// <summary>Issues in each state, built from events as the store would hold them.</summary>
public static class Given
{
    public static readonly DateTimeOffset T0 = new(2022, 6, 1, 9, 0, 0, TimeSpan.FromHours(8));
    public static readonly Guid Id = Guid.Parse("0190a8c4-6f1e-7c2a-9d3b-5e4f6a7b8c9d");

    public static readonly Actor Visitor = new("qicun-visitor", Role.Visitor, "qicun", null);
    public static readonly Actor TownOffice = new("qicun-office", Role.TownOffice, "qicun", null);
    public static readonly Actor Leader = new("qicun-leader", Role.TownLeader, "qicun", null);
    public static readonly Actor OtherTown = new("mengzhuang-office", Role.TownOffice, "mengzhuang", null);
    public static readonly Actor Housing = new("housing", Role.Department, null, "housing");
    public static readonly Actor Transport = new("transport", Role.Department, null, "transport");
    public static readonly Actor Supervisor = new("supervisor", Role.DistrictSupervisor, null, null);
    public static readonly Actor Auditor = new("auditor", Role.Auditor, null, null);
    public static readonly Actor Admin = new("admin", Role.Admin, null, null);

    private static readonly Lazy<WorkingCalendar> LazyCalendar = new(() =>
        WorkingCalendar.Load(Path.Combine(AppContext.BaseDirectory, "Calendar", WorkingCalendar.FileName)));

    private static readonly Lazy<DistrictReferenceData> LazyReferences = new(() =>
        DistrictReferenceData.Load(Path.Combine(AppContext.BaseDirectory, "ReferenceData", DistrictReferenceData.FileName)));

    public static WorkingCalendar Calendar => LazyCalendar.Value;
    public static DistrictReferenceData References => LazyReferences.Value;

    public static DecisionContext By(Actor actor, DateTimeOffset? at = null) => new(actor, at ?? T0.AddDays(1), Calendar, References);

    public static DateTimeOffset At(int hours) => T0.AddHours(hours);

    public static IssueCollected Collected() => new(Id, "qicun", "qicun-qicun", null, null, "齐村 3 号", "living-environment",
        "路灯坏了", Channel.Visit, "visitor-017", null, null, null, Visitor, T0);

    public static IssueAssigned AssignedTo(string unitId, UnitKind kind, int hour = 1) =>
        new(Id, unitId, kind, "更换灯具", new DateOnly(2022, 6, 7), "综治中心", "李明", null, RoutingIds.For(Id, 2), null,
            ActIds.For(Id, 2, "deadline"), TownOffice, At(hour));

    public static IEnumerable<IIssueEvent> AssignedToTown() => [Collected(), AssignedTo("qicun-governance", UnitKind.TownOffice)];
    public static IEnumerable<IIssueEvent> AssignedToDepartment() => [Collected(), AssignedTo("housing", UnitKind.Department)];

    public static IEnumerable<IIssueEvent> InProgressAtTown() =>
        [.. AssignedToTown(), new IssueAccepted(Id, "qicun-governance", new DateOnly(2022, 6, 7), ActIds.For(Id, 2, "deadline"), TownOffice, At(2))];

    public static IEnumerable<IIssueEvent> Escalated() =>
        [Collected(), new IssueEscalated(Id, "housing", null, "需要区住建局协调", RoutingIds.For(Id, 2), null, TownOffice, At(1))];

    public static IEnumerable<IIssueEvent> RerouteRequested() =>
        [.. Escalated(), new Rectify.Issues.RerouteRequested(Id, "housing", "应由区交通运输局办理", Housing, At(2))];

    public static IEnumerable<IIssueEvent> InProgressAtDepartment() =>
        [.. Escalated(), new IssueAccepted(Id, "housing", new DateOnly(2022, 6, 7), ActIds.For(Id, 3, "deadline"), Housing, At(2))];

    public static IEnumerable<IIssueEvent> Resolved() =>
        [.. InProgressAtTown(), new IssueResolved(Id, "qicun-governance", "已更换", ActIds.For(Id, 4, "outcome"), TownOffice, At(3))];

    public static IEnumerable<IIssueEvent> Explained() =>
        [.. InProgressAtDepartment(), new IssueExplained(Id, "housing", "需纳入明年改造计划",
            [new Milestone(new DateOnly(2022, 9, 30), "完成设计"), new Milestone(new DateOnly(2023, 3, 31), "完成施工")],
            ActIds.For(Id, 4, "outcome"), Housing, At(3))];

    public static IEnumerable<IIssueEvent> WithFeedback(IEnumerable<IIssueEvent> events, Satisfaction satisfaction, IssueOutcome outcome) =>
        [.. events, new FeedbackRecorded(Id, outcome, satisfaction, null, TownOffice, At(4))];

    public static IEnumerable<IIssueEvent> Closed() =>
        [.. WithFeedback(Resolved(), Satisfaction.Satisfied, IssueOutcome.Resolved), new IssueClosed(Id, IssueOutcome.Resolved, Satisfaction.Satisfied, TownOffice, At(5))];

    public static IEnumerable<IIssueEvent> ReturnedOnce() =>
        [.. AssignedToTown(), new IssueReturned(Id, "qicun-governance", "不属本办职责", 1, TownOffice, At(2))];

    public static IEnumerable<IIssueEvent> ResolvedOnSpot() => [Collected(), new IssueResolvedOnSpot(Id, "当场协调", Visitor, At(0))];

    public static Issue Issue(IEnumerable<IIssueEvent> events) => Rectify.Issues.Issue.Fold(events);

    /// <summary>Each named state, for the transition matrix.</summary>
    public static readonly IReadOnlyDictionary<string, Func<IEnumerable<IIssueEvent>>> States = new Dictionary<string, Func<IEnumerable<IIssueEvent>>>
    {
        ["collected"] = () => [Collected()],
        ["collected-after-return"] = ReturnedOnce,
        ["resolved-on-spot"] = ResolvedOnSpot,
        ["assigned-to-town-office"] = AssignedToTown,
        ["assigned-to-department"] = AssignedToDepartment,
        ["in-progress-at-town-office"] = InProgressAtTown,
        ["escalated"] = Escalated,
        ["escalated-reroute-requested"] = RerouteRequested,
        ["in-progress-at-department-reroute-requested"] = () => [.. InProgressAtDepartment(), new Rectify.Issues.RerouteRequested(Id, "housing", "应由交通局办理", Housing, At(3))],
        ["in-progress-at-department"] = InProgressAtDepartment,
        ["in-progress-at-department-by-assignment"] = () => [.. AssignedToDepartment(),
            new IssueAccepted(Id, "housing", new DateOnly(2022, 6, 7), ActIds.For(Id, 2, "deadline"), Housing, At(2))],
        ["resolved"] = Resolved,
        ["resolved-with-feedback"] = () => WithFeedback(Resolved(), Satisfaction.Satisfied, IssueOutcome.Resolved),
        ["explained"] = Explained,
        ["explained-with-feedback"] = () => WithFeedback(Explained(), Satisfaction.BasicallySatisfied, IssueOutcome.Explained),
        ["closed"] = Closed,
        ["closed-after-explanation"] = () => [.. WithFeedback(Explained(), Satisfaction.Satisfied, IssueOutcome.Explained),
            new IssueClosed(Id, IssueOutcome.Explained, Satisfaction.Satisfied, TownOffice, At(5))],
        ["in-progress-extension-requested"] = () => [.. InProgressAtTown(),
            new ExtensionRequested(Id, "qicun-governance", new DateOnly(2022, 6, 7), new DateOnly(2022, 6, 14), "需采购灯具", TownOffice, At(3))]
    };
}
