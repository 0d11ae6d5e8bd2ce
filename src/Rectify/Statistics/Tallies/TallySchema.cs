using Marten;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;
using Weasel.Postgresql.Functions;
using Weasel.Postgresql.Tables;
using Weasel.Postgresql.Triggers;

namespace Rectify.Statistics.Tallies;

/// <summary>
/// The statistics read model's tables (docs/statistics.md, "The read model"), plain tables rather than documents so that
/// the projection adds to counters in SQL (insert … on conflict … set c = c + excluded.c) without reading them first:
/// - tally_node: per Fenwick node of days (<see cref="Fenwick"/>), town and line, the sums of the deltas of its days;
/// - tally_act: every delta with its moment and day, for a moment inside a day;
/// - tally_household: each household's first visit, so a revisit adds nothing to households visited;
/// - tally_grid: per grid, households visited, how many of their ids are generated register ids and the highest one.
/// </summary>
public static class TallySchema
{
    public const string ProjectionName = "Tally";
    public static readonly string[] Tables = ["tally_node", "tally_act", "tally_household", "tally_grid"];

    /// <summary>Registers the tables and the projection: one line in Program.cs.</summary>
    public static void Configure(StoreOptions options)
    {
        options.Storage.Add(new TallyFeature(options));
        var schema = options.Events.DatabaseSchemaName;
        options.Projections.Add(new TallyProjection(schema), JasperFx.Events.Projections.ProjectionLifecycle.Async, ProjectionName, async =>
        {
            foreach (var table in Tables) async.DeleteDataInTableOnTeardown($"{schema}.{table}");
        });
    }

    /// <summary>After the event tables: the truncate trigger needs mt_events (as <see cref="Audit.EventChainSchema"/>).</summary>
    private sealed class TallyFeature(StoreOptions options) : FeatureSchemaBase("Tally", options.Advanced.Migrator)
    {
        protected override IEnumerable<ISchemaObject> schemaObjects()
        {
            var schema = options.Events.DatabaseSchemaName;
            var node = Counters(new Table(Name(schema, "tally_node")));
            node.AddColumn<int>("node").NotNull().AsPrimaryKey();
            node.AddColumn("town", "text").NotNull().AsPrimaryKey();
            node.AddColumn("line", "text").NotNull().AsPrimaryKey();
            yield return node;

            var act = new Table(Name(schema, "tally_act"));
            act.AddColumn("town", "text").NotNull();
            act.AddColumn("day", "date").NotNull();
            act.AddColumn("at", "timestamp with time zone").NotNull();
            act.AddColumn("line", "text").NotNull();
            Counters(act);
            act.Indexes.Add(new IndexDefinition("ix_tally_act_day") { Columns = ["day", "town"] });
            yield return act;

            var household = new Table(Name(schema, "tally_household"));
            household.AddColumn("grid", "text").NotNull().AsPrimaryKey();
            household.AddColumn("household", "text").NotNull().AsPrimaryKey();
            household.AddColumn("town", "text").NotNull();
            household.AddColumn("first_at", "timestamp with time zone").NotNull();
            yield return household;

            var grid = new Table(Name(schema, "tally_grid"));
            grid.AddColumn("grid", "text").NotNull().AsPrimaryKey();
            grid.AddColumn("town", "text").NotNull();
            grid.AddColumn<int>("visited").NotNull();
            grid.AddColumn<int>("generated").NotNull();
            grid.AddColumn<long>("highest").NotNull();
            yield return grid;

            yield return Function.ForSql($$"""
                CREATE OR REPLACE FUNCTION {{schema}}.mt_tally_truncate() RETURNS trigger LANGUAGE plpgsql AS $function$
                BEGIN
                  TRUNCATE {{string.Join(", ", Tables.Select(t => $"{schema}.{t}"))}};
                  RETURN NULL;
                END;
                $function$;
                """);
            // Emptying the whole event store (a test reset) empties the tallies with it, as the documents are emptied.
            yield return new Trigger(Name(schema, "trg_mt_events_tally_truncate"), Name(schema, "mt_events"), $"{schema}.mt_tally_truncate()")
            {
                Timing = TriggerTiming.After, Events = TriggerEvents.Truncate, ForEachRow = false
            };
        }
    }

    private static Table Counters(Table table)
    {
        for (var i = 0; i < Tally.Width; i++) table.AddColumn<int>($"c{i}").NotNull().DefaultValue(0);
        return table;
    }

    private static PostgresqlObjectName Name(string schema, string name) => new(schema, name, SchemaUtils.IdentifierUsage.General);

    /// <summary>c0, c1, … c10 with a prefix: the counter columns in SQL.</summary>
    public static string Columns(string format) => string.Join(", ", Enumerable.Range(0, Tally.Width).Select(i => string.Format(format, $"c{i}")));
}
