using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure;
using Rectify.ReferenceData;
using Rectify.Querying;
using Rectify.Statistics;
using Rectify.Visits;
using Rectify.Infrastructure.Requests;
using Wolverine.Http;

namespace Rectify.Ledgers;

public sealed record VisitorLedger(
    string VisitorId, DateOnly Date, int Visits, int Households, int Leaflets, IReadOnlyList<VisitRow> VisitRows, IReadOnlyList<LedgerRow> Issues,
    DateTimeOffset? KnownAt = null);

public sealed record TownDayLedger(string TownId, string TownName, DateOnly Date, LedgerTotals Totals, IReadOnlyList<LedgerRow> Items,
    DateTimeOffset? KnownAt = null);

public sealed record DomainLedger(string CategoryId, string CategoryName, string? LeadDepartmentId, string? LeadDepartmentName,
    IReadOnlyDictionary<string, LedgerTotals> ByTown, LedgerPage Ledger, DateTimeOffset? KnownAt = null);

/// <summary>
/// A department's ledger: the issues it holds (paged, with their totals) and, apart, those it held once and handed on
/// (re-routed away, returned to the town), which count for their present holder.
/// </summary>
public sealed record DepartmentLedger(string DepartmentId, string DepartmentName, int Page, int PageSize, int Total, LedgerTotals Totals,
    IReadOnlyList<LedgerRow> Items, FormerlyHeld FormerlyHeld, DateTimeOffset? KnownAt = null);

/// <summary>Issues a unit no longer holds, every one of them, oldest collection first.</summary>
public sealed record FormerlyHeld(int Total, IReadOnlyList<LedgerRow> Items);

/// <summary>
/// 台账: the visitor's day, the town's day and its running ledger, a department's, a lead department's domain. Each
/// takes knownAt (a stored moment): the ledger as Rectify would have served it then, from the events stored by then.
/// </summary>
public static class LedgerEndpoints
{
    [WolverineGet("/api/v1/ledgers/visitors/{visitorId}/{date}")]
    [EndpointSummary("走访台账: a visitor's day, its visits and the issues collected; JSON, CSV or XLSX")]
    [Tags("Ledgers")]
    [ProducesResponseType<VisitorLedger>(StatusCodes.Status200OK)]
    [FileAnswers(StatusCodes.Status200OK, FileAnswersAttribute.Csv, FileAnswersAttribute.Xlsx)]
    [ProblemAnswers(400, 403)]
    public static async Task<Results<Ok<VisitorLedger>, FileContentHttpResult, ProblemHttpResult>> Visitor(string visitorId, string date, string? knownAt, string? format, string? part, HttpContext http,
        IQuerySession session, DistrictReferenceData references)
    {
        var errors = new Dictionary<string, string[]>();
        var export = Exports.Parse(format, part, LedgerSheets.VisitorParts, errors);
        var known = Moments.ParseKnownAt(knownAt, errors);
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", out var day)) errors["date"] = ["Must be a date written yyyy-MM-dd."];
        if (errors.Count > 0) return Problems.Invalid(errors);
        var ledger = known is { } stored
            ? await KnownVisitorDay.Of(session, visitorId, day, stored, http.RequestAborted)
            : await session.LoadAsync<VisitorDay>(VisitorDay.Key(visitorId, day), http.RequestAborted);
        var visits = ledger?.Visits.OrderBy(v => v.OccurredAt).ToList() ?? [];
        var issues = ledger is null || ledger.IssuesCollected.Count == 0 ? []
            : known is null ? await session.LoadManyAsync<IssueSummary>(http.RequestAborted, ledger.IssuesCollected)
            : (await KnownAt.IssueSummaries(session, known.Value, http.RequestAborted)).Where(i => ledger.IssuesCollected.Contains(i.Id)).ToList();
        var answer = new VisitorLedger(visitorId, day, visits.Count, visits.Select(v => (v.GridId, v.HouseholdId)).Distinct().Count(),
            visits.Sum(v => v.Leaflets), visits, issues.OrderBy(i => i.State.CollectedAt).Select(i => LedgerRow.Of(i, references)).ToList(), known);
        return export.IsJson
            ? TypedResults.Ok(answer)
            : Exports.File($"visitor-{visitorId}-{day:yyyy-MM-dd}", LedgerSheets.VisitorDay(answer, references), export);
    }

    [WolverineGet("/api/v1/ledgers/towns/{townId}/{date}")]
    [EndpointSummary("A town's ledger of one day: the issues collected that day and their totals; JSON, CSV or XLSX")]
    [Tags("Ledgers")]
    [ProducesResponseType<TownDayLedger>(StatusCodes.Status200OK)]
    [FileAnswers(StatusCodes.Status200OK, FileAnswersAttribute.Csv, FileAnswersAttribute.Xlsx)]
    [ProblemAnswers(400, 403, 404)]
    public static async Task<Results<Ok<TownDayLedger>, FileContentHttpResult, ProblemHttpResult>> TownDay(string townId, string date, string? knownAt, string? format, string? part, HttpContext http,
        IQuerySession session, DistrictReferenceData references)
    {
        var errors = new Dictionary<string, string[]>();
        var export = Exports.Parse(format, part, LedgerSheets.LedgerParts, errors);
        var known = Moments.ParseKnownAt(knownAt, errors);
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", out var day)) errors["date"] = ["Must be a date written yyyy-MM-dd."];
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (references.FindTown(townId) is not { } town) return Problems.NotFound("town", townId);
        var issues = (await LedgerPages.Summaries(session, known, http.RequestAborted)).Where(s => s.State.TownId == townId && s.CollectedOn == day);
        var rows = await LedgerPages.All(issues, references, http.RequestAborted);
        var totals = await LedgerTotals.Of(issues, http.RequestAborted);
        return export.IsJson
            ? TypedResults.Ok(new TownDayLedger(town.Id, town.Name, day, totals, rows, known))
            : LedgerSheets.File($"town-{town.Id}-{day:yyyy-MM-dd}", rows, [(Exports.Known($"{town.Name} {day:yyyy-MM-dd}", known), totals)], export);
    }

    [WolverineGet("/api/v1/ledgers/towns/{townId}")]
    [EndpointSummary("A town's running ledger, a page at a time with its totals; CSV or XLSX hold every row")]
    [Tags("Ledgers")]
    [ProducesResponseType<LedgerPage>(StatusCodes.Status200OK)]
    [FileAnswers(StatusCodes.Status200OK, FileAnswersAttribute.Csv, FileAnswersAttribute.Xlsx)]
    [ProblemAnswers(400, 403, 404)]
    public static async Task<Results<Ok<LedgerPage>, FileContentHttpResult, ProblemHttpResult>> Town(string townId, int? page, int? pageSize, string? knownAt, string? format, string? part, HttpContext http,
        IQuerySession session, DistrictReferenceData references)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = Paging.Read(page, pageSize, errors);
        var export = Exports.Parse(format, part, LedgerSheets.LedgerParts, errors);
        var known = Moments.ParseKnownAt(knownAt, errors);
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (references.FindTown(townId) is not { } town) return Problems.NotFound("town", townId);
        var issues = (await LedgerPages.Summaries(session, known, http.RequestAborted)).Where(s => s.State.TownId == townId);
        // As LedgerPages.Answer does, with the answer's types stated for the API document.
        if (export.IsJson) return TypedResults.Ok(await paging.Read(issues, references, http.RequestAborted) with { KnownAt = known });
        return LedgerSheets.File($"town-{townId}", await LedgerPages.All(issues, references, http.RequestAborted),
            [(Exports.Known(town.Name, known), await LedgerTotals.Of(issues, http.RequestAborted))], export);
    }

    [WolverineGet("/api/v1/ledgers/departments/{departmentId}")]
    [EndpointSummary("A department's ledger: what it holds (paged, with totals) and, apart, what it handed on; JSON, CSV or XLSX")]
    [Tags("Ledgers")]
    [ProducesResponseType<DepartmentLedger>(StatusCodes.Status200OK)]
    [FileAnswers(StatusCodes.Status200OK, FileAnswersAttribute.Csv, FileAnswersAttribute.Xlsx)]
    [ProblemAnswers(400, 403, 404)]
    public static async Task<Results<Ok<DepartmentLedger>, FileContentHttpResult, ProblemHttpResult>> Department(string departmentId, int? page, int? pageSize, string? knownAt, string? format, string? part,
        HttpContext http, IQuerySession session, DistrictReferenceData references)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = Paging.Read(page, pageSize, errors);
        var export = Exports.Parse(format, part, LedgerSheets.DepartmentParts, errors);
        var known = Moments.ParseKnownAt(knownAt, errors);
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (references.FindDepartment(departmentId) is not { } department) return Problems.NotFound("department", departmentId);

        // The department answers for what it holds, as its statistics and ranking count it; what it handed on is listed apart.
        var summaries = await LedgerPages.Summaries(session, known, http.RequestAborted);
        var held = summaries.Where(s => s.State.UnitId == departmentId);
        var formerly = await LedgerPages.All(summaries
            .Where(s => s.Units.Contains(departmentId) && (s.State.UnitId == null || s.State.UnitId != departmentId)), references, http.RequestAborted);
        if (!export.IsJson)
            return LedgerSheets.File($"department-{departmentId}", await LedgerPages.All(held, references, http.RequestAborted),
                [(Exports.Known(department.Name, known), await LedgerTotals.Of(held, http.RequestAborted))], formerly, export);
        var ledger = await paging.Read(held, references, http.RequestAborted);
        return TypedResults.Ok(new DepartmentLedger(department.Id, department.Name, ledger.Page, ledger.PageSize, ledger.Total, ledger.Totals, ledger.Items,
            new FormerlyHeld(formerly.Count, formerly), known));
    }

    [WolverineGet("/api/v1/ledgers/domains/{categoryId}")]
    [EndpointSummary("A lead department's domain: one category's issues in every town, with totals by town; JSON, CSV or XLSX")]
    [Tags("Ledgers")]
    [ProducesResponseType<DomainLedger>(StatusCodes.Status200OK)]
    [FileAnswers(StatusCodes.Status200OK, FileAnswersAttribute.Csv, FileAnswersAttribute.Xlsx)]
    [ProblemAnswers(400, 403, 404)]
    public static async Task<Results<Ok<DomainLedger>, FileContentHttpResult, ProblemHttpResult>> Domain(string categoryId, int? page, int? pageSize, string? knownAt, string? format, string? part,
        HttpContext http, IQuerySession session, DistrictReferenceData references)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = Paging.Read(page, pageSize, errors);
        var export = Exports.Parse(format, part, LedgerSheets.LedgerParts, errors);
        var known = Moments.ParseKnownAt(knownAt, errors);
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (references.FindCategory(categoryId) is not { } category) return Problems.NotFound("category", categoryId);

        // Like a town's ledger: issues settled on the spot or in a group are listed and counted apart (inLedger excludes
        // them), so the domain's totals carry them as the statistics for the category do.
        var issues = (await LedgerPages.Summaries(session, known, http.RequestAborted)).Where(s => s.State.CategoryId == categoryId);
        var byTown = await LedgerTotals.ByTown(issues, references.Towns.Select(t => t.Id), http.RequestAborted);
        if (!export.IsJson)
        {
            // The totals sheet: the whole domain first, then each town, as the JSON's ledger.totals and byTown.
            var totals = new List<(string, LedgerTotals)> { (Exports.Known($"{category.Name} 合计", known), await LedgerTotals.Of(issues, http.RequestAborted)) };
            totals.AddRange(references.Towns.Select(t => (t.Name, byTown[t.Id])));
            return LedgerSheets.File($"domain-{categoryId}", await LedgerPages.All(issues, references, http.RequestAborted), totals, export);
        }
        var lead = category.LeadDepartmentId is { } id ? references.FindDepartment(id) : null;
        return TypedResults.Ok(new DomainLedger(category.Id, category.Name, lead?.Id, lead?.Name, byTown,
            await paging.Read(issues, references, http.RequestAborted), known));
    }
}
