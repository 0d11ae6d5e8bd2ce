using Rectify.Querying;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using Marten;
using Marten.Pagination;
using Rectify.Identity;
using Rectify.Infrastructure;
using Rectify.Ledgers;
using Wolverine.Http;

namespace Rectify.PersonalData;

public sealed record AccessLogEntry(Guid IssueId, string Client, Role Role, string? TownId, string? DepartmentId, string Route, string Path,
    IReadOnlyList<string> Fields, DateTimeOffset At)
{
    public static AccessLogEntry Of(PersonalDataRead r) => new(r.IssueId, r.Client, r.Role, r.TownId, r.DepartmentId, r.Route, r.Path, r.Fields, r.At);
}

public sealed record AccessLogPage(int Page, int PageSize, int Total, IReadOnlyList<AccessLogEntry> Items);

public static class GetAccessLogEndpoint
{
    /// <summary>Reads of residents' personal data, oldest first; for those who check on readers, not for the readers.</summary>
    [WolverineGet("/api/v1/access-log")]
    [Tags("Audit"), EndpointSummary("Reads of residents' personal data, oldest first")]
    [ProducesResponseType<AccessLogPage>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403)]
    public static async Task<IResult> Get(string? issueId, string? client, string? from, string? to, int? page, int? pageSize,
        HttpContext http, IQuerySession session)
    {
        // Who may read it (district roles, listed external systems) is the access table's row (Identity/Access/RouteAccess.cs).

        var errors = new Dictionary<string, string[]>();
        var paging = Paging.Read(page, pageSize, errors);
        Guid? issue = null;
        if (Filters.Given(issueId) is { } givenIssue)
        {
            if (Guid.TryParse(givenIssue, out var parsed)) issue = parsed;
            else errors["issueId"] = ["Must be an issue id (a UUID)."];
        }
        var since = Moment(from, "from", errors);
        var until = Moment(to, "to", errors);
        if (since is not null && until is not null && since > until) errors["to"] = ["Must not be before from."];
        if (errors.Count > 0) return Problems.Invalid(errors);

        IQueryable<PersonalDataRead> reads = session.Query<PersonalDataRead>();
        if (issue is { } i) reads = reads.Where(r => r.IssueId == i);
        if (Filters.Given(client) is { } name) reads = reads.Where(r => r.Client == name);
        if (since is { } s) reads = reads.Where(r => r.At >= s);
        if (until is { } u) reads = reads.Where(r => r.At <= u);
        var found = await reads.OrderBy(r => r.At).ThenBy(r => r.Id).ToPagedListAsync(paging.Page, paging.PageSize, http.RequestAborted);
        return TypedResults.Ok(new AccessLogPage(paging.Page, paging.PageSize, (int)found.TotalItemCount, found.Select(AccessLogEntry.Of).ToList()));
    }

    private static DateTimeOffset? Moment(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (Filters.Given(value) is not { } given) return null;
        if (DateTimeOffset.TryParse(given, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var moment)
            && given.IndexOf('T') is > 0 and var t && (given.EndsWith('Z') || given.IndexOf('+', t) > 0 || given.IndexOf('-', t) > 0))
            return moment.ToUniversalTime();
        errors[field] = ["Must be a date and time with an offset, e.g. 2026-12-01T09:00:00+08:00."];
        return null;
    }
}
