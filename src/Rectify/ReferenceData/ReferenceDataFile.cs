namespace Rectify.ReferenceData;

/// <summary>The shape of reference-data.json, the initial import; afterwards the event stream is the source.</summary>
public sealed record ReferenceDataFile(
    District District, IReadOnlyList<Category> Categories, IReadOnlyList<Department> Departments,
    IReadOnlyList<Town> Towns, IReadOnlyList<RoutingRule>? RoutingRules);
