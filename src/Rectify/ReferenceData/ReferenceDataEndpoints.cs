using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure;
using Rectify.Infrastructure.Requests;
using Wolverine.Http;

namespace Rectify.ReferenceData;

public static class ReferenceDataEndpoints
{
    [AllowAnonymous]
    [WolverineGet("/api/v1/towns")]
    [EndpointSummary("The towns with their offices, communities, grids and households (on ?asOf=, default today)")]
    [Tags("Reference data")]
    [ProducesResponseType<List<TownView>>(StatusCodes.Status200OK)]
    [ProblemAnswers(400)]
    public static Results<Ok<List<TownView>>, ProblemHttpResult> GetTowns(string? asOf, ReferenceDataCache cache) =>
        ReferenceDataReading.Day(asOf, cache) is not { } day ? ReferenceDataReading.BadDay() : GetTowns(cache.AsOf(day));

    private static Ok<List<TownView>> GetTowns(DistrictReferenceData data) =>
        TypedResults.Ok(data.Towns.Select(t => new TownView(t.Id, t.Name, t.NameEn, t.Kind,
            t.Communities.Sum(c => c.Grids.Sum(g => g.Households)), t.Offices, t.Communities)).ToList());

    [AllowAnonymous]
    [WolverineGet("/api/v1/departments")]
    [EndpointSummary("The district departments and the categories each leads (on ?asOf=, default today)")]
    [Tags("Reference data")]
    [ProducesResponseType<List<DepartmentView>>(StatusCodes.Status200OK)]
    [ProblemAnswers(400)]
    public static Results<Ok<List<DepartmentView>>, ProblemHttpResult> GetDepartments(string? asOf, ReferenceDataCache cache) =>
        ReferenceDataReading.Day(asOf, cache) is not { } day ? ReferenceDataReading.BadDay() : GetDepartments(cache.AsOf(day));

    private static Ok<List<DepartmentView>> GetDepartments(DistrictReferenceData data) =>
        TypedResults.Ok(data.Departments.Select(d => new DepartmentView(d.Id, d.Name, d.NameEn, d.Kind,
            data.Categories.Where(c => c.LeadDepartmentId == d.Id).Select(c => c.Id).ToArray())).ToList());

    [AllowAnonymous]
    [WolverineGet("/api/v1/categories")]
    [EndpointSummary("The categories (kinds of problem) and their lead departments (on ?asOf=, default today)")]
    [Tags("Reference data")]
    [ProducesResponseType<IReadOnlyList<Category>>(StatusCodes.Status200OK)]
    [ProblemAnswers(400)]
    public static Results<Ok<IReadOnlyList<Category>>, ProblemHttpResult> GetCategories(string? asOf, ReferenceDataCache cache) =>
        ReferenceDataReading.Day(asOf, cache) is not { } day ? ReferenceDataReading.BadDay() : TypedResults.Ok(cache.AsOf(day).Categories);

    /// <summary>Every routing rule version, old ones included: the history of where problems were sent (with ?asOf= the ones in effect that day).</summary>
    [AllowAnonymous]
    [WolverineGet("/api/v1/routing-rules")]
    [EndpointSummary("Every routing rule version, or with ?asOf= those in effect that day")]
    [Tags("Reference data")]
    [ProducesResponseType<List<RoutingRule>>(StatusCodes.Status200OK)]
    [ProblemAnswers(400)]
    public static Results<Ok<List<RoutingRule>>, ProblemHttpResult> GetRoutingRules(string? asOf, ReferenceDataCache cache)
    {
        if (ReferenceDataReading.Day(asOf, cache) is not { } day) return ReferenceDataReading.BadDay();
        return TypedResults.Ok(cache.Current.RoutingRules.Where(r => asOf is null || r.InEffectOn(day))
            .OrderBy(r => r.CategoryId).ThenBy(r => r.TownId).ThenBy(r => r.EffectiveFrom).ToList());
    }
}
