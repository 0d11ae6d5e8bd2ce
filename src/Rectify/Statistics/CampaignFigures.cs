using Rectify.Querying;
using Rectify.Issues;
using Rectify.Ledgers;

namespace Rectify.Statistics;

/// <summary>The figures officials publish, as they stood at a moment (domain time). Rates are percentages with one decimal.</summary>
/// <remarks>
/// The place figures (households, coverage, visits, leaflets, WeChat groups, policy posts) are the towns'; asked by a
/// department for its own figures they are null, since no department visits households.
/// </remarks>
public sealed record CampaignFigures(
    DateTimeOffset AsOf, string? TownId, string? DepartmentId, string? CategoryId,
    int? HouseholdsTotal, int? HouseholdsVisited, decimal? CoverageRate, int? Visits, int? Leaflets,
    int? WechatGroups, int? PolicyPosts, int ResolvedInGroups,
    int Ledger, int Closed, int ClosedResolved, int ClosedExplained, int InProgress, int ResolvedOnSpot, int Overdue,
    decimal? OnTimeRate, decimal? ResolutionRate, decimal? SatisfactionRate, DateTimeOffset? KnownAt = null);

/// <summary>The few fields of an issue summary that the figures read, loaded instead of whole documents.</summary>
public sealed class IssueFacts
{
    public string TownId { get; set; } = "";
    public List<string> Units { get; set; } = [];
    public Channel Channel { get; set; }
    public IssueOutcome? Outcome { get; set; }
    public bool InLedger { get; set; }
    public DateTimeOffset CollectedAt { get; set; }
    public DateTimeOffset? ResolvedOnSpotAt { get; set; }
    public DateTimeOffset? FirstOutcomeAt { get; set; }
    public bool? OnTime { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public List<FeedbackAt> Feedback { get; set; } = [];
    public List<OverdueSpan> OverdueSpans { get; set; } = [];
    public List<Holding> Holdings { get; set; } = [];

    /// <summary>The unit holding the issue at a moment (the last holder keeps it once the work is done).</summary>
    public string? HolderAt(DateTimeOffset moment) => Holdings.LastOrDefault(h => h.At(moment))?.UnitId;

    public static IQueryable<IssueFacts> Of(IQueryable<IssueSummary> issues) => issues.Select(s => new IssueFacts
    {
        TownId = s.State.TownId, Units = s.Units, Channel = s.State.Channel, Outcome = s.State.Outcome, InLedger = s.InLedger,
        CollectedAt = s.State.CollectedAt, ResolvedOnSpotAt = s.ResolvedOnSpotAt, FirstOutcomeAt = s.FirstOutcomeAt, OnTime = s.OnTime,
        ClosedAt = s.ClosedAt, Feedback = s.Feedback, OverdueSpans = s.OverdueSpans, Holdings = s.Holdings
    });
}

public sealed record IssueFigures(
    int Ledger, int Closed, int ClosedResolved, int ClosedExplained, int InProgress, int ResolvedOnSpot, int ResolvedInGroups, int Overdue,
    decimal? OnTimeRate, decimal? ResolutionRate, decimal? SatisfactionRate)
{
    /// <summary>Each figure as defined in docs/statistics.md, from the per-issue milestone timestamps.</summary>
    public static IssueFigures Of(IReadOnlyCollection<IssueFacts> issues, DateTimeOffset asOf)
    {
        // A settlement on the spot (or in a group) counts from its own time: until then the issue is in the ledger, so
        // every collected issue is either in the ledger or settled at any moment, and recording a settlement never
        // moves a figure for a moment before it.
        var ledger = issues.Where(i => i.CollectedAt <= asOf && !(i.ResolvedOnSpotAt <= asOf)).ToList();
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
            closed.Count(i => i.Outcome == IssueOutcome.Resolved),
            closed.Count(i => i.Outcome == IssueOutcome.Explained),
            ledger.Count - closed.Count,
            onSpot.Count(i => i.Channel != Channel.WechatGroup),
            onSpot.Count(i => i.Channel == Channel.WechatGroup),
            ledger.Count(i => i.OverdueSpans.Any(s => s.From <= asOf && (s.To is null || s.To > asOf))),
            Rate(withOutcome.Count(i => i.OnTime == true), withOutcome.Count),
            Rate(closed.Count, ledger.Count),
            Rate(satisfaction.Count(s => s is Satisfaction.Satisfied or Satisfaction.BasicallySatisfied), satisfaction.Count));
    }

    public static decimal? Rate(int part, int whole) => whole == 0 ? null : Rates.Percent(part, whole);
}
