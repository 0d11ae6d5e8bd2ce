namespace Rectify.ReferenceData.Changing;

// What the admin writes of reference data answer, as records so that the API document states their fields.
// effectiveFrom is null for the version shipped with the data (in effect from the start).

/// <summary>A category's lead department, version by version, and its recorded changes.</summary>
public sealed record CategoryLeadAnswer(string CategoryId, IReadOnlyList<LeadVersion>? Versions, IReadOnlyList<ReferenceChange> History);

public sealed record LeadVersion(DateOnly? EffectiveFrom, string? LeadDepartmentId);

/// <summary>A new community and its recorded changes.</summary>
public sealed record NewCommunityAnswer(string CommunityId, string TownId, IReadOnlyList<ReferenceChange> History);

/// <summary>A grid's household register on a day: households in all, generated ids, listed ones, those registered on the spot.</summary>
public sealed record GridRegisterAnswer(string GridId, DateOnly AsOf, string? CommunityId, string? TownId, int Households, int Generated, int Listed,
    int RegisteredOnSpot);

/// <summary>A page of a grid's household register.</summary>
public sealed record HouseholdPage(string GridId, DateOnly AsOf, int Total, int Page, int PageSize, IReadOnlyList<HouseholdRow> Items);

public sealed record HouseholdRow(string HouseholdId, string? Address, bool RegisteredOnSpot);

/// <summary>A place's names version by version (ended: no longer in effect from that day), and its recorded changes.</summary>
public sealed record PlaceVersion(DateOnly? EffectiveFrom, string? Name, bool Ended);

public sealed record TownAnswer(string TownId, IReadOnlyList<PlaceVersion>? Versions, IReadOnlyList<ReferenceChange> History);

public sealed record CommunityAnswer(string CommunityId, IReadOnlyList<PlaceVersion>? Versions, IReadOnlyList<ReferenceChange> History);

public sealed record GridAnswer(string GridId, IReadOnlyList<PlaceVersion>? Versions, IReadOnlyList<ReferenceChange> History);

/// <summary>A unit (a district department or a town's office) version by version; townId only for an office.</summary>
public sealed record UnitAnswer(string UnitId, string? TownId, IReadOnlyList<UnitVersion>? Versions);

/// <summary>The unit as it reads from a day on; null (and ended) from the day it ends.</summary>
public sealed record UnitVersion(DateOnly? EffectiveFrom, UnitValue? Unit, bool Ended);

public sealed record UnitValue(string Id, string Name, string? NameEn, string Kind)
{
    public static UnitValue? Of(object? unit) => unit switch
    {
        Department d => new(d.Id, d.Name, d.NameEn, d.Kind),
        TownOffice o => new(o.Id, o.Name, o.NameEn, o.Kind),
        _ => null
    };
}

/// <summary>A routing rule as it reads now and every version of it.</summary>
public sealed record RoutingRuleAnswer(RoutingRule Rule, IReadOnlyList<RoutingRule> Versions);
