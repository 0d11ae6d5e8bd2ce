using Marten;
using Rectify.Querying;
using Rectify.ReferenceData;

namespace Rectify.Ledgers;

/// <summary>A ledger's page, or every row of it for an export, over the read model or as known at a stored moment.</summary>
public static class LedgerPages
{
    /// <summary>Every row, oldest collection first: what an export contains.</summary>
    public static async Task<IReadOnlyList<LedgerRow>> All(IQueryable<IssueSummary> issues, DistrictReferenceData references, CancellationToken cancellation) =>
        (await Paging.List(issues.OrderBy(s => s.State.CollectedAt).ThenBy(s => s.Id), cancellation)).Select(s => LedgerRow.Of(s, references)).ToList();

    /// <summary>The issues a ledger reads: the read model, or with knownAt the summaries as they stood once the events stored by then were applied.</summary>
    public static async Task<IQueryable<IssueSummary>> Summaries(IQuerySession session, DateTimeOffset? knownAt, CancellationToken cancellation) =>
        knownAt is { } known ? (await Statistics.KnownAt.IssueSummaries(session, known, cancellation)).AsQueryable() : session.Query<IssueSummary>();

    /// <summary>A page as JSON, or, asked for CSV or XLSX, every row and the totals of <paramref name="scope"/> as a spreadsheet named <paramref name="name"/>.</summary>
    public static async Task<IResult> Answer(this Paging paging, IQueryable<IssueSummary> issues, DistrictReferenceData references, Export export, string name,
        string scope, CancellationToken cancellation, DateTimeOffset? knownAt = null) =>
        export.IsJson
            ? TypedResults.Ok(await paging.Read(issues, references, cancellation) with { KnownAt = knownAt })
            : LedgerSheets.File(name, await All(issues, references, cancellation),
                [(Exports.Known(scope, knownAt), await LedgerTotals.Of(issues, cancellation))], export);

    public static async Task<LedgerPage> Read(this Paging paging, IQueryable<IssueSummary> issues, DistrictReferenceData references, CancellationToken cancellation)
    {
        var totals = await LedgerTotals.Of(issues, cancellation);
        var page = await Paging.List(issues.OrderBy(s => s.State.CollectedAt).ThenBy(s => s.Id).Skip(paging.Skip).Take(paging.PageSize), cancellation);
        return new LedgerPage(paging.Page, paging.PageSize, totals.Collected, totals, page.Select(s => LedgerRow.Of(s, references)).ToList());
    }
}
