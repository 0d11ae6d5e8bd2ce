using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using System.Globalization;
using System.Text;
using Marten;
using Rectify.Infrastructure;
using Wolverine.Http;

namespace Rectify.Audit;

/// <summary>
/// An issue's history with its hashes, in the form `ops/cli audit verify --file` and an auditor's own tool check:
/// each entry carries the exact strings its hash covers (data and actor in PostgreSQL's jsonb text form).
/// </summary>
public sealed record IssueExport(Guid IssueId, string Form, string? Head, IReadOnlyList<ExportedEvent> Events);

public sealed record ExportedEvent(long Position, long Version, string Type, DateTimeOffset StoredAt, string? OccurredAt, string? Actor,
    string Data, string? PreviousHash, string? Hash)
{
    public static ExportedEvent Of(ChainedEvent e) => new(e.Position, e.Version, e.Type, e.StoredAt, e.OccurredAt, e.Actor, e.Data, e.PreviousHash, e.Hash);

    public ChainedEvent For(Guid issueId) => new(issueId, Position, Version, Type, StoredAt, OccurredAt, Actor, Data, PreviousHash, Hash);
}

public static class ExportIssueHistoryEndpoint
{
    public static readonly string[] CsvColumns =
        ["issue_id", "position", "version", "type", "stored_at", "occurred_at", "actor", "data", "previous_hash", "hash"];

    [WolverineGet("/api/v1/issues/{id}/export")]
    [Tags("Audit"), EndpointSummary("An issue's history with its hashes, as JSON or CSV, for audit verify")]
    [ProducesResponseType<IssueExport>(StatusCodes.Status200OK, "application/json")]
    [FileAnswers(StatusCodes.Status200OK, FileAnswersAttribute.Csv)]
    [ProblemAnswers(400, 403, 404)]
    public static async Task<IResult> Get(string id, string? format, HttpContext http, IDocumentStore store)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Guid.TryParse(id, out _)) errors["id"] = ["The issue id in the path must be a UUID."];
        format ??= "json";
        if (format is not ("json" or "csv")) errors["format"] = [$"'{format}' is no export format: use json or csv."];
        if (errors.Count > 0) return Problems.Invalid(errors);
        if (await GetIssueChainEndpoint.IssueStreamAsync(id, store, http.RequestAborted) is not { } events) return Problems.NotFound("issue", id);

        var issueId = events[0].StreamId;
        await using (var session = store.QuerySession())
            if (await session.LoadAsync<Issues.Issue>(issueId, http.RequestAborted) is { } issue
                && PersonalData.PersonalDataScope.RecordedEventsRefusal(issue) is { } refusal)
                return Problems.Forbidden(refusal);
        if (format == "json")
            return TypedResults.Ok(new IssueExport(issueId, ChainHash.Form, events[^1].Hash, events.Select(ExportedEvent.Of).ToList()));
        return TypedResults.File(Encoding.UTF8.GetBytes(Csv(events)), "text/csv; charset=utf-8", $"issue-{issueId}.csv");
    }

    public static string Csv(IEnumerable<ChainedEvent> events)
    {
        var csv = new StringBuilder().Append(string.Join(',', CsvColumns)).Append("\r\n");
        foreach (var e in events)
            csv.Append(string.Join(',', new[]
            {
                e.StreamId.ToString("D"), e.Position.ToString(CultureInfo.InvariantCulture), e.Version.ToString(CultureInfo.InvariantCulture), e.Type,
                e.StoredAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture), e.OccurredAt ?? "", e.Actor ?? "", e.Data, e.PreviousHash ?? "", e.Hash ?? ""
            }.Select(Quote))).Append("\r\n");
        return csv.ToString();
    }

    // RFC 4180: every field quoted, quotes doubled; jsonb text never holds a raw line break.
    private static string Quote(string field) => "\"" + field.Replace("\"", "\"\"") + "\"";
}
