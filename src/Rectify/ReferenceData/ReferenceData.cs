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

    /// <summary>The day this view of the reference data is for (units and grids in effect then); null for the shipped file.</summary>
    public DateOnly? AsOf { get; init; }

    /// <summary>Each grid's household register; a grid missing here has generated ids for its count (the shipped file).</summary>
    public IReadOnlyDictionary<string, HouseholdRegister> Registers { get; init; } = new Dictionary<string, HouseholdRegister>();

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

    /// <summary>The households of a grid, or null for an unknown grid.</summary>
    public HouseholdRegister? RegisterOf(string gridId) =>
        FindGrid(gridId) is not { } found ? null : Registers.GetValueOrDefault(gridId) ?? HouseholdRegister.Of(found.Grid.Households);

    /// <summary>The same district with other routing rules (rules are dated, so a change is an addition).</summary>
    public DistrictReferenceData WithRoutingRules(IReadOnlyList<RoutingRule> rules)
    {
        var data = new DistrictReferenceData
        {
            District = District, Categories = Categories, Departments = Departments, Towns = Towns, RoutingRules = rules,
            AsOf = AsOf, Registers = Registers
        };
        data.Index();
        return data;
    }

    public static DistrictReferenceData Load(string path)
    {
        if (!File.Exists(path))
            throw new InvalidOperationException($"Reference data file not found: {path}. Set ReferenceData:Path or ship {FileName} beside the service.");

        return From(ReadFile(path));
    }

    public static ReferenceDataFile ReadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return JsonSerializer.Deserialize<ReferenceDataFile>(stream, new JsonSerializerOptions(JsonSerializerDefaults.Web))
               ?? throw new InvalidOperationException($"Reference data file {path} is empty.");
    }

    public static DistrictReferenceData From(ReferenceDataFile file)
    {
        var data = new DistrictReferenceData
        {
            District = file.District, Categories = file.Categories, Departments = file.Departments, Towns = file.Towns,
            RoutingRules = file.RoutingRules ?? []
        };
        data.Index();
        return data;
    }

    /// <summary>
    /// A view built from the reference-data stream. Rules are checked when they are written, against the day they
    /// take effect (a rule may name an office that opens later), so they are not checked again here.
    /// </summary>
    public static DistrictReferenceData Of(DateOnly asOf, District district, IReadOnlyList<Category> categories, IReadOnlyList<Department> departments,
        IReadOnlyList<Town> towns, IReadOnlyList<RoutingRule> rules, IReadOnlyDictionary<string, HouseholdRegister> registers)
    {
        var data = new DistrictReferenceData
        {
            District = district, Categories = categories, Departments = departments, Towns = towns, RoutingRules = rules,
            AsOf = asOf, Registers = registers
        };
        data.Index(checkRules: false);
        return data;
    }

    private void Index(bool checkRules = true)
    {
        var ids = new HashSet<string>();
        void Unique(string id)
        {
            if (!ids.Add(id)) throw new InvalidOperationException($"Reference data: id '{id}' is used twice.");
        }

        foreach (var c in Categories)
        {
            Unique(c.Id);
            if (checkRules && c.LeadDepartmentId is not null && Departments.All(d => d.Id != c.LeadDepartmentId))
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
            // Versions of one rule share its id.
            if (rule.Version == 1) Unique(rule.Id);
            if (checkRules && rule.Check(this) is { } problem) throw new InvalidOperationException($"Reference data: routing rule '{rule.Id}': {problem}");
        }
    }
}
