using Rectify.Querying;
using System.Globalization;
using System.Text.RegularExpressions;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Calendar;
using Rectify.Infrastructure;
using Rectify.Ledgers;
using Rectify.ReferenceData;
using Rectify.Visits.Coverage;
using Rectify.Infrastructure.Requests;
using Wolverine.Http;

namespace Rectify.Statistics;

public sealed record RankedUnit(
    string Id, string Name, int Ledger, int Closed, decimal? OnTimeRate, decimal? ResolutionRate, decimal? SatisfactionRate,
    int OnTimeRank, int ResolutionRank, int SatisfactionRank);

public sealed record Rankings(DateTimeOffset AsOf, IReadOnlyList<RankedUnit> Towns, IReadOnlyList<RankedUnit> Departments, DateTimeOffset? KnownAt = null);

/// <summary>考核: the campaign's figures as of any moment, and towns and departments ranked by the three rates.</summary>
public static partial class StatisticsEndpoints
{
    [WolverineGet("/api/v1/statistics")]
    [EndpointSummary("The campaign's figures as of a moment, for the district or one town, department or category; JSON, CSV or XLSX")]
    [Tags("Figures")]
    [ProducesResponseType<CampaignFigures>(StatusCodes.Status200OK)]
    [FileAnswers(StatusCodes.Status200OK, FileAnswersAttribute.Csv, FileAnswersAttribute.Xlsx)]
    [ProblemAnswers(400, 403)]
    public static async Task<Results<Ok<CampaignFigures>, FileContentHttpResult, ProblemHttpResult>> Get(string? asOf, string? knownAt, string? townId, string? departmentId, string? categoryId, string? format,
        HttpContext http, IQuerySession session, DistrictReferenceData references, TimeProvider clock)
    {
        var errors = new Dictionary<string, string[]>();
        var export = Exports.Parse(format, null, StatisticsSheets.StatisticsParts, errors);
        var known = Moments.ParseKnownAt(knownAt, errors);
        var moment = Moments.ParseAsOf(asOf, clock, errors, known);
        townId = Filters.Given(townId);
        departmentId = Filters.Given(departmentId);
        categoryId = Filters.Given(categoryId);
        if (townId is not null && references.FindTown(townId) is null) errors["townId"] = [$"Unknown town '{townId}'."];
        if (departmentId is not null && references.FindDepartment(departmentId) is null) errors["departmentId"] = [$"Unknown department '{departmentId}'."];
        if (categoryId is not null && references.FindCategory(categoryId) is null) errors["categoryId"] = [$"Unknown category '{categoryId}'."];
        if (errors.Count > 0) return Problems.Invalid(errors);

        var figures = await Figures(session, references, moment, townId, departmentId, categoryId, http.RequestAborted, known);
        // A department's figures are those of the issues it held; the place figures are the towns', not the department's.
        if (Identity.Access.ReadScope.Of(Identity.ApiKeyAuthentication.ActorOf(http)).DepartmentId is not null)
            figures = figures with
            {
                HouseholdsTotal = null, HouseholdsVisited = null, CoverageRate = null, Visits = null, Leaflets = null,
                WechatGroups = null, PolicyPosts = null
            };
        if (export.IsJson) return TypedResults.Ok(figures);
        // A file for one town, department or category says so in its name and in its first row.
        string[] ids = [.. new[] { townId, departmentId, categoryId }.OfType<string>()];
        string[] names = [.. new[] { townId is null ? null : references.FindTown(townId)!.Name, departmentId is null ? null : references.FindDepartment(departmentId)!.Name,
            categoryId is null ? null : references.FindCategory(categoryId)!.Name }.OfType<string>()];
        var scope = names.Length == 0 ? $"{references.District.Name}（全区）" : string.Join(" ", names);
        return Exports.File(string.Join("-", ["statistics", .. ids, $"{WorkingCalendar.ShanghaiDate(moment):yyyy-MM-dd}"]),
            StatisticsSheets.Figures(figures, scope), export);
    }

    [WolverineGet("/api/v1/statistics/rankings")]
    [EndpointSummary("Towns and departments ranked by the on-time, resolution and satisfaction rates; JSON, CSV or XLSX")]
    [Tags("Figures")]
    [ProducesResponseType<Rankings>(StatusCodes.Status200OK)]
    [FileAnswers(StatusCodes.Status200OK, FileAnswersAttribute.Csv, FileAnswersAttribute.Xlsx)]
    [ProblemAnswers(400, 403)]
    public static async Task<Results<Ok<Rankings>, FileContentHttpResult, ProblemHttpResult>> GetRankings(string? asOf, string? knownAt, string? format, string? part, HttpContext http, IQuerySession session,
        DistrictReferenceData references, TimeProvider clock)
    {
        var errors = new Dictionary<string, string[]>();
        var export = Exports.Parse(format, part, StatisticsSheets.RankingParts, errors);
        var known = Moments.ParseKnownAt(knownAt, errors);
        var moment = Moments.ParseAsOf(asOf, clock, errors, known);
        if (errors.Count > 0) return Problems.Invalid(errors);
        var rankings = await RankingsAsOf(session, references, moment, http.RequestAborted, known);
        return export.IsJson
            ? TypedResults.Ok(rankings)
            : Exports.File($"rankings-{WorkingCalendar.ShanghaiDate(moment):yyyy-MM-dd}", StatisticsSheets.Rankings(rankings), export);
    }

    public static async Task<Rankings> RankingsAsOf(IQuerySession session, DistrictReferenceData references, DateTimeOffset moment,
        CancellationToken cancellation, DateTimeOffset? knownAt = null)
    {
        if (knownAt is not { } known)
        {
            var (townFigures, departmentFigures) = await Tallies.TalliedFigures.Units(session, references, moment, cancellation);
            return new Rankings(moment, Rank(townFigures), Rank(departmentFigures));
        }
        // Every issue, also those settled on the spot since: each was in the ledger until its settlement.
        var issues = IssueFacts.Of((await KnownAt.IssueSummaries(session, known, cancellation)).AsQueryable()).ToList();
        var towns = references.Towns.Select(t => (t.Id, t.Name, Figures: IssueFigures.Of(issues.Where(i => i.TownId == t.Id).ToList(), moment)));
        // A department is ranked on the issues it held at that moment, so a re-routed issue counts for one department only.
        var held = issues.ToLookup(i => i.HolderAt(moment));
        var departments = references.Departments
            .Select(d => (d.Id, d.Name, Figures: IssueFigures.Of(held[d.Id].ToList(), moment)))
            .Where(d => d.Figures.Ledger > 0);
        return new Rankings(moment, Rank(towns.ToList()), Rank(departments.ToList()), knownAt);
    }

    public static async Task<CampaignFigures> Figures(IQuerySession session, DistrictReferenceData references, DateTimeOffset asOf,
        string? townId, string? departmentId, string? categoryId, CancellationToken cancellation, DateTimeOffset? knownAt = null)
    {
        // The read model answers for the latest knowledge; knownAt folds the events stored by then.
        if (knownAt is not { } known) return await Tallies.TalliedFigures.Campaign(session, references, asOf, townId, departmentId, categoryId, cancellation);
        var query = (await KnownAt.IssueSummaries(session, known, cancellation)).AsQueryable();
        if (townId is not null) query = query.Where(s => s.State.TownId == townId);
        if (departmentId is not null) query = query.Where(s => s.Units.Contains(departmentId));
        if (categoryId is not null) query = query.Where(s => s.State.CategoryId == categoryId);
        var facts = IssueFacts.Of(query).ToList();
        // Judged as in the rankings: a department answers for the issues it held at that moment.
        if (departmentId is not null) facts = facts.Where(f => f.HolderAt(asOf) == departmentId).ToList();
        var issues = IssueFigures.Of(facts, asOf);

        var households = references.Towns.Where(t => townId is null || t.Id == townId).Sum(t => t.Communities.Sum(c => c.Grids.Sum(g => g.Households)));
        var places = await KnownAt.Places(session, session.DocumentStore.Options.Events.DatabaseSchemaName, references, asOf, known, townId, cancellation);
        return Compose(asOf, townId, departmentId, categoryId, households, places, issues, knownAt);
    }

    private static CampaignFigures Compose(DateTimeOffset asOf, string? townId, string? departmentId, string? categoryId, int households,
        PlaceFigures places, IssueFigures issues, DateTimeOffset? knownAt) =>
        new(asOf, townId, departmentId, categoryId,
            households, places.HouseholdsVisited, GetCoverageEndpoint.Rate(places.HouseholdsVisited, households), places.Visits, places.Leaflets,
            places.WechatGroups, places.PolicyPosts, issues.ResolvedInGroups,
            issues.Ledger, issues.Closed, issues.ClosedResolved, issues.ClosedExplained, issues.InProgress, issues.ResolvedOnSpot, issues.Overdue,
            issues.OnTimeRate, issues.ResolutionRate, issues.SatisfactionRate, knownAt);

    private static List<RankedUnit> Rank(IReadOnlyList<(string Id, string Name, IssueFigures Figures)> units)
    {
        int RankBy(Func<IssueFigures, decimal?> rate, IssueFigures figures) =>
            1 + units.Count(u => (rate(u.Figures) ?? -1) > (rate(figures) ?? -1));
        return units
            .Select(u => new RankedUnit(u.Id, u.Name, u.Figures.Ledger, u.Figures.Closed, u.Figures.OnTimeRate, u.Figures.ResolutionRate,
                u.Figures.SatisfactionRate, RankBy(f => f.OnTimeRate, u.Figures), RankBy(f => f.ResolutionRate, u.Figures),
                RankBy(f => f.SatisfactionRate, u.Figures)))
            .OrderBy(u => u.ResolutionRank).ThenBy(u => u.OnTimeRank).ThenBy(u => u.SatisfactionRank).ThenBy(u => u.Id)
            .ToList();
    }
}
