using Microsoft.AspNetCore.Mvc;
using Rectify.Infrastructure.Requests;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Marten;
using Marten.Events;
using Rectify.Identity;
using Rectify.Infrastructure;
using Wolverine.Http;

namespace Rectify.Issues.Reading;

/// <summary>One page of the change feed: issue events in position order, and where to continue.</summary>
public sealed record EventFeedPage(IReadOnlyList<EventFeedEntry> Events, long Next, long HighWaterMark);

/// <summary>An entry of the feed: the issue's id, then the history's entry, field for field, as one flat object.</summary>
[JsonConverter(typeof(EventFeedEntryConverter))]
public sealed record EventFeedEntry(Guid IssueId, HistoryEntry Entry);

public sealed class EventFeedEntryConverter : JsonConverter<EventFeedEntry>
{
    public override EventFeedEntry Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("The change feed is read-only.");

    // The entry is written exactly as the history writes it (same converters and escaping), with the issue id in front.
    public override void Write(Utf8JsonWriter writer, EventFeedEntry value, JsonSerializerOptions options)
    {
        var entry = JsonSerializer.SerializeToUtf8Bytes(value.Entry, options);
        var name = options.PropertyNamingPolicy?.ConvertName(nameof(EventFeedEntry.IssueId)) ?? nameof(EventFeedEntry.IssueId);
        var head = Encoding.UTF8.GetBytes($"{{\"{name}\":\"{value.IssueId}\"{(entry.Length > 2 ? "," : "")}");
        writer.WriteRawValue([.. head, .. entry.AsSpan(1)], skipInputValidation: true);
    }
}

/// <summary>
/// The feed's page as it is written (EventFeedEntryConverter writes each entry flat: the issue id, then the history
/// entry's fields), for the API document.
/// </summary>
public sealed record EventFeedPageShape(IReadOnlyList<EventFeedEntryShape> Events, long Next, long HighWaterMark);

/// <summary>An entry of the feed as written: the issue's id and the history entry's fields, flat.</summary>
public sealed record EventFeedEntryShape(Guid IssueId, string Type, long Version, DateTimeOffset OccurredAt, DateTimeOffset StoredAt,
    Identity.Actor Actor, [property: Infrastructure.OpenApi.IssueEventPayload] object Data, long Position, Identity.Role? Role, string? ActingUnitId, string? Reason, string? CorrelationId,
    string? CausationId);

/// <summary>
/// The change feed: every issue's events across the district after a position, as the history shows them plus the
/// issue id. Positions (mt_events sequence numbers) can become visible out of order while writers commit concurrently,
/// so the feed serves only up to the async daemon's high-water mark, below which every position is either committed
/// and visible or will never be used (docs/api.md, "Following the change feed").
/// </summary>
public static class GetEventFeedEndpoint
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    // By stored name, legacy ones included: a type filter would leave out rows stored under an older name.
    private static readonly string[] IssueEventTypes = IssueEventVersions.StoredIssueEventNames.ToArray();

    [WolverineGet("/api/v1/events")]
    [Tags("Change feed"), EndpointSummary("The change feed: issue events across the district after a position")]
    [ProducesResponseType<EventFeedPageShape>(StatusCodes.Status200OK)]
    [ProblemAnswers(400, 403)]
    public static async Task<IResult> Get(long? after, int? limit, HttpContext http, IQuerySession session)
    {
        var errors = new Dictionary<string, string[]>();
        if (after < 0) errors["after"] = ["Must be a position of 0 or more (0 starts from the beginning)."];
        if (limit is < 1 or > MaxLimit) errors["limit"] = [$"Must be between 1 and {MaxLimit}."];
        if (errors.Count > 0) return Problems.Invalid(errors);
        // Who may follow it (district roles, listed external systems) is the access table's row (Identity/Access/RouteAccess.cs).

        var from = after ?? 0;
        var take = limit ?? DefaultLimit;
        var mark = await HighWaterMark(session, http.RequestAborted);
        if (from >= mark) return TypedResults.Ok(new EventFeedPage([], from, mark));

        var events = await session.Events.QueryAllRawEvents()
            .Where(e => e.Sequence > from && e.Sequence <= mark)
            .Where(e => e.EventTypeName.IsOneOf(IssueEventTypes))
            .OrderBy(e => e.Sequence)
            .Take(take)
            .ToListAsync(http.RequestAborted);

        // A short page read everything up to the mark; a full one continues after its last event.
        var next = events.Count == take ? events[^1].Sequence : mark;
        var shown = await PersonalData.PersonalDataScope.EventsOf(session, events, http.RequestAborted);
        return TypedResults.Ok(new EventFeedPage(events.Select(e => new EventFeedEntry(e.StreamId, HistoryEntry.Of(e) with { Data = shown(e) })).ToList(), next, mark));
    }

    /// <summary>
    /// The async daemon's high-water mark: the highest position below which no gap is still open. 0 until the
    /// daemon has read the store for the first time.
    /// </summary>
    public static async Task<long> HighWaterMark(IQuerySession session, CancellationToken cancellation)
    {
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        var marks = await session.QueryAsync<long>(
            $"select last_seq_id from {schema}.mt_event_progression where name = 'HighWaterMark'", cancellation);
        return marks.Count > 0 ? marks[0] : 0;
    }
}
