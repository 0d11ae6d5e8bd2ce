namespace Rectify.ReferenceData;

/// <summary>
/// Where a category's problems go, from a date on: to which office of a town (by the office's kind, e.g.
/// "enforcement"), and to which district department when escalated. A rule without a town applies to every
/// town; a town's own rule wins over it. Rules are never edited or removed: a change is a new rule with a later
/// <see cref="EffectiveFrom"/>, so earlier routings stay explained by the rule they used.
/// </summary>
public sealed record RoutingRule(
    string Id, DateOnly EffectiveFrom, string CategoryId, string? TownId, string? OfficeKind, string? DepartmentId)
{
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
        var office = data.FindTown(townId)!.Offices.First(o => o.Kind == rule.OfficeKind);
        return (data.FindUnit(office.Id)!, rule);
    }

    /// <summary>The department a category's problems are escalated to from a town on a date, and the rule that says so.</summary>
    public static (Department Department, RoutingRule Rule)? DepartmentFor(this DistrictReferenceData data, string townId, string categoryId, DateOnly date)
    {
        var rule = InEffect(data, townId, categoryId, date, r => r.DepartmentId is not null);
        return rule is null ? null : (data.FindDepartment(rule.DepartmentId!)!, rule);
    }

    private static RoutingRule? InEffect(DistrictReferenceData data, string townId, string categoryId, DateOnly date, Func<RoutingRule, bool> kind) =>
        data.RoutingRules
            .Where(r => r.CategoryId == categoryId && (r.TownId is null || r.TownId == townId) && r.EffectiveFrom <= date && kind(r))
            .OrderByDescending(r => r.TownId is not null)
            .ThenByDescending(r => r.EffectiveFrom)
            .FirstOrDefault();
}
