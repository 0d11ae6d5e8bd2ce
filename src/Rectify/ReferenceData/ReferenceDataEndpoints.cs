using Microsoft.AspNetCore.Authorization;
using Rectify.Infrastructure;
using Wolverine.Http;

namespace Rectify.ReferenceData;

public static class ReferenceDataEndpoints
{
    [AllowAnonymous]
    [WolverineGet("/api/v1/towns")]
    public static IResult GetTowns(string? asOf, ReferenceDataCache cache) =>
        ReferenceDataReading.Day(asOf, cache) is not { } day ? ReferenceDataReading.BadDay() : GetTowns(cache.AsOf(day));

    private static IResult GetTowns(DistrictReferenceData data) =>
        TypedResults.Ok(data.Towns.Select(t => new
        {
            t.Id,
            t.Name,
            t.NameEn,
            t.Kind,
            Households = t.Communities.Sum(c => c.Grids.Sum(g => g.Households)),
            t.Offices,
            t.Communities
        }));

    [AllowAnonymous]
    [WolverineGet("/api/v1/departments")]
    public static IResult GetDepartments(string? asOf, ReferenceDataCache cache) =>
        ReferenceDataReading.Day(asOf, cache) is not { } day ? ReferenceDataReading.BadDay() : GetDepartments(cache.AsOf(day));

    private static IResult GetDepartments(DistrictReferenceData data) =>
        TypedResults.Ok(data.Departments.Select(d => new
        {
            d.Id,
            d.Name,
            d.NameEn,
            d.Kind,
            LeadsCategoryIds = data.Categories.Where(c => c.LeadDepartmentId == d.Id).Select(c => c.Id).ToArray()
        }));

    [AllowAnonymous]
    [WolverineGet("/api/v1/categories")]
    public static IResult GetCategories(string? asOf, ReferenceDataCache cache) =>
        ReferenceDataReading.Day(asOf, cache) is not { } day ? ReferenceDataReading.BadDay() : GetCategories(cache.AsOf(day));

    private static IResult GetCategories(DistrictReferenceData data) => TypedResults.Ok(data.Categories);

    /// <summary>Every routing rule version, old ones included: the history of where problems were sent (with ?asOf= the ones in effect that day).</summary>
    [AllowAnonymous]
    [WolverineGet("/api/v1/routing-rules")]
    public static IResult GetRoutingRules(string? asOf, ReferenceDataCache cache)
    {
        if (ReferenceDataReading.Day(asOf, cache) is not { } day) return ReferenceDataReading.BadDay();
        return TypedResults.Ok(cache.Current.RoutingRules.Where(r => asOf is null || r.InEffectOn(day))
            .OrderBy(r => r.CategoryId).ThenBy(r => r.TownId).ThenBy(r => r.EffectiveFrom));
    }
}
