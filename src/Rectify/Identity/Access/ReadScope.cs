using Rectify.Ledgers;

namespace Rectify.Identity.Access;

/// <summary>
/// What a caller may read: one town (visitor, town office, town leader), one department (what it holds or held), or
/// the whole district (district supervisors, auditors, admins, and external systems on their allowed routes).
/// </summary>
public sealed record ReadScope(string? TownId, string? DepartmentId)
{
    public static readonly ReadScope District = new(null, null);

    public bool IsDistrict => TownId is null && DepartmentId is null;

    public static ReadScope Of(Actor actor) => actor.Role switch
    {
        Role.Visitor or Role.TownOffice or Role.TownLeader => new(actor.TownId ?? "", null),
        Role.Department => new(null, actor.DepartmentId ?? ""),
        _ => District
    };

    /// <summary>A department sees what it holds or held: an issue it handed on stays visible to it.</summary>
    public bool Sees(IssueSummary issue) =>
        IsDistrict || (TownId is not null ? issue.State.TownId == TownId : issue.Units.Contains(DepartmentId!));

    /// <summary>Narrows a query of summaries to this scope (the same rule as <see cref="Sees"/>, in SQL).</summary>
    public IQueryable<IssueSummary> Filter(IQueryable<IssueSummary> issues) =>
        IsDistrict ? issues
        : TownId is { } town ? issues.Where(s => s.State.TownId == town)
        : issues.Where(s => s.Units.Contains(DepartmentId!));

    public override string ToString() => IsDistrict ? "the district" : TownId is { } town ? $"town {town}" : $"department {DepartmentId}";
}
