using Rectify.Identity;
using Rectify.ReferenceData;

namespace Rectify.Issues;

// Events are the audit contract: past tense, with who (Actor) and when (OccurredAt, the domain time,
// which may lie in the past for back-filled ledgers). Their stored names are fixed in IssueEventNames.

public enum Channel { Visit, WechatGroup, Hotline }

public enum Satisfaction { Satisfied, BasicallySatisfied, Dissatisfied, Unreachable }

public enum IssueOutcome { Resolved, Explained }

public sealed record Milestone(DateOnly DueDate, string Description);

public sealed record PendingReroute(string DepartmentId, string Reason, DateTimeOffset RequestedAt);

public sealed record PendingExtension(DateOnly NewDeadline, string Reason, DateTimeOffset RequestedAt);

/// <summary>One deadline the issue had, and the act that set it (assigned, accepted, rework, extension).</summary>
public sealed record DeadlineChange(DateOnly Deadline, string SetBy, DateTimeOffset At);

/// <summary>A clock that ran out, as supervision recorded it.</summary>
public sealed record Overdue(SupervisionClock Clock, Guid ClockId, int Level, DateOnly DueDate, string? UnitId, DateTimeOffset RecordedAt);

public static class RoutingIds
{
    /// <summary>The id of the routing act recorded as the issue's event number <paramref name="version"/>.</summary>
    public static Guid For(Guid issueId, long version) => ActIds.For(issueId, version, "routing");
}

/// <summary>
/// Ids of things an act starts (a routing, a deadline, an outcome awaiting feedback): derived from the issue and
/// the act's event number, not random, so that a replay of the same decisions produces the same events.
/// </summary>
public static class ActIds
{
    public static Guid For(Guid issueId, long version, string purpose)
    {
        var input = new byte[24 + System.Text.Encoding.UTF8.GetByteCount(purpose)];
        issueId.TryWriteBytes(input);
        BitConverter.TryWriteBytes(input.AsSpan(16), version);
        System.Text.Encoding.UTF8.GetBytes(purpose, input.AsSpan(24));
        var hash = System.Security.Cryptography.SHA256.HashData(input);
        hash[7] = (byte)((hash[7] & 0x0F) | 0x80); // version 8: custom
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(hash.AsSpan(0, 16));
    }
}

public interface IIssueEvent
{
    Guid IssueId { get; }
    Actor Actor { get; }
    DateTimeOffset OccurredAt { get; }
}

/// <summary>收集: a problem raised by a resident at a visit, in a community group or on the hotline.</summary>
public sealed record IssueCollected(
    Guid IssueId, string TownId, string? CommunityId, string? GridId, string? HouseholdId, string Address,
    string CategoryId, string Description, Channel Channel, string VisitorId, Guid? ResidentContactId,
    Guid? RelatedIssueId, Guid? WechatGroupId, Actor Actor, DateTimeOffset OccurredAt) : IIssueEvent;

/// <summary>
/// 当场解决: settled at the visit; counted apart from the ledger. Stored as issue_resolved_on_spot.v2: Resolution is
/// what v1 called Outcome (renamed because "outcome" elsewhere means a unit's resolved/explained outcome with its
/// feedback clock, which an on-spot settlement is not). Stored v1 events are upcast on read (IssueEventVersions).
/// </summary>
public sealed record IssueResolvedOnSpot(Guid IssueId, string Resolution, Actor Actor, DateTimeOffset OccurredAt) : IIssueEvent;

/// <summary>
/// 分类归口办理: routed to a unit with measures, a deadline and the people responsible. RoutingId names this
/// routing act, so a delivery message for an older routing is recognised as stale; RuleId is the routing rule
/// used when the town let the rules choose the unit. Provisional is set only when Rectify counted the deadline
/// (true: over a year without holiday data); null when the town gave the date (or before the field existed).
/// </summary>
public sealed record IssueAssigned(
    Guid IssueId, string UnitId, UnitKind UnitKind, string Measures, DateOnly Deadline,
    string ResponsibleOffice, string ResponsiblePerson, string? PreviousUnitId, Guid RoutingId, string? RuleId,
    Guid DeadlineId, Actor Actor, DateTimeOffset OccurredAt, bool? Provisional = null) : IIssueEvent;

/// <summary>
/// 签收: the holding unit took the issue on; for an escalation this starts the 3-working-day clock (Provisional: counted
/// over a year without holiday data), and the department names its measures, responsible office and person (null for an
/// assignment's acceptance, whose plan is the town's, and in events stored before departments gave them).
/// </summary>
public sealed record IssueAccepted(Guid IssueId, string UnitId, DateOnly Deadline, Guid DeadlineId, Actor Actor, DateTimeOffset OccurredAt,
    bool? Provisional = null, string? Measures = null, string? ResponsibleOffice = null, string? ResponsiblePerson = null) : IIssueEvent;

/// <summary>The holding unit changed its measures, responsible office or person (整改措施, 责任科室, 责任人): the plan in force after the change.</summary>
public sealed record IssuePlanChanged(Guid IssueId, string UnitId, string Measures, string ResponsibleOffice, string ResponsiblePerson,
    Actor Actor, DateTimeOffset OccurredAt) : IIssueEvent;

/// <summary>退回: the assigned unit handed the issue back to the town before accepting it.</summary>
public sealed record IssueReturned(Guid IssueId, string UnitId, string Reason, int ReturnCount, Actor Actor, DateTimeOffset OccurredAt) : IIssueEvent;

/// <summary>转办: the town could not solve it and transferred it to a district department, which must take it.</summary>
public sealed record IssueEscalated(
    Guid IssueId, string DepartmentId, string? FromUnitId, string Reason, Guid RoutingId, string? RuleId,
    Actor Actor, DateTimeOffset OccurredAt) : IIssueEvent;

/// <summary>The department holding an escalated issue asks the district to send it elsewhere; the status does not change.</summary>
public sealed record RerouteRequested(Guid IssueId, string DepartmentId, string Reason, Actor Actor, DateTimeOffset OccurredAt) : IIssueEvent;

/// <summary>A district supervisor sent the issue to another department, which must accept it anew.</summary>
public sealed record IssueRerouted(
    Guid IssueId, string FromDepartmentId, string ToDepartmentId, string Reason, Guid RoutingId, Actor Actor, DateTimeOffset OccurredAt) : IIssueEvent;

/// <summary>A district supervisor refused the re-routing request: the department keeps the issue.</summary>
public sealed record RerouteRejected(Guid IssueId, string DepartmentId, string Reason, Actor Actor, DateTimeOffset OccurredAt) : IIssueEvent;

/// <summary>A note on the work; naming a milestone's due date reports on that milestone of the roadmap.</summary>
public sealed record ProgressNoted(Guid IssueId, string Note, DateOnly? MilestoneDueDate, Actor Actor, DateTimeOffset OccurredAt) : IIssueEvent;

/// <summary>OutcomeId names this outcome: the feedback clock runs against it.</summary>
public sealed record IssueResolved(Guid IssueId, string UnitId, string Outcome, Guid OutcomeId, Actor Actor, DateTimeOffset OccurredAt) : IIssueEvent;

/// <summary>路线图、时间表: cannot be solved soon; the resident is given an explanation and dated milestones.</summary>
public sealed record IssueExplained(Guid IssueId, string UnitId, string Explanation, IReadOnlyList<Milestone> Milestones, Guid OutcomeId, Actor Actor, DateTimeOffset OccurredAt) : IIssueEvent;

/// <summary>延期: the holding unit asks, before its deadline, for a later one.</summary>
public sealed record ExtensionRequested(Guid IssueId, string UnitId, DateOnly CurrentDeadline, DateOnly NewDeadline, string Reason, Actor Actor, DateTimeOffset OccurredAt) : IIssueEvent;

/// <summary>The town (for its offices) or the district (for departments) moved the deadline.</summary>
public sealed record ExtensionApproved(Guid IssueId, DateOnly PreviousDeadline, DateOnly NewDeadline, Guid DeadlineId, Actor Actor, DateTimeOffset OccurredAt) : IIssueEvent;

public sealed record ExtensionRejected(Guid IssueId, DateOnly Deadline, string Reason, Actor Actor, DateTimeOffset OccurredAt) : IIssueEvent;

public enum SupervisionClock { Handling, Acceptance, Feedback, Milestone, Assignment }

/// <summary>
/// 督办: a clock ran out (the handling deadline, acceptance, feedback, a milestone). Level 1 notifies the unit and
/// the town; level 2, some working days later, the district supervisor. Recorded by Rectify itself.
/// </summary>
public sealed record DeadlineMissed(
    Guid IssueId, SupervisionClock Clock, Guid ClockId, int Level, DateOnly DueDate, string? UnitId,
    IReadOnlyList<string> NotifiedParties, Actor Actor, DateTimeOffset OccurredAt) : IIssueEvent;

/// <summary>反馈: the resident was told the outcome and gave their satisfaction with it.</summary>
public sealed record FeedbackRecorded(Guid IssueId, IssueOutcome Outcome, Satisfaction Satisfaction, string? Comment, Actor Actor, DateTimeOffset OccurredAt) : IIssueEvent;

/// <summary>The resident was dissatisfied: the holding unit works on it again under a new deadline.</summary>
public sealed record ReworkStarted(Guid IssueId, string UnitId, int ReworkCount, DateOnly Deadline, Guid DeadlineId, Actor Actor, DateTimeOffset OccurredAt, bool? Provisional = null) : IIssueEvent;

/// <summary>
/// A year's holiday notice was entered or changed and a running clock counted in working days now ends on another
/// date (the handling deadline Rectify counted, acceptance, feedback; never a date a person gave). The check for the
/// previous date does nothing; a new one is scheduled for this date. Recorded by Rectify itself.
/// </summary>
public sealed record DeadlineMoved(
    Guid IssueId, SupervisionClock Clock, Guid ClockId, DateOnly PreviousDueDate, DateOnly DueDate, bool Provisional,
    int CalendarYear, long CalendarVersion, string? Notice, Actor Actor, DateTimeOffset OccurredAt) : IIssueEvent;

/// <summary>办结 / 销号: struck off the ledger.</summary>
public sealed record IssueClosed(Guid IssueId, IssueOutcome Outcome, Satisfaction Satisfaction, Actor Actor, DateTimeOffset OccurredAt) : IIssueEvent;

/// <summary>
/// The resident's personal data (name, phone) was erased on request (个人信息删除): says when, by whom and why, never
/// what was erased. Changes no figure and no state of the issue's handling.
/// </summary>
public sealed record IssuePersonalDataErased(Guid IssueId, string Reason, Actor Actor, DateTimeOffset OccurredAt) : IIssueEvent;

public static class IssueEventNames
{
    /// <summary>Stable stored names: renaming a class must never orphan history. Never change a value.</summary>
    public static readonly IReadOnlyDictionary<Type, string> All = new Dictionary<Type, string>
    {
        [typeof(IssueCollected)] = "issue_collected.v1",
        [typeof(IssueResolvedOnSpot)] = "issue_resolved_on_spot.v2", // v1: IssueEventVersions
        [typeof(IssueAssigned)] = "issue_assigned.v1",
        [typeof(IssueAccepted)] = "issue_accepted.v1",
        [typeof(IssueReturned)] = "issue_returned.v1",
        [typeof(IssueEscalated)] = "issue_escalated.v1",
        [typeof(ProgressNoted)] = "issue_progress_noted.v1",
        [typeof(IssueResolved)] = "issue_resolved.v1",
        [typeof(IssueExplained)] = "issue_explained.v1",
        [typeof(FeedbackRecorded)] = "issue_feedback_recorded.v1",
        [typeof(ReworkStarted)] = "issue_rework_started.v1",
        [typeof(IssueClosed)] = "issue_closed.v1",
        [typeof(RerouteRequested)] = "issue_reroute_requested.v1",
        [typeof(IssueRerouted)] = "issue_rerouted.v1",
        [typeof(RerouteRejected)] = "issue_reroute_rejected.v1",
        [typeof(ExtensionRequested)] = "issue_extension_requested.v1",
        [typeof(ExtensionApproved)] = "issue_extension_approved.v1",
        [typeof(ExtensionRejected)] = "issue_extension_rejected.v1",
        [typeof(DeadlineMissed)] = "issue_deadline_missed.v1",
        [typeof(DeadlineMoved)] = "issue_deadline_moved.v1",
        [typeof(IssuePlanChanged)] = "issue_plan_changed.v1",
        [typeof(IssuePersonalDataErased)] = "issue_personal_data_erased.v1"
    };
}
