using System.Text.Json;

namespace Rectify.ReferenceData;

public sealed record District(string Id, string Name);

public sealed record Category(string Id, string Name, string? NameEn, bool SatisfactionDomain, string? LeadDepartmentId);

public sealed record Department(string Id, string Name, string? NameEn, string Kind);

public sealed record Grid(string Id, string Name, int Households);

public sealed record Community(string Id, string Name, IReadOnlyList<Grid> Grids);

public sealed record TownOffice(string Id, string Name, string? NameEn, string Kind);

public sealed record Town(string Id, string Name, string? NameEn, string Kind,
    IReadOnlyList<TownOffice> Offices, IReadOnlyList<Community> Communities);

public enum UnitKind { TownOffice, Department }

/// <summary>A unit that can hold an issue: a town's office or a district department.</summary>
public sealed record Unit(string Id, string Name, UnitKind Kind, string? TownId);

/// <summary>
/// The district's reference data, read once at start-up from reference-data.json.
/// One instance per district database (multi-district deployments load one file per tenant later).
/// </summary>
public sealed class DistrictReferenceData
{
    public const string FileName = "reference-data.json";

    public required District District { get; init; }
    public required IReadOnlyList<Category> Categories { get; init; }
    public required IReadOnlyList<Department> Departments { get; init; }
    public required IReadOnlyList<Town> Towns { get; init; }
    public IReadOnlyList<RoutingRule> RoutingRules { get; init; } = [];

    private Dictionary<string, Unit> _units = new();
    private Dictionary<string, (Town Town, Community Community)> _communities = new();
    private Dictionary<string, (Town Town, Community Community, Grid Grid)> _grids = new();

    public Town? FindTown(string id) => Towns.FirstOrDefault(t => t.Id == id);
    public Category? FindCategory(string id) => Categories.FirstOrDefault(c => c.Id == id);
    public Department? FindDepartment(string id) => Departments.FirstOrDefault(d => d.Id == id);
    public Unit? FindUnit(string id) => _units.GetValueOrDefault(id);

    public (Town Town, Community Community)? FindCommunity(string id) =>
        _communities.TryGetValue(id, out var found) ? found : null;

    public (Town Town, Community Community, Grid Grid)? FindGrid(string id) =>
        _grids.TryGetValue(id, out var found) ? found : null;

    /// <summary>The same district with other routing rules (rules are dated, so a change is an addition).</summary>
    public DistrictReferenceData WithRoutingRules(IReadOnlyList<RoutingRule> rules)
    {
        var data = new DistrictReferenceData
        {
            District = District, Categories = Categories, Departments = Departments, Towns = Towns, RoutingRules = rules
        };
        data.Index();
        return data;
    }

    public static DistrictReferenceData Load(string path)
    {
        if (!File.Exists(path))
            throw new InvalidOperationException($"Reference data file not found: {path}. Set ReferenceData:Path or ship {FileName} beside the service.");

        using var stream = File.OpenRead(path);
        var data = JsonSerializer.Deserialize<DistrictReferenceData>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web))
                   ?? throw new InvalidOperationException($"Reference data file {path} is empty.");
        data.Index();
        return data;
    }

    private void Index()
    {
        var ids = new HashSet<string>();
        void Unique(string id)
        {
            if (!ids.Add(id)) throw new InvalidOperationException($"Reference data: id '{id}' is used twice.");
        }

        foreach (var c in Categories)
        {
            Unique(c.Id);
            if (c.LeadDepartmentId is not null && Departments.All(d => d.Id != c.LeadDepartmentId))
                throw new InvalidOperationException($"Reference data: category '{c.Id}' names an unknown lead department '{c.LeadDepartmentId}'.");
        }

        foreach (var d in Departments)
        {
            Unique(d.Id);
            _units[d.Id] = new Unit(d.Id, d.Name, UnitKind.Department, null);
        }

        foreach (var t in Towns)
        {
            Unique(t.Id);
            foreach (var o in t.Offices)
            {
                Unique(o.Id);
                _units[o.Id] = new Unit(o.Id, o.Name, UnitKind.TownOffice, t.Id);
            }

            foreach (var c in t.Communities)
            {
                Unique(c.Id);
                _communities[c.Id] = (t, c);
                foreach (var g in c.Grids)
                {
                    Unique(g.Id);
                    _grids[g.Id] = (t, c, g);
                }
            }
        }

        foreach (var rule in RoutingRules)
        {
            Unique(rule.Id);
            if (rule.Check(this) is { } problem) throw new InvalidOperationException($"Reference data: routing rule '{rule.Id}': {problem}");
        }
    }
}
