using Rectify.Querying;
using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using System.Globalization;
using Marten;
using Rectify.Identity;
using Rectify.Infrastructure;
using Rectify.Issues;
using Rectify.Issues.Reading;
using Rectify.Ledgers;
using Wolverine.Http;

namespace Rectify.Audit;

/// <summary>One act found by the audit search: a history entry (the same fields) and the issue it belongs to.</summary>
public sealed record AuditEntry(Guid IssueId, string Type, long Version, DateTimeOffset OccurredAt, DateTimeOffset StoredAt, Actor Actor, [property: Infrastructure.OpenApi.IssueEventPayload] object Data,
    long Position, Role? Role, string? ActingUnitId, string? Reason, string? CorrelationId, string? CausationId)
{
    public static AuditEntry Of(JasperFx.Events.IEvent e)
    {
        var h = HistoryEntry.Of(e);
        return new AuditEntry(e.StreamId, h.Type, h.Version, h.OccurredAt, h.StoredAt, h.Actor, h.Data, h.Position, h.Role, h.ActingUnitId, h.Reason,
            h.CorrelationId, h.CausationId);
    }
}

public sealed record AuditPage(int Page, int PageSize, long Total, IReadOnlyList<AuditEntry> Items);

/// <summary>
/// Who did what, across every issue: the issue events filtered by actor (the client's name), acting unit (the actor's
/// department or town), stored time (from/to: when Rectify recorded the act, mt_events.timestamp) and stored event type
/// name, combined with AND, in the order they were stored (position), so that a page does not move as acts are added.
/// Each filter is served by an index on the events table (<see cref="AuditIndexes"/>).
/// </summary>
public static class SearchAuditEndpoint
{
    public const int MaxText = 200;

    [WolverineGet("/api/v1/audit")]
    [Tags("Audit"), EndpointSummary("Search every issue's acts by actor, acting unit, stored time and event type")]
    [ProducesResponseType<AuditPage>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403)]
    public static async Task<IResult> Get(string? actor, string? unitId, string? from, string? to, string? type, int? page, int? pageSize,
        HttpContext http, IQuerySession session)
    {
        // Who may search (district roles, listed external systems) is the access table's row (Identity/Access/RouteAccess.cs).

        var errors = new Dictionary<string, string[]>();
        var paging = Paging.Read(page, pageSize, errors);
        (actor, unitId, from, to, type) = (Filters.Given(actor), Filters.Given(unitId), Filters.Given(from), Filters.Given(to), Filters.Given(type));
        Text("actor", actor, errors);
        Text("unitId", unitId, errors);
        if (type is not null && !IssueEventVersions.StoredNames.Contains(type))
            errors["type"] = [$"Unknown event type '{type}'. Must be one of: {string.Join(", ", IssueEventVersions.StoredNames)}."];
        var since = Moment("from", from, start: true, errors);
        var until = Moment("to", to, start: false, errors);
        if (since is not null && until is not null && since > until) errors["to"] = ["Must not be before from."];
        if (errors.Count > 0) return Problems.Invalid(errors);

        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        var where = new List<string> { "type = any(?)" };
        var args = new List<object> { type is null ? IssueEventVersions.StoredNames.ToArray() : new[] { type } };
        if (actor is not null) { where.Add($"{AuditIndexes.ActorSql} = ?"); args.Add(actor); }
        if (unitId is not null) { where.Add($"{AuditIndexes.ActingUnitSql} = ?"); args.Add(unitId); }
        // Stored times are whole microseconds (MicrosecondClock) and Npgsql truncates finer ones, so both ends are
        // rounded inwards to a microsecond and compared inclusively: an act stored at exactly `to` is found.
        if (since is { } s) { where.Add("timestamp >= ?"); args.Add(Microseconds(s, up: true).ToUniversalTime()); }
        if (until is { } u) { where.Add("timestamp <= ?"); args.Add(Microseconds(u, up: false).ToUniversalTime()); }
        var filter = $"from {schema}.mt_events where {string.Join(" and ", where)}";

        var total = (await session.QueryAsync<long>($"select count(*) {filter}", http.RequestAborted, [.. args])).Single();
        var positions = (await session.QueryAsync<long>($"select seq_id {filter} order by seq_id limit ? offset ?", http.RequestAborted,
            [.. args, paging.PageSize, (paging.Page - 1) * paging.PageSize])).ToArray();
        var events = positions.Length == 0
            ? []
            : await session.Events.QueryAllRawEvents().Where(e => positions.Contains(e.Sequence)).OrderBy(e => e.Sequence).ToListAsync(http.RequestAborted);
        var shown = await PersonalData.PersonalDataScope.EventsOf(session, events, http.RequestAborted);
        return TypedResults.Ok(new AuditPage(paging.Page, paging.PageSize, total, events.Select(e => AuditEntry.Of(e) with { Data = shown(e) }).ToList()));
    }

    private static void Text(string field, string? value, IDictionary<string, string[]> errors)
    {
        if (value is { Length: > MaxText }) errors[field] = [$"Must be at most {MaxText} characters."];
        else if (value is not null && value.Any(char.IsControl)) errors[field] = ["Must not contain control characters."];
    }

    /// <summary>
    /// A stored-time bound: a date is an Asia/Shanghai day (from its start, to its end, both included), or an ISO 8601
    /// moment with an offset (both included).
    /// </summary>
    private static DateTimeOffset? Moment(string field, string? text, bool start, IDictionary<string, string[]> errors)
    {
        if (text is null) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            && date.Year is >= RequestCheck.MinYear and <= RequestCheck.MaxYear)
            return start ? Supervision.Clocks.EndOf(date.AddDays(-1)) : Supervision.Clocks.EndOf(date).AddTicks(-TimeSpan.TicksPerMicrosecond);
        if (IsoMoment.IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var moment)
            && moment.Year is >= RequestCheck.MinYear and <= RequestCheck.MaxYear)
            return moment;
        errors[field] = ["Must be a date (yyyy-MM-dd, an Asia/Shanghai day) or an ISO 8601 moment with an offset (2022-07-31T18:00:00+08:00)."];
        return null;
    }

    private static DateTimeOffset Microseconds(DateTimeOffset moment, bool up)
    {
        var below = moment.Ticks % TimeSpan.TicksPerMicrosecond;
        return below == 0 ? moment : moment.AddTicks(up ? TimeSpan.TicksPerMicrosecond - below : -below);
    }

    private static readonly System.Text.RegularExpressions.Regex IsoMoment =
        new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", System.Text.RegularExpressions.RegexOptions.Compiled);
}
