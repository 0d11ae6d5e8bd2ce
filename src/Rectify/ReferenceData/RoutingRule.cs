namespace Rectify.ReferenceData;

/// <summary>
/// Where a category's problems go, from a date on: to which office of a town (by the office's kind, e.g.
/// "enforcement"), and to which district department when escalated. A rule without a town applies to every
/// town. Rules are never edited in place: a change is a new <see cref="Version"/> of the rule with a later
/// <see cref="EffectiveFrom"/>, and an end sets <see cref="EffectiveTo"/> (the first day it no longer applies),
/// so earlier routings stay explained by the rule version they used. Precedence: docs/routing.md.
/// </summary>
public sealed record RoutingRule(
    string Id, DateOnly EffectiveFrom, string CategoryId, string? TownId, string? OfficeKind, string? DepartmentId,
    int Version = 1, DateOnly? EffectiveTo = null)
{
    public bool InEffectOn(DateOnly date) => EffectiveFrom <= date && (EffectiveTo is null || date < EffectiveTo);

    public string? Check(DistrictReferenceData data)
    {
        if (data.FindCategory(CategoryId) is null) return $"unknown category '{CategoryId}'";
        if (TownId is not null && data.FindTown(TownId) is null) return $"unknown town '{TownId}'";
        if (DepartmentId is not null && data.FindDepartment(DepartmentId) is null) return $"unknown department '{DepartmentId}'";
        if (OfficeKind is null && DepartmentId is null) return "names neither an office kind nor a department";
        if (OfficeKind is not null)
        {
            var towns = TownId is null ? data.Towns : data.Towns.Where(t => t.Id == TownId);
            var without = towns.FirstOrDefault(t => t.Offices.All(o => o.Kind != OfficeKind));
            if (without is not null) return $"town '{without.Id}' has no office of kind '{OfficeKind}'";
        }
        return null;
    }
}

public static class RoutingRules
{
    /// <summary>The town office a category's problems go to in a town on a date, and the rule that says so.</summary>
    public static (Unit Unit, RoutingRule Rule)? TownOfficeFor(this DistrictReferenceData data, string townId, string categoryId, DateOnly date)
    {
        var rule = InEffect(data, townId, categoryId, date, r => r.OfficeKind is not null);
        if (rule is null) return null;
        var office = data.FindTown(townId)?.Offices.FirstOrDefault(o => o.Kind == rule.OfficeKind);
        return office is null ? null : (data.FindUnit(office.Id)!, rule);
    }

    /// <summary>The department a category's problems are escalated to from a town on a date, and the rule that says so.</summary>
    public static (Department Department, RoutingRule Rule)? DepartmentFor(this DistrictReferenceData data, string townId, string categoryId, DateOnly date)
    {
        var rule = InEffect(data, townId, categoryId, date, r => r.DepartmentId is not null);
        return rule is null || data.FindDepartment(rule.DepartmentId!) is not { } department ? null : (department, rule);
    }

    /// <summary>
    /// The rule that decides: of the rules in effect on the date for the category, in the town or district-wide,
    /// the one with the latest effective date; on the same date a town's own rule before a district-wide one; then
    /// the later-added rule. So a district-wide change reaches every town, also one with an older rule of its own.
    /// </summary>
    public static RoutingRule? InEffect(DistrictReferenceData data, string townId, string categoryId, DateOnly date, Func<RoutingRule, bool> kind) =>
        data.RoutingRules
            .Select((r, i) => (Rule: r, Order: i))
            .Where(x => x.Rule.CategoryId == categoryId && (x.Rule.TownId is null || x.Rule.TownId == townId) && x.Rule.InEffectOn(date) && kind(x.Rule))
            .OrderByDescending(x => x.Rule.EffectiveFrom)
            .ThenByDescending(x => x.Rule.TownId is not null)
            .ThenByDescending(x => x.Order)
            .Select(x => x.Rule)
            .FirstOrDefault();
}
