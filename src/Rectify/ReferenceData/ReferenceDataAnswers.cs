using Rectify.Identity;

namespace Rectify.ReferenceData;

// The answers of the reference-data routes, as records so that the API document states their fields.

/// <summary>A town as GET /api/v1/towns lists it: its offices, communities and grids, and its households in all.</summary>
public sealed record TownView(string Id, string Name, string? NameEn, string Kind, int Households,
    IReadOnlyList<TownOffice> Offices, IReadOnlyList<Community> Communities);

/// <summary>A district department and the categories (kinds of problem) it leads.</summary>
public sealed record DepartmentView(string Id, string Name, string? NameEn, string Kind, IReadOnlyList<string> LeadsCategoryIds);

/// <summary>One recorded change as the history routes list it; effectiveFrom is null for the shipped data.</summary>
public sealed record ReferenceChangeRow(long Version, string Type, string ItemKind, string ItemId, DateOnly? EffectiveFrom, string? Reason,
    Actor Actor, DateTimeOffset OccurredAt, object Change)
{
    public static ReferenceChangeRow Of(ReferenceChange c) => new(c.Version, c.Type, c.ItemKind, c.ItemId,
        c.EffectiveFrom == DateOnly.MinValue ? null : c.EffectiveFrom, c.Reason, c.Actor, c.OccurredAt, c.Change);
}
