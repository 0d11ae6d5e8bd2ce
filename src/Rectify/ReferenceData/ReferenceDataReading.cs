using Microsoft.AspNetCore.Http.HttpResults;
using Rectify.Infrastructure;
using Wolverine.Http;

namespace Rectify.ReferenceData;

/// <summary>The history GETs, and the ?asOf= day of the reference GETs.</summary>
public static class ReferenceDataReading
{
    /// <summary>The day asked for (default today), or null when it is not a date.</summary>
    public static DateOnly? Day(string? asOf, ReferenceDataCache cache) =>
        string.IsNullOrWhiteSpace(asOf) ? cache.Today
        : DateOnly.TryParseExact(asOf.Trim(), "yyyy-MM-dd", out var day) ? day
        : null;

    public static ProblemHttpResult BadDay() => Problems.Invalid("asOf", "Must be a date written yyyy-MM-dd.");

    /// <summary>Every recorded change, newest last; ?kind= (routing-rule, unit, community, grid, district) narrows it.</summary>
    [WolverineGet("/api/v1/reference-data/history")]
    public static IResult History(string? kind, ReferenceDataCache cache) =>
        TypedResults.Ok(cache.Timeline.History.Where(h => kind is null || h.ItemKind == kind).Select(Row));

    [WolverineGet("/api/v1/routing-rules/{ruleId}/history")]
    public static IResult RuleHistory(string ruleId, ReferenceDataCache cache) => Of(cache, "routing-rule", ruleId, "routing rule");

    [WolverineGet("/api/v1/units/{unitId}/history")]
    public static IResult UnitHistory(string unitId, ReferenceDataCache cache) => Of(cache, "unit", unitId, "unit");

    [WolverineGet("/api/v1/communities/{communityId}/history")]
    public static IResult CommunityHistory(string communityId, ReferenceDataCache cache) => Of(cache, "community", communityId, "community");

    [WolverineGet("/api/v1/grids/{gridId}/history")]
    public static IResult GridHistory(string gridId, ReferenceDataCache cache) => Of(cache, "grid", gridId, "grid");

    private static IResult Of(ReferenceDataCache cache, string kind, string id, string what)
    {
        var rows = cache.Timeline.HistoryOf(kind, id);
        return rows.Count == 0 ? Problems.NotFound(what, id) : TypedResults.Ok(rows.Select(Row));
    }

    private static object Row(ReferenceChange c) => new
    {
        c.Version, c.Type, c.ItemKind, c.ItemId,
        EffectiveFrom = c.EffectiveFrom == DateOnly.MinValue ? (DateOnly?)null : c.EffectiveFrom,
        c.Reason, c.Actor, c.OccurredAt, c.Change
    };
}
