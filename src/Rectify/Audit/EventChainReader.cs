using System.Runtime.CompilerServices;
using Marten;
using Npgsql;

namespace Rectify.Audit;

/// <summary>
/// Reads events with their chain rows straight from the tables: the data as PostgreSQL's jsonb text (the bytes hashed),
/// never through a serializer or an upcaster, so the check covers exactly what is stored.
/// </summary>
public static class EventChainReader
{
    private static string Select(string schema, string where) => $"""
        select e.stream_id, e.seq_id, e.version, e.type, e.timestamp, e.data ->> 'occurredAt', (e.data -> 'actor')::text, e.data::text,
               c.previous_hash, c.hash, e.is_archived, c.stored_at
        from {schema}.mt_events e left join {schema}.{EventChainSchema.Table} c on c.seq_id = e.seq_id
        {where}
        order by e.stream_id, e.version
        """;

    public static string Schema(IDocumentStore store) => ((DocumentStore)store).Options.Events.DatabaseSchemaName;

    public static async Task<List<ChainedEvent>> StreamAsync(IDocumentStore store, Guid streamId, CancellationToken cancellation)
    {
        var events = new List<ChainedEvent>();
        await foreach (var e in ReadAsync(store, streamId, cancellation)) events.Add(e);
        return events;
    }

    /// <summary>Every event of one stream, or of all streams (null), ordered by stream and version.</summary>
    public static async IAsyncEnumerable<ChainedEvent> ReadAsync(IDocumentStore store, Guid? streamId, [EnumeratorCancellation] CancellationToken cancellation)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellation);
        await using var command = new NpgsqlCommand(Select(Schema(store), streamId is null ? "" : "where e.stream_id = @stream"), connection);
        if (streamId is { } id) command.Parameters.AddWithValue("stream", id);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
            yield return new ChainedEvent(reader.GetGuid(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3),
                reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9))
            {
                Archived = !reader.IsDBNull(10) && reader.GetBoolean(10),
                ChainedStoredAt = reader.IsDBNull(11) ? null : reader.GetFieldValue<DateTimeOffset>(11)
            };
    }

    /// <summary>
    /// Streams whose recorded version (mt_streams.version) is above their last stored or chained event: their last
    /// events were deleted together with their chain rows. Deleting them and lowering the stream's version as well
    /// shows only against a kept digest or export (docs/audit.md).
    /// </summary>
    public static async Task<List<BrokenEntry>> TruncatedAsync(IDocumentStore store, Guid? streamId, CancellationToken cancellation)
    {
        var schema = Schema(store);
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellation);
        await using var command = new NpgsqlCommand($"""
            select s.id, s.version, greatest(coalesce(e.version, 0), coalesce(c.version, 0)), coalesce(greatest(e.seq_id, c.seq_id), 0)
            from {schema}.mt_streams s
            left join lateral (select max(version) as version, max(seq_id) as seq_id from {schema}.mt_events where stream_id = s.id) e on true
            left join lateral (select max(version) as version, max(seq_id) as seq_id from {schema}.{EventChainSchema.Table} where stream_id = s.id) c on true
            where s.version > greatest(coalesce(e.version, 0), coalesce(c.version, 0)) {(streamId is null ? "" : "and s.id = @stream")}
            order by s.id
            """, connection);
        if (streamId is { } id) command.Parameters.AddWithValue("stream", id);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var truncated = new List<BrokenEntry>();
        while (await reader.ReadAsync(cancellation))
            truncated.Add(new BrokenEntry(reader.GetGuid(0), reader.GetInt64(2) + 1, reader.GetInt64(3),
                "the stream's last events are missing with their chain entries", $"events up to version {reader.GetInt64(1)}",
                $"events up to version {reader.GetInt64(2)}"));
        return truncated;
    }

    /// <summary>Chain rows whose event is gone: an event deleted after it was chained.</summary>
    public static async Task<List<BrokenEntry>> OrphansAsync(IDocumentStore store, Guid? streamId, CancellationToken cancellation)
    {
        var schema = Schema(store);
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellation);
        await using var command = new NpgsqlCommand($"""
            select c.stream_id, c.version, c.seq_id, c.hash from {schema}.{EventChainSchema.Table} c
            left join {schema}.mt_events e on e.seq_id = c.seq_id
            where e.seq_id is null {(streamId is null ? "" : "and c.stream_id = @stream")}
            order by c.seq_id
            """, connection);
        if (streamId is { } id) command.Parameters.AddWithValue("stream", id);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var orphans = new List<BrokenEntry>();
        while (await reader.ReadAsync(cancellation))
            orphans.Add(new BrokenEntry(reader.GetGuid(0), reader.GetInt64(1), reader.GetInt64(2), "the chained event is missing", reader.GetString(3), null));
        return orphans;
    }
}
