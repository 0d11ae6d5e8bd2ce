using Marten;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;
using Weasel.Postgresql.Functions;
using Weasel.Postgresql.Tables;
using Weasel.Postgresql.Triggers;

namespace Rectify.Audit;

/// <summary>
/// The hash chain lives in the database: a row trigger on the events table computes each event's hash as the row is
/// inserted, so every path that appends (HTTP commands, message handlers, scheduled checks, the seeder's COPY, which
/// fires row triggers too) is chained alike and none can skip it. All streams are chained, issues and the others.
/// `resources setup` / db-apply create the table, functions and triggers with the rest of the schema.
/// The bytes hashed are defined in docs/audit.md and recomputed independently by <see cref="ChainHash"/>.
/// </summary>
public static class EventChainSchema
{
    public const string Table = "event_chain";

    /// <summary>
    /// A feature of its own rather than extended schema objects: those are created before the event tables, and the
    /// triggers need rectify.mt_events to exist; Marten creates registered features after its own.
    /// </summary>
    public static void Configure(StoreOptions options) => options.Storage.Add(new EventChainFeature(options));

    private sealed class EventChainFeature(StoreOptions options) : FeatureSchemaBase("EventChain", options.Advanced.Migrator)
    {
        protected override IEnumerable<ISchemaObject> schemaObjects()
        {
            var schema = options.Events.DatabaseSchemaName;
            yield return ChainTable(schema);
            yield return Function.ForSql(HashFunction(schema));
            yield return Function.ForSql(AppendFunction(schema));
            yield return Function.ForSql(EmptyFunction(schema));
            yield return new Trigger(Name(schema, "trg_mt_events_chain"), Name(schema, "mt_events"), $"{schema}.mt_chain_event()")
            {
                Timing = TriggerTiming.After, Events = TriggerEvents.Insert, ForEachRow = true
            };
            yield return new Trigger(Name(schema, "trg_mt_events_chain_truncate"), Name(schema, "mt_events"), $"{schema}.mt_chain_truncate()")
            {
                Timing = TriggerTiming.After, Events = TriggerEvents.Truncate, ForEachRow = false
            };
        }
    }

    private static PostgresqlObjectName Name(string schema, string name) => new(schema, name, SchemaUtils.IdentifierUsage.General);

    private static Table ChainTable(string schema)
    {
        var table = new Table(Name(schema, Table));
        table.AddColumn<long>("seq_id").AsPrimaryKey();
        table.AddColumn<Guid>("stream_id").NotNull();
        table.AddColumn<long>("version").NotNull();
        table.AddColumn("stored_at", "timestamp with time zone").NotNull();
        table.AddColumn("previous_hash", "text").NotNull();
        table.AddColumn("hash", "text").NotNull();
        table.Indexes.Add(new IndexDefinition("ix_event_chain_stream_version") { Columns = ["stream_id", "version"], IsUnique = true });
        table.Indexes.Add(new IndexDefinition("ix_event_chain_stored_at") { Columns = ["stored_at"] });
        return table;
    }

    // The canonical form, in SQL: the same bytes ChainHash builds in C# (docs/audit.md, "Tamper evidence").
    private static string HashFunction(string schema) => $$"""
        CREATE OR REPLACE FUNCTION {{schema}}.mt_chain_hash(previous text, stream uuid, ver bigint, event_type text, body jsonb)
        RETURNS text LANGUAGE sql IMMUTABLE AS $function$
          SELECT encode(sha256(convert_to(concat_ws(E'\n', 'rectify-event-chain-v1', previous, stream::text, ver::text, event_type,
            coalesce(body ->> 'occurredAt', ''), coalesce((body -> 'actor')::text, ''), body::text), 'UTF8')), 'hex')
        $function$;
        """;

    // Events stored before the chain existed are chained (in version order) the first time their stream grows.
    private static string AppendFunction(string schema) => $$"""
        CREATE OR REPLACE FUNCTION {{schema}}.mt_chain_event() RETURNS trigger LANGUAGE plpgsql AS $function$
        DECLARE
          previous text;
          earlier record;
        BEGIN
          IF NEW.version > 1 THEN
            SELECT c.hash INTO previous FROM {{schema}}.{{Table}} c WHERE c.stream_id = NEW.stream_id AND c.version = NEW.version - 1;
            IF previous IS NULL THEN
              previous := repeat('0', 64);
              FOR earlier IN SELECT e.seq_id, e.version, e.type, e.data, e.timestamp, c.hash FROM {{schema}}.mt_events e
                  LEFT JOIN {{schema}}.{{Table}} c ON c.seq_id = e.seq_id
                  WHERE e.stream_id = NEW.stream_id AND e.version < NEW.version ORDER BY e.version LOOP
                IF earlier.hash IS NOT NULL THEN
                  previous := earlier.hash;
                ELSE
                  INSERT INTO {{schema}}.{{Table}} (seq_id, stream_id, version, stored_at, previous_hash, hash)
                  VALUES (earlier.seq_id, NEW.stream_id, earlier.version, earlier.timestamp, previous,
                          {{schema}}.mt_chain_hash(previous, NEW.stream_id, earlier.version, earlier.type, earlier.data));
                  previous := {{schema}}.mt_chain_hash(previous, NEW.stream_id, earlier.version, earlier.type, earlier.data);
                END IF;
              END LOOP;
            END IF;
          ELSE
            previous := repeat('0', 64);
          END IF;
          INSERT INTO {{schema}}.{{Table}} (seq_id, stream_id, version, stored_at, previous_hash, hash)
          VALUES (NEW.seq_id, NEW.stream_id, NEW.version, NEW.timestamp, previous,
                  {{schema}}.mt_chain_hash(previous, NEW.stream_id, NEW.version, NEW.type, NEW.data));
          RETURN NULL;
        END;
        $function$;
        """;

    // Emptying the whole event store (a test reset, a fresh development database) empties its chain with it.
    private static string EmptyFunction(string schema) => $$"""
        CREATE OR REPLACE FUNCTION {{schema}}.mt_chain_truncate() RETURNS trigger LANGUAGE plpgsql AS $function$
        BEGIN
          TRUNCATE {{schema}}.{{Table}};
          RETURN NULL;
        END;
        $function$;
        """;
}
