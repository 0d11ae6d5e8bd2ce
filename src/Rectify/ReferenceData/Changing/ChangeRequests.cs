using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Rectify.Infrastructure.Requests;

namespace Rectify.ReferenceData.Changing;

/// <summary>
/// What every reference-data change carries: why, and from which day it applies. Alone, it is the body of the
/// changes that need nothing else (ending a unit, a community or a grid).
/// </summary>
[Description("Why the change is made and from which day it applies.")]
public record ChangeRequest
{
    [Required, Description("Why (at most 500 characters); recorded in the history."), Example("区里撤并机构")]
    public string? Reason { get; init; }

    [Description("The day (Asia/Shanghai) from which the change applies; today when left out, never before today."), Example("2027-01-01")]
    public DateOnly? EffectiveFrom { get; init; }
}

[Description("A district department to add.")]
public sealed record AddDepartmentRequest : ChangeRequest
{
    [Required, Description("The new unit's id: lower-case letters, digits and '-' (at most 64)."), Example("district-water")]
    public string? Id { get; init; }

    [Required, Description("Its name (at most 100 characters)."), Example("区水务局")]
    public string? Name { get; init; }

    [Description("Its English name (at most 200 characters)."), Example("District Water Bureau")]
    public string? NameEn { get; init; }

    [Description("The kind of department (at most 64 characters); department when left out."), Example("department")]
    public string? Kind { get; init; }
}

[Description("An office to add to a town.")]
public sealed record AddOfficeRequest : ChangeRequest
{
    [Required, Description("The new unit's id: lower-case letters, digits and '-' (at most 64)."), Example("qicun-water")]
    public string? Id { get; init; }

    [Required, Description("Its name (at most 100 characters)."), Example("齐村镇水务站")]
    public string? Name { get; init; }

    [Description("Its English name (at most 200 characters)."), Example("Qicun Water Station")]
    public string? NameEn { get; init; }

    [Required, Description("The office kind routing rules name (lower-case letters, digits and '-'); a town has one office of each kind."), Example("water")]
    public string? Kind { get; init; }
}

[Description("A new name for a community or a grid.")]
public record RenameRequest : ChangeRequest
{
    [Required, Description("The new name (at most 100 characters)."), Example("齐村社区")]
    public string? Name { get; init; }
}

[Description("A new name, and optionally a new English name, for a town or a unit.")]
public sealed record RenameWithEnglishRequest : RenameRequest
{
    [Description("The new English name (at most 200 characters)."), Example("Qicun")]
    public string? NameEn { get; init; }
}

[Description("A community to add to a town.")]
public sealed record AddCommunityRequest : ChangeRequest
{
    [Required, Description("The new community's id: lower-case letters, digits and '-' (at most 64)."), Example("qicun-xincun")]
    public string? Id { get; init; }

    [Required, Description("Its name (at most 100 characters)."), Example("新村")]
    public string? Name { get; init; }
}

[Description("One household of a register.")]
public sealed record RegisterEntry
{
    [Required, Description("The household id (户号) within the grid."), Example("0001")]
    public string? HouseholdId { get; init; }

    [Description("Its address (at most 200 characters)."), Example("齐村3组12号")]
    public string? Address { get; init; }
}

/// <summary>A grid's household register: a count of generated ids or a list; exactly one of the two.</summary>
[Description("A grid's household register: households (a count; ids 0001..n are generated) or register (a list), exactly one of the two.")]
public record HouseholdsRequest : ChangeRequest
{
    [Description("How many households (0 to 100,000); ids 0001..n are generated."), Example(120L)]
    public long? Households { get; init; }

    [Description("The households, listed (at most 100,000).")]
    public IReadOnlyList<RegisterEntry>? Register { get; init; }
}

[Description("A grid to add to a community, with its household register.")]
public sealed record AddGridRequest : HouseholdsRequest
{
    [Required, Description("The new grid's id: lower-case letters, digits and '-' (at most 64)."), Example("qicun-xincun-01")]
    public string? Id { get; init; }

    [Required, Description("Its name (at most 100 characters)."), Example("新村第一网格")]
    public string? Name { get; init; }
}

[Description("A routing rule to add: where a category's problems (in a town, or district-wide) go.")]
public sealed record AddRoutingRuleRequest : ChangeRequest
{
    [Description("The rule's id (lower-case letters, digits and '-'); made from the category, town and day when left out."), Example("roads-qicun-2027-01-01")]
    public string? RuleId { get; init; }

    [Required, Description("The category (问题类别) the rule routes."), Example("roads")]
    public string? CategoryId { get; init; }

    [Description("The town it applies in; district-wide when left out."), Example("qicun")]
    public string? TownId { get; init; }

    [Description("The kind of town office that receives the problems."), Example("construction")]
    public string? OfficeKind { get; init; }

    [Description("The district department they are escalated to."), Example("district-transport")]
    public string? DepartmentId { get; init; }
}

[Description("Where a routing rule sends problems from a day on.")]
public sealed record ChangeRoutingRuleRequest : ChangeRequest
{
    [Required, Description("The rule's current version, as read; another version is a 409."), Example(1L)]
    public long? Version { get; init; }

    [Description("The kind of town office that receives the problems."), Example("construction")]
    public string? OfficeKind { get; init; }

    [Description("The district department they are escalated to."), Example("district-transport")]
    public string? DepartmentId { get; init; }
}

[Description("The end of a routing rule.")]
public sealed record EndRoutingRuleRequest : ChangeRequest
{
    [Required, Description("The rule's current version, as read; another version is a 409."), Example(2L)]
    public long? Version { get; init; }
}

[Description("The department that leads a category from a day on.")]
public sealed record ChangeCategoryLeadRequest : ChangeRequest
{
    [Required, Description("The department (lower-case letters, digits and '-')."), Example("district-housing")]
    public string? DepartmentId { get; init; }
}
