namespace Rectify.Querying;

/// <summary>Query parameters of the ledgers, search and statistics.</summary>
public static class Filters
{
    /// <summary>
    /// A parameter written with no value (<c>?townId=&amp;status=</c>, as forms and the issue's own route send them)
    /// means no filter, for every parameter alike.
    /// </summary>
    public static string? Given(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
