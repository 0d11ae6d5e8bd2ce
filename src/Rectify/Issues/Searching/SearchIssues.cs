using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using Marten;
using Rectify.Infrastructure;
using Rectify.Ledgers;
using Rectify.ReferenceData;
using Wolverine.Http;

namespace Rectify.Issues.Searching;

/// <summary>
/// Issue search across what the caller may see (its town, what its department holds or held, or the district): every filter optional and combined with AND; q finds the text anywhere in the
/// description (Chinese included: a trigram index serves it); from/to bound the Asia/Shanghai collection date.
/// </summary>
public static class SearchIssuesEndpoint
{
    public const int MaxQuery = 100;

    [WolverineGet("/api/v1/issues")]
    [Tags("Issues"), EndpointSummary("Search issues the caller may see; JSON pages or a CSV/XLSX export")]
    [ProducesResponseType<LedgerPage>(StatusCodes.Status200OK)]
    [FileAnswers(StatusCodes.Status200OK, FileAnswersAttribute.Csv, FileAnswersAttribute.Xlsx)]
    [ProblemAnswers(400, 403)]
    public static async Task<IResult> Get(string? townId, string? unitId, string? status, string? categoryId, string? overdue,
        string? from, string? to, string? q, int? page, int? pageSize, string? format, string? part, HttpContext http, IQuerySession session,
        DistrictReferenceData references)
    {
        var errors = new Dictionary<string, string[]>();
        var paging = Paging.Read(page, pageSize, errors);
        var export = Reports.Exports.Parse(format, part, Reports.Exports.LedgerParts, errors);
        (townId, unitId, status, categoryId, overdue, from, to, q) = (Filters.Given(townId), Filters.Given(unitId), Filters.Given(status),
            Filters.Given(categoryId), Filters.Given(overdue), Filters.Given(from), Filters.Given(to), Filters.Given(q));
        if (townId is not null && references.FindTown(townId) is null) errors["townId"] = [$"Unknown town '{townId}'."];
        if (unitId is not null && references.FindUnit(unitId) is null) errors["unitId"] = [$"Unknown unit '{unitId}'."];
        if (categoryId is not null && references.FindCategory(categoryId) is null) errors["categoryId"] = [$"Unknown category '{categoryId}'."];
        IssueStatus? wanted = null;
        if (status is not null)
        {
            wanted = Enum.GetValues<IssueStatus>().Cast<IssueStatus?>().FirstOrDefault(s => Kebab.Of(s!.Value) == status);
            if (wanted is null) errors["status"] = [$"Must be one of: {string.Join(", ", Enum.GetValues<IssueStatus>().Select(s => Kebab.Of(s)))}."];
        }
        bool? isOverdue = overdue switch { null => null, "true" => true, "false" => false, _ => null };
        if (overdue is not null && isOverdue is null) errors["overdue"] = ["Must be true or false."];
        var fromDate = ParseDate("from", from, errors);
        var toDate = ParseDate("to", to, errors);
        if (fromDate > toDate) errors["to"] = ["Must not be before from."];
        if (q is { Length: > MaxQuery }) errors["q"] = [$"Must be at most {MaxQuery} characters."];
        else if (q is not null && q.Any(char.IsControl)) errors["q"] = ["Must not contain control characters."];
        if (errors.Count > 0) return Problems.Invalid(errors);

        // Only what the caller may see (RouteAccessMiddleware refused filters outside its scope already).
        var issues = Identity.Access.ReadScope.Of(Identity.ApiKeyAuthentication.ActorOf(http)).Filter(session.Query<IssueSummary>());
        if (townId is not null) issues = issues.Where(s => s.State.TownId == townId);
        if (unitId is not null) issues = issues.Where(s => s.State.UnitId == unitId);
        if (categoryId is not null) issues = issues.Where(s => s.State.CategoryId == categoryId);
        if (wanted is { } st) issues = issues.Where(s => s.State.Status == st);
        if (isOverdue is { } o) issues = issues.Where(s => s.Overdue == o);
        if (fromDate is { } f) issues = issues.Where(s => s.CollectedOn >= f);
        if (toDate is { } t) issues = issues.Where(s => s.CollectedOn <= t);
        if (q is not null) issues = issues.Where(s => s.Description.Contains(q.Trim()));

        return await paging.Answer(issues, references, export, "issues", "查询结果", http.RequestAborted);
    }

    private static DateOnly? ParseDate(string field, string? text, IDictionary<string, string[]> errors)
    {
        if (text is null) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", out var date)) return date;
        errors[field] = ["Must be a date written yyyy-MM-dd."];
        return null;
    }
}
