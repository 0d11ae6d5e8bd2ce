using Marten;
using Npgsql;

namespace Rectify.Audit;

/// <summary>
/// `ops/cli audit backfill`: chains every event stored before the chain existed (a database upgraded from a version
/// without it), stream by stream in version order, with the same SQL hash function the trigger uses. Without it such
/// a stream is chained only when it next grows. Already chained events are kept as they are, so running it again
/// chains nothing. Chain rows take the event's stored time, so the digests of the past days those events were stored
/// on change once, at backfill time (docs/audit.md, "Upgrading a database").
/// </summary>
public static class EventChainBackfill
{
    public static async Task<bool> RunAsync(AuditInput input, TextWriter output)
    {
        using var host = input.BuildHost();
        var chained = await RunAsync(host.Services.GetRequiredService<IDocumentStore>(), CancellationToken.None);
        output.WriteLine(chained == 0
            ? "backfill: every event was chained already"
            : $"backfill: chained {chained:N0} events stored before the chain; the digests of the days they were stored on now include them");
        return true;
    }

    /// <summary>How many events were chained.</summary>
    public static async Task<long> RunAsync(IDocumentStore store, CancellationToken cancellation)
    {
        var schema = EventChainReader.Schema(store);
        var table = $"{schema}.{EventChainSchema.Table}";
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        // Appends wait until the backfill commits, so no trigger chains the same stream meanwhile.
        await Execute($"lock table {schema}.mt_events in share row exclusive mode");
        var before = await Count();
        await Execute($$"""
            DO $backfill$
            DECLARE
              s record;
              e record;
              previous text;
            BEGIN
              FOR s IN SELECT DISTINCT ev.stream_id FROM {{schema}}.mt_events ev LEFT JOIN {{table}} c ON c.seq_id = ev.seq_id WHERE c.seq_id IS NULL LOOP
                previous := repeat('0', 64);
                FOR e IN SELECT ev.seq_id, ev.version, ev.type, ev.data, ev.timestamp, c.hash FROM {{schema}}.mt_events ev
                    LEFT JOIN {{table}} c ON c.seq_id = ev.seq_id WHERE ev.stream_id = s.stream_id ORDER BY ev.version LOOP
                  IF e.hash IS NOT NULL THEN
                    previous := e.hash;
                  ELSE
                    INSERT INTO {{table}} (seq_id, stream_id, version, stored_at, previous_hash, hash)
                    VALUES (e.seq_id, s.stream_id, e.version, e.timestamp, previous,
                            {{schema}}.mt_chain_hash(previous, s.stream_id, e.version, e.type, e.data));
                    previous := {{schema}}.mt_chain_hash(previous, s.stream_id, e.version, e.type, e.data);
                  END IF;
                END LOOP;
              END LOOP;
            END
            $backfill$;
            """);
        var chained = await Count() - before;
        await transaction.CommitAsync(cancellation);
        return chained;

        async Task Execute(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellation);
        }

        async Task<long> Count()
        {
            await using var command = new NpgsqlCommand($"select count(*) from {table}", connection, transaction);
            return (long)(await command.ExecuteScalarAsync(cancellation))!;
        }
    }
}
