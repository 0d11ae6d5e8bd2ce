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

/// <summary>Paging shared by every list: page from 1, pageSize from 1 to 200 (50 by default).</summary>
public sealed record Paging(int Page, int PageSize)
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
    public const int MaxPage = 100_000;

    public static Paging Read(int? page, int? pageSize, IDictionary<string, string[]> errors)
    {
        if (page is < 1 or > MaxPage) errors["page"] = [$"Must be between 1 and {MaxPage}."];
        if (pageSize is < 1 or > MaxPageSize) errors["pageSize"] = [$"Must be between 1 and {MaxPageSize}."];
        return new Paging(page ?? 1, pageSize ?? DefaultPageSize);
    }

    /// <summary>Every row, oldest collection first: what an export contains.</summary>
    public static async Task<IReadOnlyList<LedgerRow>> All(IQueryable<IssueSummary> issues, DistrictReferenceData references, CancellationToken cancellation) =>
        (await List(issues.OrderBy(s => s.State.CollectedAt).ThenBy(s => s.Id), cancellation)).Select(s => LedgerRow.Of(s, references)).ToList();

    /// <summary>
    /// Runs a query: in PostgreSQL over the read model, or in memory over the summaries knownAt folds from the events
    /// stored by then (<see cref="Statistics.KnownAt.IssueSummaries"/>), so one ledger code serves both.
    /// </summary>
    public static async Task<IReadOnlyList<T>> List<T>(IQueryable<T> query, CancellationToken cancellation) where T : notnull =>
        query is EnumerableQuery<T> ? query.ToList() : await query.ToListAsync(cancellation);

    /// <summary>The issues a ledger reads: the read model, or with knownAt the summaries as they stood once the events stored by then were applied.</summary>
    public static async Task<IQueryable<IssueSummary>> Summaries(IQuerySession session, DateTimeOffset? knownAt, CancellationToken cancellation) =>
        knownAt is { } known ? (await Statistics.KnownAt.IssueSummaries(session, known, cancellation)).AsQueryable() : session.Query<IssueSummary>();

    /// <summary>A page as JSON, or, asked for CSV or XLSX, every row and the totals of <paramref name="scope"/> as a spreadsheet named <paramref name="name"/>.</summary>
    public async Task<IResult> Answer(IQueryable<IssueSummary> issues, DistrictReferenceData references, Reports.Export export, string name, string scope,
        CancellationToken cancellation, DateTimeOffset? knownAt = null) =>
        export.IsJson
            ? TypedResults.Ok(await Read(issues, references, cancellation) with { KnownAt = knownAt })
            : Reports.Exports.File(name, await All(issues, references, cancellation),
                [(Reports.Exports.Known(scope, knownAt), await LedgerTotals.Of(issues, cancellation))], export);

    public async Task<LedgerPage> Read(IQueryable<IssueSummary> issues, DistrictReferenceData references, CancellationToken cancellation)
    {
        var totals = await LedgerTotals.Of(issues, cancellation);
        var page = await List(issues.OrderBy(s => s.State.CollectedAt).ThenBy(s => s.Id).Skip((Page - 1) * PageSize).Take(PageSize), cancellation);
        return new LedgerPage(Page, PageSize, totals.Collected, totals, page.Select(s => LedgerRow.Of(s, references)).ToList());
    }
}
