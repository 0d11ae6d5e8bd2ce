using System.Data.Common;
using Marten;
using Weasel.Core;

namespace Rectify.Audit;

/// <summary>
/// Indexes on Marten's events table for the audit search: actor, acting unit, stored time and type. Marten owns
/// mt_events and would drop indexes it does not know, so they are declared here as a schema feature of their own (created
/// by the schema tools: start-up outside production, resources setup, db-apply, db-patch) and named to Marten as ignored.
/// </summary>
public sealed class AuditIndexes(string schema) : ISchemaObject
{
    /// <summary>The expressions the search filters on; the indexes are built on exactly these.</summary>
    public const string ActorSql = "(data -> 'actor' ->> 'clientName')";
    public const string ActingUnitSql = "coalesce(data -> 'actor' ->> 'departmentId', data -> 'actor' ->> 'townId')";

    public static readonly (string Name, string Columns)[] Indexes =
    [
        ("mt_events_audit_actor", $"({ActorSql}), seq_id"),
        ("mt_events_audit_acting_unit", $"({ActingUnitSql}), seq_id"),
        ("mt_events_audit_type", "type, seq_id"),
        ("mt_events_audit_timestamp", "timestamp")
    ];

    public static void Configure(StoreOptions options)
    {
        foreach (var (name, _) in Indexes) options.Events.IgnoreIndex(name);
        // A feature of its own, not an extended schema object: Marten applies custom features after its event tables.
        options.Storage.Add(new Feature(options));
    }

    private sealed class Feature(StoreOptions options) : Weasel.Core.Migrations.FeatureSchemaBase("AuditIndexes", options.Advanced.Migrator)
    {
        protected override IEnumerable<ISchemaObject> schemaObjects() => [new AuditIndexes(options.Events.DatabaseSchemaName)];
    }

    public DbObjectName Identifier { get; } = new Weasel.Postgresql.PostgresqlObjectName(schema, "mt_events_audit_indexes", Weasel.Postgresql.SchemaUtils.IdentifierUsage.General);

    public void WriteCreateStatement(Migrator migrator, TextWriter writer)
    {
        foreach (var (name, columns) in Indexes)
            writer.WriteLine($"create index if not exists {name} on {schema}.mt_events ({columns});");
    }

    public void WriteDropStatement(Migrator rules, TextWriter writer)
    {
        foreach (var (name, _) in Indexes) writer.WriteLine($"drop index if exists {schema}.{name};");
    }

    public void ConfigureQueryCommand(Weasel.Core.DbCommandBuilder builder)
    {
        var names = string.Join(", ", Indexes.Select(i => $"'{i.Name}'"));
        builder.Append($"select indexname from pg_indexes where schemaname = '{schema}' and tablename = 'mt_events' and indexname in ({names});");
    }

    public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct = default)
    {
        var present = new HashSet<string>();
        while (await reader.ReadAsync(ct)) present.Add(await reader.GetFieldValueAsync<string>(0, ct));
        return new Delta(this, Indexes.All(i => present.Contains(i.Name)) ? SchemaPatchDifference.None : SchemaPatchDifference.Create);
    }

    public IEnumerable<DbObjectName> AllNames() => Indexes.Select(i => (DbObjectName)new Weasel.Postgresql.PostgresqlObjectName(schema, i.Name, Weasel.Postgresql.SchemaUtils.IdentifierUsage.General));

    private sealed class Delta(ISchemaObject indexes, SchemaPatchDifference difference) : ISchemaObjectDelta
    {
        public ISchemaObject SchemaObject => indexes;
        public SchemaPatchDifference Difference => difference;
        public void WriteUpdate(Migrator rules, TextWriter writer) => indexes.WriteCreateStatement(rules, writer);
        public void WriteRollback(Migrator rules, TextWriter writer) => indexes.WriteDropStatement(rules, writer);
        public void WriteRestorationOfPreviousState(Migrator rules, TextWriter writer) => indexes.WriteDropStatement(rules, writer);
    }
}
