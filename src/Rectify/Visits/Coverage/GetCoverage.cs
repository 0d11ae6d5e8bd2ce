using Rectify.Querying;
using Marten;
using Rectify.Infrastructure;
using Rectify.ReferenceData;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using Wolverine.Http;

namespace Rectify.Visits.Coverage;

public sealed record GridCoverage(string GridId, string Name, int Households, int Visited, decimal Rate);

public sealed record CommunityCoverage(string CommunityId, string Name, int Households, int Visited, decimal Rate, IReadOnlyList<GridCoverage> Grids);

public sealed record TownCoverage(string TownId, string Name, int Households, int Visited, decimal Rate, IReadOnlyList<CommunityCoverage> Communities);

public sealed record DistrictCoverage(int Households, int Visited, decimal Rate, IReadOnlyList<TownCoverage> Towns);

/// <summary>入户率: households visited at least once over the households of each grid, community, town and the district.</summary>
public static class GetCoverageEndpoint
{
    [WolverineGet("/api/v1/coverage")]
    [Tags("Figures"), EndpointSummary("入户率: households visited at least once, by grid, community, town and for the district")]
    [ProducesResponseType<DistrictCoverage>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403)]
    public static async Task<IResult> Get(string? townId, string? format, HttpContext http, IQuerySession session, DistrictReferenceData references)
    {
        var errors = new Dictionary<string, string[]>();
        Exports.JsonOnly(format, errors);
        townId = Querying.Filters.Given(townId);
        if (townId is not null && references.FindTown(townId) is null) errors["townId"] = [$"Unknown town '{townId}'."];
        if (errors.Count > 0) return Problems.Invalid(errors);
        var visited = await Statistics.Tallies.TalliedFigures.VisitedPerGrid(session, references, townId, http.RequestAborted);
        var towns = references.Towns.Where(t => townId is null || t.Id == townId).Select(t => Town(t, visited)).ToList();
        var households = towns.Sum(t => t.Households);
        var count = towns.Sum(t => t.Visited);
        return TypedResults.Ok(new DistrictCoverage(households, count, Rate(count, households), towns));
    }

    private static TownCoverage Town(Town town, IReadOnlyDictionary<string, int> visited)
    {
        var communities = town.Communities.Select(c =>
        {
            var grids = c.Grids.Select(g =>
            {
                var v = visited.GetValueOrDefault(g.Id);
                return new GridCoverage(g.Id, g.Name, g.Households, v, Rate(v, g.Households));
            }).ToList();
            var households = grids.Sum(g => g.Households);
            var count = grids.Sum(g => g.Visited);
            return new CommunityCoverage(c.Id, c.Name, households, count, Rate(count, households), grids);
        }).ToList();
        var total = communities.Sum(c => c.Households);
        var seen = communities.Sum(c => c.Visited);
        return new TownCoverage(town.Id, town.Name, total, seen, Rate(seen, total), communities);
    }

    /// <summary>A share in percent with one decimal, as published (入户率100%).</summary>
    public static decimal Rate(int part, int whole) => whole == 0 ? 0.0m : Querying.Rates.Percent(part, whole);
}
