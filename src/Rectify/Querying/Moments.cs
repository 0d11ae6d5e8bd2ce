using System.Globalization;
using System.Text.RegularExpressions;
using Rectify.Infrastructure;

namespace Rectify.Querying;

/// <summary>The moments a reader names in a query: asOf (domain time) and knownAt (stored time).</summary>
public static partial class Moments
{
    /// <summary>knownAt: a stored moment (ISO 8601 with an offset, or a date meaning the end of that day); null when not given.</summary>
    public static DateTimeOffset? ParseKnownAt(string? knownAt, IDictionary<string, string[]> errors)
    {
        if (Filters.Given(knownAt) is null) return null;
        var parsed = new Dictionary<string, string[]>();
        var moment = ParseAsOf(knownAt, TimeProvider.System, parsed);
        if (parsed.Count == 0) return moment;
        errors["knownAt"] = [parsed["asOf"][0].Replace("asOf", "knownAt")];
        return null;
    }

    /// <summary>asOf: an ISO 8601 moment with offset, or a date meaning the end of that day in Asia/Shanghai; now when empty.</summary>
    public static DateTimeOffset ParseAsOf(string? asOf, TimeProvider clock, IDictionary<string, string[]> errors, DateTimeOffset? knownAt = null)
    {
        // Without asOf the figures are those of the moment asked about: now, or the stored moment knownAt names.
        if (Filters.Given(asOf) is not { } text) return knownAt ?? clock.GetUtcNow();
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            && date.Year is >= Infrastructure.Requests.RequestCheck.MinYear and <= Infrastructure.Requests.RequestCheck.MaxYear)
            return Supervision.Clocks.EndOf(date).AddTicks(-1);
        if (IsoMoment().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var moment)
            && moment.Year is >= Infrastructure.Requests.RequestCheck.MinYear and <= Infrastructure.Requests.RequestCheck.MaxYear)
            return moment;
        errors["asOf"] = ["Must be a date (yyyy-MM-dd, meaning the end of that day) or an ISO 8601 moment with an offset (2022-07-31T18:00:00+08:00)."];
        return default;
    }

    /// <summary>ISO 8601 only: a date, T, a time to the minute, second or fraction, and Z or an offset; no culture's own ways of writing one.</summary>
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex IsoMoment();
}
