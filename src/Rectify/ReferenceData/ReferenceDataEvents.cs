using Rectify.Identity;

namespace Rectify.ReferenceData;

/// <summary>
/// The district's reference data is one event stream: the shipped file imported once, then every change an admin
/// makes, each with who (Actor), when it was recorded (OccurredAt), from which day it applies (EffectiveFrom) and why.
/// </summary>
public static class ReferenceDataStream
{
    /// <summary>One district per database, so one stream; a fixed id keeps the import idempotent.</summary>
    public static readonly Guid Id = new("7e4d2a10-5c1b-4f7e-9a63-000000000001");
}

/// <summary>The shipped reference-data.json taken in as the starting point (grid household counts become generated ids).</summary>
public sealed record ReferenceDataImported(string Source, string Sha256, ReferenceDataFile Data, Actor Actor, DateTimeOffset OccurredAt);

public sealed record RoutingRuleAdded(
    string RuleId, DateOnly EffectiveFrom, string CategoryId, string? TownId, string? OfficeKind, string? DepartmentId,
    string Reason, Actor Actor, DateTimeOffset OccurredAt);

/// <summary>A new version of an existing rule (same category and scope), from its date on; the old version stays in force before.</summary>
public sealed record RoutingRuleChanged(
    string RuleId, int Version, DateOnly EffectiveFrom, string? OfficeKind, string? DepartmentId,
    string Reason, Actor Actor, DateTimeOffset OccurredAt);

/// <summary>From EffectiveFrom on the rule no longer applies.</summary>
public sealed record RoutingRuleEnded(string RuleId, DateOnly EffectiveFrom, string Reason, Actor Actor, DateTimeOffset OccurredAt);

/// <summary>A district department (TownId null) or a town's office (TownId set, Kind the office kind routing names).</summary>
public sealed record UnitAdded(
    string UnitId, UnitKind UnitKind, string? TownId, string Name, string? NameEn, string Kind, DateOnly EffectiveFrom,
    string Reason, Actor Actor, DateTimeOffset OccurredAt);

public sealed record UnitRenamed(string UnitId, string Name, string? NameEn, DateOnly EffectiveFrom, string Reason, Actor Actor, DateTimeOffset OccurredAt);

public sealed record UnitEnded(string UnitId, DateOnly EffectiveFrom, string Reason, Actor Actor, DateTimeOffset OccurredAt);

public sealed record CommunityAdded(string CommunityId, string TownId, string Name, DateOnly EffectiveFrom, string Reason, Actor Actor, DateTimeOffset OccurredAt);

public sealed record GridAdded(
    string GridId, string CommunityId, string Name, HouseholdRegister Register, DateOnly EffectiveFrom,
    string Reason, Actor Actor, DateTimeOffset OccurredAt);

/// <summary>A grid's household register replaced from a date on (a new count of generated ids, or an imported list).</summary>
public sealed record GridHouseholdsChanged(
    string GridId, HouseholdRegister Register, string Source, DateOnly EffectiveFrom, string Reason, Actor Actor, DateTimeOffset OccurredAt);

/// <summary>A visit named a household the register lacked and the setting let it be registered there and then.</summary>
public sealed record HouseholdRegisteredOnSpot(
    string GridId, string HouseholdId, string? Address, Guid VisitId, DateOnly EffectiveFrom, Actor Actor, DateTimeOffset OccurredAt);

/// <summary>A town's name from a date on; the id never changes (issues, rules and offices keep naming it).</summary>
public sealed record TownRenamed(string TownId, string Name, string? NameEn, DateOnly EffectiveFrom, string Reason, Actor Actor, DateTimeOffset OccurredAt);

public sealed record CommunityRenamed(string CommunityId, string Name, DateOnly EffectiveFrom, string Reason, Actor Actor, DateTimeOffset OccurredAt);

/// <summary>From EffectiveFrom on the community is gone (its grids must have ended by then).</summary>
public sealed record CommunityEnded(string CommunityId, DateOnly EffectiveFrom, string Reason, Actor Actor, DateTimeOffset OccurredAt);

public sealed record GridRenamed(string GridId, string Name, DateOnly EffectiveFrom, string Reason, Actor Actor, DateTimeOffset OccurredAt);

/// <summary>From EffectiveFrom on the grid is gone: no visits there, no longer counted in coverage.</summary>
public sealed record GridEnded(string GridId, DateOnly EffectiveFrom, string Reason, Actor Actor, DateTimeOffset OccurredAt);

/// <summary>The department leading a category (its domain) from a date on; the lead before stays in force before.</summary>
public sealed record CategoryLeadChanged(string CategoryId, string DepartmentId, DateOnly EffectiveFrom, string Reason, Actor Actor, DateTimeOffset OccurredAt);

public static class ReferenceDataEventNames
{
    public static readonly IReadOnlyDictionary<Type, string> All = new Dictionary<Type, string>
    {
        [typeof(ReferenceDataImported)] = "reference_data_imported.v1",
        [typeof(RoutingRuleAdded)] = "routing_rule_added.v1",
        [typeof(RoutingRuleChanged)] = "routing_rule_changed.v1",
        [typeof(RoutingRuleEnded)] = "routing_rule_ended.v1",
        [typeof(UnitAdded)] = "unit_added.v1",
        [typeof(UnitRenamed)] = "unit_renamed.v1",
        [typeof(UnitEnded)] = "unit_ended.v1",
        [typeof(CommunityAdded)] = "community_added.v1",
        [typeof(GridAdded)] = "grid_added.v1",
        [typeof(GridHouseholdsChanged)] = "grid_households_changed.v1",
        [typeof(HouseholdRegisteredOnSpot)] = "household_registered_on_spot.v1",
        [typeof(TownRenamed)] = "town_renamed.v1",
        [typeof(CommunityRenamed)] = "community_renamed.v1",
        [typeof(CommunityEnded)] = "community_ended.v1",
        [typeof(GridRenamed)] = "grid_renamed.v1",
        [typeof(GridEnded)] = "grid_ended.v1",
        [typeof(CategoryLeadChanged)] = "category_lead_changed.v1"
    };
}
