using Rectify.ReferenceData;

namespace Rectify.Issues;

/// <summary>A clock a calendar change moved, and the date it ends on now.</summary>
public sealed record MovedClock(SupervisionClock Clock, Guid ClockId, DateOnly DueDate);

public enum IssueStatus { Collected, ResolvedOnSpot, Assigned, InProgress, Escalated, Resolved, Explained, Closed }

/// <summary>
/// The state of one issue that decisions need, folded from its event stream. Stored as an inline
/// snapshot so that reads and writes start from it without replaying the stream.
/// </summary>
public sealed record Issue
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public IssueStatus Status { get; init; }
    public string TownId { get; init; } = "";
    public string? CommunityId { get; init; }
    public string? GridId { get; init; }
    public string CategoryId { get; init; } = "";
    public Channel Channel { get; init; }
    public DateTimeOffset CollectedAt { get; init; }
    /// <summary>Domain time of the latest act: later acts may not be dated before it.</summary>
    public DateTimeOffset LastActAt { get; init; }
    /// <summary>The unit that holds the issue now; null while the town itself holds it.</summary>
    public string? UnitId { get; init; }
    public UnitKind? UnitKind { get; init; }
    public string? Measures { get; init; }
    public string? ResponsibleOffice { get; init; }
    public string? ResponsiblePerson { get; init; }
    public DateOnly? Deadline { get; init; }
    /// <summary>The current routing act (assignment, escalation, re-routing); deliveries for others are stale.</summary>
    public Guid? RoutingId { get; init; }
    public PendingReroute? PendingReroute { get; init; }
    /// <summary>The current handling deadline (set by assignment, acceptance of an escalation, rework or extension).</summary>
    public Guid? DeadlineId { get; init; }
    public IReadOnlyList<DeadlineChange> DeadlineHistory { get; init; } = [];
    /// <summary>Whether Rectify counted the current deadline in working days (it follows the calendar), not a person.</summary>
    public bool DeadlineCounted { get; init; }
    /// <summary>Clocks a calendar change moved, with their due date now: a check for another date does nothing.</summary>
    public IReadOnlyList<MovedClock> MovedClocks { get; init; } = [];
    public PendingExtension? PendingExtension { get; init; }
    /// <summary>The current outcome (resolution or explanation) awaiting feedback and, if explained, its milestones.</summary>
    public Guid? OutcomeId { get; init; }
    public IReadOnlyList<DateOnly> ReportedMilestones { get; init; } = [];
    /// <summary>Every clock that ran out, in order.</summary>
    public IReadOnlyList<Overdue> Overdue { get; init; } = [];
    public int ReturnCount { get; init; }
    /// <summary>When the issue was last returned to the town (退回): its re-assignment is due from then.</summary>
    public DateTimeOffset? ReturnedAt { get; init; }
    public int ReworkCount { get; init; }
    public IssueOutcome? Outcome { get; init; }
    /// <summary>Who recorded the current outcome; null while there is none.</summary>
    public OutcomeRecorder? OutcomeRecordedBy { get; init; }
    /// <summary>Extensions granted since the current handling deadline was set by routing, acceptance or rework.</summary>
    public int ExtensionsThisStage { get; init; }
    /// <summary>The client that asked for the pending extension, which may not decide it.</summary>
    public string? ExtensionRequestedBy { get; init; }
    /// <summary>The resident's satisfaction with the current outcome; null until asked.</summary>
    public Satisfaction? Satisfaction { get; init; }
    public IReadOnlyList<Milestone> Milestones { get; init; } = [];
    public Guid? RelatedIssueId { get; init; }
    /// <summary>The resident's personal data was erased on request: every read shows it as erased.</summary>
    public bool PersonalDataErased { get; init; }

    public static Issue Create(IssueCollected e) => new()
    {
        Id = e.IssueId,
        Status = IssueStatus.Collected,
        TownId = e.TownId,
        CommunityId = e.CommunityId,
        GridId = e.GridId,
        CategoryId = e.CategoryId,
        Channel = e.Channel,
        CollectedAt = e.OccurredAt,
        LastActAt = e.OccurredAt,
        RelatedIssueId = e.RelatedIssueId
    };

    public Issue Apply(IssueResolvedOnSpot e) => this with { Status = IssueStatus.ResolvedOnSpot, LastActAt = e.OccurredAt };

    public Issue Apply(IssueAssigned e) => this with
    {
        Status = IssueStatus.Assigned,
        RoutingId = e.RoutingId,
        UnitId = e.UnitId,
        UnitKind = e.UnitKind,
        Measures = e.Measures,
        ResponsibleOffice = e.ResponsibleOffice,
        ResponsiblePerson = e.ResponsiblePerson,
        Deadline = e.Deadline,
        DeadlineId = e.DeadlineId,
        DeadlineHistory = [.. DeadlineHistory, new DeadlineChange(e.Deadline, "assigned", e.OccurredAt)],
        DeadlineCounted = e.Provisional is not null,
        PendingExtension = null,
        ExtensionsThisStage = 0,
        LastActAt = e.OccurredAt
    };

    public Issue Apply(IssueAccepted e) => this with
    {
        Status = IssueStatus.InProgress,
        Deadline = e.Deadline,
        DeadlineId = e.DeadlineId,
        DeadlineHistory = e.DeadlineId == DeadlineId ? DeadlineHistory : [.. DeadlineHistory, new DeadlineChange(e.Deadline, "accepted", e.OccurredAt)],
        DeadlineCounted = e.DeadlineId == DeadlineId ? DeadlineCounted : true,
        // Accepting a town's assignment keeps its deadline and its stage; accepting an escalation starts a new one.
        ExtensionsThisStage = e.DeadlineId == DeadlineId ? ExtensionsThisStage : 0,
        Measures = e.Measures ?? Measures,
        ResponsibleOffice = e.ResponsibleOffice ?? ResponsibleOffice,
        ResponsiblePerson = e.ResponsiblePerson ?? ResponsiblePerson,
        LastActAt = e.OccurredAt
    };

    public Issue Apply(IssuePlanChanged e) => this with
    {
        Measures = e.Measures, ResponsibleOffice = e.ResponsibleOffice, ResponsiblePerson = e.ResponsiblePerson, LastActAt = e.OccurredAt
    };

    public Issue Apply(IssueReturned e) =>
        HandedTo(IssueStatus.Collected, null, null, null, e.OccurredAt) with { ReturnCount = e.ReturnCount, ReturnedAt = e.OccurredAt };

    public Issue Apply(IssueEscalated e) =>
        HandedTo(IssueStatus.Escalated, e.DepartmentId, ReferenceData.UnitKind.Department, e.RoutingId, e.OccurredAt);

    /// <summary>The issue changes hands: the new holder (or none) starts afresh, without the old holder's measures or deadline.</summary>
    private Issue HandedTo(IssueStatus status, string? unitId, UnitKind? kind, Guid? routingId, DateTimeOffset at) => this with
    {
        Status = status,
        UnitId = unitId,
        UnitKind = kind,
        RoutingId = routingId,
        Measures = null,
        ResponsibleOffice = null,
        ResponsiblePerson = null,
        Deadline = null,
        DeadlineId = null,
        DeadlineCounted = false,
        PendingExtension = null,
        PendingReroute = null,
        ExtensionsThisStage = 0,
        LastActAt = at
    };

    public Issue Apply(RerouteRequested e) => this with { PendingReroute = new PendingReroute(e.DepartmentId, e.Reason, e.OccurredAt), LastActAt = e.OccurredAt };

    public Issue Apply(RerouteRejected e) => this with { PendingReroute = null, LastActAt = e.OccurredAt };

    public Issue Apply(IssueRerouted e) =>
        HandedTo(IssueStatus.Escalated, e.ToDepartmentId, ReferenceData.UnitKind.Department, e.RoutingId, e.OccurredAt);

    public Issue Apply(ProgressNoted e) => this with
    {
        ReportedMilestones = e.MilestoneDueDate is { } due && !ReportedMilestones.Contains(due) ? [.. ReportedMilestones, due] : ReportedMilestones,
        LastActAt = e.OccurredAt
    };

    public Issue Apply(ExtensionRequested e) => this with
    {
        PendingExtension = new PendingExtension(e.NewDeadline, e.Reason, e.OccurredAt), ExtensionRequestedBy = e.Actor.ClientName, LastActAt = e.OccurredAt
    };

    public Issue Apply(ExtensionApproved e) => this with
    {
        Deadline = e.NewDeadline,
        DeadlineId = e.DeadlineId,
        DeadlineHistory = [.. DeadlineHistory, new DeadlineChange(e.NewDeadline, "extension", e.OccurredAt)],
        DeadlineCounted = false,
        PendingExtension = null,
        ExtensionsThisStage = ExtensionsThisStage + 1,
        LastActAt = e.OccurredAt
    };

    public Issue Apply(ExtensionRejected e) => this with { PendingExtension = null, LastActAt = e.OccurredAt };

    // A supervision notice is on the record: no later act may be dated before it, so that back-dating cannot
    // turn a late resolution into an on-time one or an extension asked too late into one asked in time.
    public Issue Apply(DeadlineMissed e) => this with
    {
        Overdue = [.. Overdue, new Overdue(e.Clock, e.ClockId, e.Level, e.DueDate, e.UnitId, e.OccurredAt)],
        LastActAt = e.OccurredAt > LastActAt ? e.OccurredAt : LastActAt
    };

    public Issue Apply(IssueResolved e) => this with
    {
        Status = IssueStatus.Resolved, Outcome = IssueOutcome.Resolved, OutcomeId = e.OutcomeId, Satisfaction = null,
        OutcomeRecordedBy = new OutcomeRecorder(e.Actor.ClientName, e.Actor.Role, e.UnitId, UnitKind),
        PendingExtension = null, LastActAt = e.OccurredAt
    };

    public Issue Apply(IssueExplained e) => this with
    {
        Status = IssueStatus.Explained,
        Outcome = IssueOutcome.Explained,
        OutcomeId = e.OutcomeId,
        OutcomeRecordedBy = new OutcomeRecorder(e.Actor.ClientName, e.Actor.Role, e.UnitId, UnitKind),
        Satisfaction = null,
        Milestones = e.Milestones,
        ReportedMilestones = [],
        PendingExtension = null,
        LastActAt = e.OccurredAt
    };

    public Issue Apply(FeedbackRecorded e) => this with { Satisfaction = e.Satisfaction, LastActAt = e.OccurredAt };

    public Issue Apply(ReworkStarted e) => this with
    {
        Status = IssueStatus.InProgress,
        ReworkCount = e.ReworkCount,
        Deadline = e.Deadline,
        DeadlineId = e.DeadlineId,
        DeadlineHistory = [.. DeadlineHistory, new DeadlineChange(e.Deadline, "rework", e.OccurredAt)],
        DeadlineCounted = true,
        ExtensionsThisStage = 0,
        Outcome = null,
        OutcomeId = null,
        OutcomeRecordedBy = null,
        Satisfaction = null,
        LastActAt = e.OccurredAt
    };

    public Issue Apply(DeadlineMoved e)
    {
        var handling = e.Clock == SupervisionClock.Handling && e.ClockId == DeadlineId;
        return this with
        {
            Deadline = handling ? e.DueDate : Deadline,
            DeadlineHistory = handling ? [.. DeadlineHistory, new DeadlineChange(e.DueDate, "calendar", e.OccurredAt)] : DeadlineHistory,
            MovedClocks = [.. MovedClocks.Where(m => m.Clock != e.Clock || m.ClockId != e.ClockId), new MovedClock(e.Clock, e.ClockId, e.DueDate)]
        };
    }

    /// <summary>The due date a calendar change gave this clock, or null when none moved it.</summary>
    public DateOnly? MovedDueDate(SupervisionClock clock, Guid clockId) =>
        MovedClocks.LastOrDefault(m => m.Clock == clock && m.ClockId == clockId)?.DueDate;

    public Issue Apply(IssueClosed e) => this with { Status = IssueStatus.Closed, LastActAt = e.OccurredAt };

    /// <summary>Not an act on the problem: the latest act's time and every figure stay as they were.</summary>
    public Issue Apply(IssuePersonalDataErased e) => this with { PersonalDataErased = true };

    /// <summary>The same fold Marten runs, for the decisions' callers and for tests.</summary>
    public static Issue Next(Issue? state, object @event)
    {
        var next = (state, @event) switch
        {
            (null, IssueCollected e) => Create(e),
            (null, _) => throw new InvalidOperationException($"An issue stream must start with {nameof(IssueCollected)}."),
            (_, IssueResolvedOnSpot e) => state.Apply(e),
            (_, IssueAssigned e) => state.Apply(e),
            (_, IssueAccepted e) => state.Apply(e),
            (_, IssueReturned e) => state.Apply(e),
            (_, IssueEscalated e) => state.Apply(e),
            (_, ProgressNoted e) => state.Apply(e),
            (_, IssueResolved e) => state.Apply(e),
            (_, IssueExplained e) => state.Apply(e),
            (_, FeedbackRecorded e) => state.Apply(e),
            (_, ReworkStarted e) => state.Apply(e),
            (_, IssueClosed e) => state.Apply(e),
            (_, RerouteRequested e) => state.Apply(e),
            (_, RerouteRejected e) => state.Apply(e),
            (_, IssueRerouted e) => state.Apply(e),
            (_, ExtensionRequested e) => state.Apply(e),
            (_, ExtensionApproved e) => state.Apply(e),
            (_, ExtensionRejected e) => state.Apply(e),
            (_, DeadlineMissed e) => state.Apply(e),
            (_, DeadlineMoved e) => state.Apply(e),
            (_, IssuePlanChanged e) => state.Apply(e),
            (_, IssuePersonalDataErased e) => state.Apply(e),
            _ => throw new InvalidOperationException($"Unknown issue event {@event.GetType().Name}.")
        };
        return next with { Version = (state?.Version ?? 0) + 1 };
    }

    public static Issue Fold(IEnumerable<object> events) => events.Aggregate((Issue?)null, Next)!;
}
