using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure;
using Rectify.Infrastructure.Requests;
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
    [EndpointSummary("Every recorded change of reference data; ?kind= narrows it")]
    [Tags("Reference data")]
    [ProducesResponseType<List<ReferenceChangeRow>>(StatusCodes.Status200OK)]
    [ProblemAnswers(403)]
    public static Ok<List<ReferenceChangeRow>> History(string? kind, ReferenceDataCache cache) =>
        TypedResults.Ok(cache.Timeline.History.Where(h => kind is null || h.ItemKind == kind).Select(ReferenceChangeRow.Of).ToList());

    [WolverineGet("/api/v1/routing-rules/{ruleId}/history")]
    [EndpointSummary("The recorded changes of a routing rule")]
    [Tags("Reference data")]
    [ProducesResponseType<List<ReferenceChangeRow>>(StatusCodes.Status200OK)]
    [ProblemAnswers(403, 404)]
    public static Results<Ok<List<ReferenceChangeRow>>, ProblemHttpResult> RuleHistory(string ruleId, ReferenceDataCache cache) =>
        Of(cache, "routing-rule", ruleId, "routing rule");

    [WolverineGet("/api/v1/units/{unitId}/history")]
    [EndpointSummary("The recorded changes of a unit (a department or a town's office)")]
    [Tags("Reference data")]
    [ProducesResponseType<List<ReferenceChangeRow>>(StatusCodes.Status200OK)]
    [ProblemAnswers(403, 404)]
    public static Results<Ok<List<ReferenceChangeRow>>, ProblemHttpResult> UnitHistory(string unitId, ReferenceDataCache cache) =>
        Of(cache, "unit", unitId, "unit");

    [WolverineGet("/api/v1/communities/{communityId}/history")]
    [EndpointSummary("The recorded changes of a community")]
    [Tags("Reference data")]
    [ProducesResponseType<List<ReferenceChangeRow>>(StatusCodes.Status200OK)]
    [ProblemAnswers(403, 404)]
    public static Results<Ok<List<ReferenceChangeRow>>, ProblemHttpResult> CommunityHistory(string communityId, ReferenceDataCache cache) =>
        Of(cache, "community", communityId, "community");

    [WolverineGet("/api/v1/grids/{gridId}/history")]
    [EndpointSummary("The recorded changes of a grid")]
    [Tags("Reference data")]
    [ProducesResponseType<List<ReferenceChangeRow>>(StatusCodes.Status200OK)]
    [ProblemAnswers(403, 404)]
    public static Results<Ok<List<ReferenceChangeRow>>, ProblemHttpResult> GridHistory(string gridId, ReferenceDataCache cache) =>
        Of(cache, "grid", gridId, "grid");

    private static Results<Ok<List<ReferenceChangeRow>>, ProblemHttpResult> Of(ReferenceDataCache cache, string kind, string id, string what)
    {
        var rows = cache.Timeline.HistoryOf(kind, id);
        return rows.Count == 0 ? Problems.NotFound(what, id) : TypedResults.Ok(rows.Select(ReferenceChangeRow.Of).ToList());
    }
}
