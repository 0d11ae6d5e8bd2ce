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
}

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
        summary.State = Issue.Next(snapshot?.State, data);
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
            case IssueAssigned or IssueEscalated or IssueRerouted when summary.State.UnitId is { } unit && !summary.Units.Contains(unit):
                summary.Units.Add(unit);
                break;
            case IssueClosed closed:
                summary.ClosedAt = closed.OccurredAt;
                summary.ClosedOn = WorkingCalendar.ShanghaiDate(closed.OccurredAt);
                break;
        }
        summary.InLedger = summary.State.Status != IssueStatus.ResolvedOnSpot;
        summary.Overdue = GetOverdueEndpoint.OpenOverdue(summary.State).Any();
        return summary;
    }
}
