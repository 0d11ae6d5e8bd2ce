using Rectify.Issues;
using Rectify.Ledgers;

namespace Rectify.Statistics;

/// <summary>The figures officials publish, as they stood at a moment (domain time). Rates are percentages with one decimal.</summary>
public sealed record CampaignFigures(
    DateTimeOffset AsOf, string? TownId, string? DepartmentId, string? CategoryId,
    int HouseholdsTotal, int HouseholdsVisited, decimal CoverageRate, int Visits, int Leaflets,
    int WechatGroups, int PolicyPosts, int ResolvedInGroups,
    int Ledger, int Closed, int ClosedResolved, int ClosedExplained, int InProgress, int ResolvedOnSpot, int Overdue,
    decimal? OnTimeRate, decimal? ResolutionRate, decimal? SatisfactionRate);

public sealed record IssueFigures(
    int Ledger, int Closed, int ClosedResolved, int ClosedExplained, int InProgress, int ResolvedOnSpot, int ResolvedInGroups, int Overdue,
    decimal? OnTimeRate, decimal? ResolutionRate, decimal? SatisfactionRate)
{
    /// <summary>Each figure as defined in docs/statistics.md, from the per-issue milestone timestamps.</summary>
    public static IssueFigures Of(IReadOnlyCollection<IssueSummary> issues, DateTimeOffset asOf)
    {
        var ledger = issues.Where(i => i.InLedger && i.State.CollectedAt <= asOf).ToList();
        var closed = ledger.Where(i => i.ClosedAt <= asOf).ToList();
        var onSpot = issues.Where(i => i.ResolvedOnSpotAt <= asOf).ToList();
        var withOutcome = ledger.Where(i => i.FirstOutcomeAt <= asOf).ToList();
        // Every answer counts, a dissatisfied one before a rework too; residents who could not be reached do not.
        var satisfaction = ledger
            .SelectMany(i => i.Feedback.Where(f => f.At <= asOf && f.Satisfaction != Satisfaction.Unreachable).Select(f => f.Satisfaction))
            .ToList();

        return new IssueFigures(
            ledger.Count,
            closed.Count,
            closed.Count(i => i.State.Outcome == IssueOutcome.Resolved),
            closed.Count(i => i.State.Outcome == IssueOutcome.Explained),
            ledger.Count - closed.Count,
            onSpot.Count(i => i.State.Channel != Channel.WechatGroup),
            onSpot.Count(i => i.State.Channel == Channel.WechatGroup),
            ledger.Count(i => i.OverdueSpans.Any(s => s.From <= asOf && (s.To is null || s.To > asOf))),
            Rate(withOutcome.Count(i => i.OnTime == true), withOutcome.Count),
            Rate(closed.Count, ledger.Count),
            Rate(satisfaction.Count(s => s is Satisfaction.Satisfied or Satisfaction.BasicallySatisfied), satisfaction.Count));
    }

    public static decimal? Rate(int part, int whole) => whole == 0 ? null : Math.Round(100m * part / whole, 1);
}
