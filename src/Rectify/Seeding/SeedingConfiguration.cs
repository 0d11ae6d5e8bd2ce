using Marten;

namespace Rectify.Seeding;

/// <summary>The record that a campaign was seeded into this database (what `seed-campaign --if-empty` looks for).</summary>
public static class SeedingConfiguration
{
    public static void Configure(StoreOptions options) => options.Schema.For<CampaignSeeded>();
}
