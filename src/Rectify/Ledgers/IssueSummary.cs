using JasperFx.Events;
using Marten.Events.Aggregation;
using Rectify.Calendar;
using Rectify.Issues;
using Rectify.ReferenceData;
using Rectify.Supervision;

namespace Rectify.Ledgers;

/// <summary>
/// One row per issue for every ledger and search: the issue's state plus what people read in a ledger
/// (description, address, visitor, the days it was collected and closed, every unit that held it).
/// Updated inline with the events, so a ledger read right after a command sees it.
/// </summary>
public sealed class IssueSummary
{
    public Guid Id { get; set; }
    public Issue State { get; set; } = null!;
    public string Description { get; set; } = "";
    public string Address { get; set; } = "";
    public string VisitorId { get; set; } = "";
    public string? HouseholdId { get; set; }
    public Guid? WechatGroupId { get; set; }
    /// <summary>Asia/Shanghai date of collection: the day of the town's daily ledger.</summary>
    public DateOnly CollectedOn { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public DateOnly? ClosedOn { get; set; }
    /// <summary>Every unit that held the issue (assigned, escalated, re-routed): a department's ledger lists them all.</summary>
    public List<string> Units { get; set; } = [];
    /// <summary>A supervision clock ran out and what was due is still not done.</summary>
    public bool Overdue { get; set; }
    /// <summary>In the problem ledger (台账): everything not resolved on the spot.</summary>
    public bool InLedger { get; set; }

    // Milestone timestamps (domain time), so that figures "as of" any moment need no event scan.
    public DateTimeOffset? ResolvedOnSpotAt { get; set; }
    /// <summary>When the first outcome (resolution or explanation) was given, and whether by the deadline then in force.</summary>
    public DateTimeOffset? FirstOutcomeAt { get; set; }
    public bool? OnTime { get; set; }
    /// <summary>Every feedback, in order: the satisfaction as of a moment is the latest one recorded by then.</summary>
    public List<FeedbackAt> Feedback { get; set; } = [];
    /// <summary>The periods during which a supervision clock had run out and what was due was not done.</summary>
    public List<OverdueSpan> OverdueSpans { get; set; } = [];
    /// <summary>Who held the issue when: a department is judged on what it held at the moment asked about.</summary>
    public List<Holding> Holdings { get; set; } = [];
}

public sealed record Holding(string UnitId, DateTimeOffset From, DateTimeOffset? To)
{
    public bool At(DateTimeOffset moment) => From <= moment && (To is null || To > moment);
}

public sealed record FeedbackAt(DateTimeOffset At, Satisfaction Satisfaction);

public sealed record OverdueSpan(DateTimeOffset From, DateTimeOffset? To);

public sealed class IssueSummaryProjection : SingleStreamProjection<IssueSummary, Guid>
{
    public IssueSummaryProjection()
    {
        foreach (var type in IssueEventNames.All.Keys) IncludeType(type);
    }

    public override IssueSummary Evolve(IssueSummary? snapshot, Guid id, IEvent e)
    {
        if (e.Data is not IIssueEvent data) return snapshot!;
        var summary = snapshot ?? new IssueSummary { Id = id };
        var before = snapshot?.State;
        summary.State = Issue.Next(before, data);
        switch (data)
        {
            case IssueCollected c:
                summary.Description = c.Description;
                summary.Address = c.Address;
                summary.VisitorId = c.VisitorId;
                summary.HouseholdId = c.HouseholdId;
                summary.WechatGroupId = c.WechatGroupId;
                summary.CollectedOn = WorkingCalendar.ShanghaiDate(c.OccurredAt);
                break;
            case IssueAssigned or IssueEscalated or IssueRerouted or IssueReturned:
                if (summary.Holdings.Count > 0 && summary.Holdings[^1].To is null)
                    summary.Holdings[^1] = summary.Holdings[^1] with { To = data.OccurredAt };
                if (summary.State.UnitId is { } unit)
                {
                    summary.Holdings.Add(new Holding(unit, data.OccurredAt, null));
                    if (!summary.Units.Contains(unit)) summary.Units.Add(unit);
                }
                break;
            case IssueClosed closed:
                summary.ClosedAt = closed.OccurredAt;
                summary.ClosedOn = WorkingCalendar.ShanghaiDate(closed.OccurredAt);
                break;
            case IssueResolvedOnSpot onSpot:
                summary.ResolvedOnSpotAt = onSpot.OccurredAt;
                break;
            case IssueResolved or IssueExplained when summary.FirstOutcomeAt is null:
                summary.FirstOutcomeAt = data.OccurredAt;
                summary.OnTime = before?.Deadline is not { } deadline || WorkingCalendar.ShanghaiDate(data.OccurredAt) <= deadline;
                break;
            case FeedbackRecorded feedback:
                summary.Feedback.Add(new FeedbackAt(feedback.OccurredAt, feedback.Satisfaction));
                break;
        }
        summary.InLedger = summary.State.Status != IssueStatus.ResolvedOnSpot;
        var wasOverdue = summary.Overdue;
        var open = SupervisionCheck.OpenOverdue(summary.State).ToList();
        summary.Overdue = open.Count > 0;
        if (summary.Overdue) OverdueSince(summary.OverdueSpans, open.Min(o => Clocks.EndOf(o.DueDate)));
        else if (wasOverdue) summary.OverdueSpans[^1] = summary.OverdueSpans[^1] with { To = data.OccurredAt };
        return summary;
    }

    /// <summary>
    /// The issue is overdue since its earliest missed deadline still running (the end of its due date), whatever order
    /// the notices were appended in: a notice recorded late, or a second clock's notice recorded first, moves the span's
    /// start back, and a span it reaches into is continued rather than a new one begun.
    /// </summary>
    private static void OverdueSince(List<OverdueSpan> spans, DateTimeOffset missedAt)
    {
        if (spans.Count > 0 && (spans[^1].To is null || spans[^1].To >= missedAt))
            spans[^1] = new OverdueSpan(spans[^1].From < missedAt ? spans[^1].From : missedAt, null);
        else
            spans.Add(new OverdueSpan(missedAt, null));
    }
}
