using JasperFx.Events.Projections;
using Marten;

namespace Rectify.Ledgers;

/// <summary>The ledgers' read models: one summary per issue (inline) and each visitor's days (async).</summary>
public static class LedgersConfiguration
{
    public static void Configure(StoreOptions options)
    {
        options.Projections.Add<IssueSummaryProjection>(ProjectionLifecycle.Inline);
        options.Projections.Add<VisitorDayProjection>(ProjectionLifecycle.Async);

        // Ledger filters; the trigram index serves substring search in descriptions, Chinese included.
        options.Storage.ExtendedSchemaObjects.Add(new Weasel.Postgresql.Extension("pg_trgm"));
        options.Schema.For<IssueSummary>()
            .Index(s => s.State.TownId).Index(s => s.State.UnitId).Index(s => s.State.CategoryId)
            .Index(s => s.CollectedOn)
            .GinIndexJsonData()
            .Index(s => s.Description, index =>
            {
                index.Method = Weasel.Postgresql.Tables.IndexMethod.gin;
                index.Mask = "? gin_trgm_ops";
            });
    }
}
