namespace Rectify.Querying;

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

    /// <summary>How many rows come before this page.</summary>
    public int Skip => (Page - 1) * PageSize;

    /// <summary>
    /// Runs a query: in PostgreSQL over a read model, or in memory over documents folded from the events (knownAt),
    /// so one list code serves both.
    /// </summary>
    public static async Task<IReadOnlyList<T>> List<T>(IQueryable<T> query, CancellationToken cancellation) where T : notnull =>
        query is EnumerableQuery<T> ? query.ToList() : await Marten.QueryableExtensions.ToListAsync(query, cancellation);
}
