using System.Text.Json.Serialization;

namespace Rectify.ReferenceData;

/// <summary>A household of a grid's register: its door number (e.g. 3-1-101), optionally an address.</summary>
public sealed record Household(string Id, string? Address, bool RegisteredOnSpot = false)
{
    /// <summary>Why the text cannot be a household id, or null: 1-64 characters, no spaces or control characters.</summary>
    public static string? Problem(string? id) =>
        string.IsNullOrWhiteSpace(id) ? "is required."
        : id.Length > 64 ? "must be at most 64 characters."
        : id.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) ? $"'{id}' must not contain spaces or control characters."
        : null;
}

/// <summary>
/// 户籍/住户名册 of a grid. Imported lists name each household; the shipped counts become generated ids
/// 0001..Generated (the ids the seeded campaign visits), so 186,276 households cost no storage until replaced.
/// </summary>
public sealed record HouseholdRegister(int Generated, IReadOnlyList<Household> Listed)
{
    public const int MaxHouseholds = 100_000;

    [JsonIgnore] public int Count => Generated + Listed.Count;

    private HashSet<string>? _ids;

    public static HouseholdRegister Of(int generated) => new(generated, []);

    public static string GeneratedId(int n) => $"{n:0000}";

    public bool Contains(string householdId)
    {
        _ids ??= Listed.Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
        return _ids.Contains(householdId) || IsGenerated(householdId);
    }

    private bool IsGenerated(string id) =>
        id.Length >= 4 && id.All(char.IsAsciiDigit) && int.TryParse(id, out var n) && n >= 1 && n <= Generated && id == GeneratedId(n);

    /// <summary>The register with one household more (registered on the spot at a visit).</summary>
    public HouseholdRegister With(Household household) => new(Generated, [.. Listed, household]);

    /// <summary>Every household, generated ones first; a page of them for the GET.</summary>
    public IEnumerable<Household> All() =>
        Enumerable.Range(1, Generated).Select(n => new Household(GeneratedId(n), null)).Concat(Listed);
}
