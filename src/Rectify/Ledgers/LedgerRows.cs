using Rectify.Querying;
using Marten;
using Rectify.Issues;
using Rectify.ReferenceData;

namespace Rectify.Ledgers;

/// <summary>
/// One issue as a ledger prints it: what, where (ids and names), who collected it, where it was routed with the
/// assignment's measures, responsible office and person (整改措施, 责任科室, 责任人), and where it stands.
/// </summary>
public sealed record LedgerRow(
    Guid IssueId, DateTimeOffset CollectedAt, DateOnly CollectedOn, string TownId, string? CommunityId, string? GridId,
    string CategoryId, string CategoryName, string Description, string Address, Channel Channel, string VisitorId,
    IssueStatus Status, string? UnitId, string? UnitName, DateOnly? Deadline, bool Overdue, IssueOutcome? Outcome,
    Satisfaction? Satisfaction, DateOnly? ClosedOn, string TownName, string? CommunityName, string? GridName,
    string? Measures, string? ResponsibleOffice, string? ResponsiblePerson)
{
    public static LedgerRow Of(IssueSummary s, DistrictReferenceData references) => new(
        s.Id, s.State.CollectedAt, s.CollectedOn, s.State.TownId, s.State.CommunityId, s.State.GridId, s.State.CategoryId,
        references.FindCategory(s.State.CategoryId)?.Name ?? s.State.CategoryId, s.Description,
        PersonalData.PersonalDataScope.Address(s.State, s.Address), s.State.Channel,
        s.VisitorId, s.State.Status, s.State.UnitId, s.State.UnitId is { } unit ? references.FindUnit(unit)?.Name : null,
        s.State.Deadline, s.Overdue, s.State.Outcome, s.State.Satisfaction, s.ClosedOn,
        references.FindTown(s.State.TownId)?.Name ?? s.State.TownId,
        s.State.CommunityId is { } community ? references.FindCommunity(community)?.Community.Name ?? community : null,
        s.State.GridId is { } grid ? references.FindGrid(grid)?.Grid.Name ?? grid : null,
        s.State.Measures, s.State.ResponsibleOffice, s.State.ResponsiblePerson);
}

/// <summary>
/// A ledger's headline counts. The problem ledger is every issue not resolved on the spot; closed and in progress
/// partition it; resolved on the spot (at a visit or on the hotline) and resolved inside a WeChat group are counted
/// apart, as the statistics count them.
/// </summary>
public sealed record LedgerTotals(int Collected, int InLedger, int Closed, int InProgress, int ResolvedOnSpot, int Overdue, int ResolvedInGroups)
{
    public static async Task<LedgerTotals> Of(IQueryable<IssueSummary> issues, CancellationToken cancellation) =>
        From(await Paging.List(Rows(issues), cancellation));

    /// <summary>The totals of every town in one query: a domain ledger shows them side by side.</summary>
    public static async Task<IReadOnlyDictionary<string, LedgerTotals>> ByTown(IQueryable<IssueSummary> issues, IEnumerable<string> townIds,
        CancellationToken cancellation)
    {
        var byTown = (await Paging.List(Rows(issues), cancellation)).ToLookup(r => r.TownId);
        return townIds.ToDictionary(t => t, t => From(byTown[t].ToList()));
    }

    private static IQueryable<TotalsRow> Rows(IQueryable<IssueSummary> issues) =>
        issues.Select(s => new TotalsRow { TownId = s.State.TownId, Status = s.State.Status, Channel = s.State.Channel, Overdue = s.Overdue });

    private static LedgerTotals From(IReadOnlyCollection<TotalsRow> rows)
    {
        var onSpot = rows.Where(r => r.Status == IssueStatus.ResolvedOnSpot).ToList();
        var inGroups = onSpot.Count(r => r.Channel == Channel.WechatGroup);
        var closed = rows.Count(r => r.Status == IssueStatus.Closed);
        var inLedger = rows.Count - onSpot.Count;
        return new LedgerTotals(rows.Count, inLedger, closed, inLedger - closed, onSpot.Count - inGroups, rows.Count(r => r.Overdue), inGroups);
    }

    private sealed class TotalsRow
    {
        public string TownId { get; set; } = "";
        public IssueStatus Status { get; set; }
        public Channel Channel { get; set; }
        public bool Overdue { get; set; }
    }
}

public sealed record LedgerPage(int Page, int PageSize, int Total, LedgerTotals Totals, IReadOnlyList<LedgerRow> Items, DateTimeOffset? KnownAt = null);
