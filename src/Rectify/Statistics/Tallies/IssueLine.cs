using Rectify.Issues;
using Rectify.Ledgers;

namespace Rectify.Statistics.Tallies;

/// <summary>
/// What one issue adds to each issue figure over time, from its summary: a step function that changes only at the
/// summary's milestones (collected, settled, holder changes, first outcome, feedback, overdue spans, closed). Each
/// step is written as a delta on the line of its town, category and holder, so the figures as of a moment are sums
/// of deltas up to it. The predicates are those of <see cref="IssueFigures.Of"/>, word for word.
/// </summary>
public static class IssueLine
{
    public const int Ledger = 0, Closed = 1, ClosedResolved = 2, ClosedExplained = 3, OnSpot = 4, InGroups = 5, Overdue = 6,
        WithOutcome = 7, OnTime = 8, Feedback = 9, Satisfied = 10;

    /// <summary>An issue line: category and the unit holding the issue ("" while none does).</summary>
    public static string Of(string categoryId, string? holder) => $"i|{categoryId}|{holder}";

    public static (string CategoryId, string Holder)? Parse(string line)
    {
        if (!line.StartsWith("i|", StringComparison.Ordinal)) return null;
        var bar = line.IndexOf('|', 2);
        return (line[2..bar], line[(bar + 1)..]);
    }

    private static readonly IssueSummaryProjection Summaries = new();

    /// <summary>An issue's summary after the given events of its stream, folded with the code that builds <see cref="IssueSummary"/>.</summary>
    public static IssueSummary? Fold(Guid id, IEnumerable<JasperFx.Events.IEvent> events) =>
        events.Aggregate((IssueSummary?)null, (summary, e) => Summaries.Evolve(summary, id, e));

    /// <summary>The issue's line at a moment: its category and the unit holding it then.</summary>
    public static string At(IssueSummary s, DateTimeOffset moment) => Of(s.State.CategoryId, s.Holdings.LastOrDefault(h => h.At(moment))?.UnitId);

    /// <summary>The issue's steps: at each milestone, what changed on which line (zero steps left out).</summary>
    public static IEnumerable<(DateTimeOffset At, string Line, int[] Delta)> Steps(IssueSummary s)
    {
        var moments = new SortedSet<DateTimeOffset> { s.State.CollectedAt };
        void Add(DateTimeOffset? at) { if (at is { } a) moments.Add(a); }
        Add(s.ResolvedOnSpotAt);
        Add(s.ClosedAt);
        Add(s.FirstOutcomeAt);
        foreach (var f in s.Feedback) Add(f.At);
        foreach (var span in s.OverdueSpans) { Add(span.From); Add(span.To); }
        foreach (var h in s.Holdings) { Add(h.From); Add(h.To); }

        string? line = null;
        var before = new int[Tally.Width];
        foreach (var at in moments)
        {
            var now = Vector(s, at);
            var next = At(s, at);
            if (next == line)
            {
                var delta = Tally.Minus(now, before);
                if (!Tally.IsZero(delta)) yield return (at, next, delta);
            }
            else
            {
                if (line is not null && !Tally.IsZero(before)) yield return (at, line, Tally.Minus(new int[Tally.Width], before));
                if (!Tally.IsZero(now)) yield return (at, next, now);
            }
            (line, before) = (next, now);
        }
    }

    /// <summary>The issue's contribution to each figure at a moment.</summary>
    public static int[] Vector(IssueSummary s, DateTimeOffset asOf)
    {
        var v = new int[Tally.Width];
        var ledger = s.State.CollectedAt <= asOf && !(s.ResolvedOnSpotAt <= asOf);
        var closed = ledger && s.ClosedAt <= asOf;
        var onSpot = s.ResolvedOnSpotAt <= asOf;
        var withOutcome = ledger && s.FirstOutcomeAt <= asOf;
        v[Ledger] = ledger ? 1 : 0;
        v[Closed] = closed ? 1 : 0;
        v[ClosedResolved] = closed && s.State.Outcome == IssueOutcome.Resolved ? 1 : 0;
        v[ClosedExplained] = closed && s.State.Outcome == IssueOutcome.Explained ? 1 : 0;
        v[OnSpot] = onSpot && s.State.Channel != Channel.WechatGroup ? 1 : 0;
        v[InGroups] = onSpot && s.State.Channel == Channel.WechatGroup ? 1 : 0;
        v[Overdue] = ledger && s.OverdueSpans.Any(span => span.From <= asOf && (span.To is null || span.To > asOf)) ? 1 : 0;
        v[WithOutcome] = withOutcome ? 1 : 0;
        v[OnTime] = withOutcome && s.OnTime == true ? 1 : 0;
        if (ledger)
        {
            var answers = s.Feedback.Where(f => f.At <= asOf && f.Satisfaction != Satisfaction.Unreachable).ToList();
            v[Feedback] = answers.Count;
            v[Satisfied] = answers.Count(f => f.Satisfaction is Satisfaction.Satisfied or Satisfaction.BasicallySatisfied);
        }
        return v;
    }

    /// <summary>The issue figures from summed issue lines.</summary>
    public static IssueFigures Figures(int[] v) => new(
        v[Ledger], v[Closed], v[ClosedResolved], v[ClosedExplained], v[Ledger] - v[Closed], v[OnSpot], v[InGroups], v[Overdue],
        IssueFigures.Rate(v[OnTime], v[WithOutcome]), IssueFigures.Rate(v[Closed], v[Ledger]), IssueFigures.Rate(v[Satisfied], v[Feedback]));
}

/// <summary>A line's counters: eleven for an issue line; the place line uses the first five.</summary>
public static class Tally
{
    public const int Width = 11;

    /// <summary>The place line of a town: visits, leaflets, WeChat groups, policy posts, households first visited.</summary>
    public const string Places = "p";
    public const int Visits = 0, Leaflets = 1, Groups = 2, Posts = 3, FirstVisits = 4;

    public static int[] Minus(int[] a, int[] b) => [.. a.Zip(b, (x, y) => x - y)];

    public static bool IsZero(int[] v) => v.All(x => x == 0);

    public static void AddTo(int[] sum, IReadOnlyList<long> v)
    {
        for (var i = 0; i < Width; i++) sum[i] += (int)v[i];
    }
}
