using Rectify.Infrastructure;
using Rectify.ReferenceData;

namespace Rectify.Identity.Keys;

/// <summary>Checks of a client's name, scope and allowed routes, as named fields (the API) or flags (ops/cli).</summary>
public static class ClientFields
{
    public const int MaxNameLength = 64, MaxRoutes = 200;

    /// <summary>Names appear in paths (/api/v1/clients/{name}) and in every event the client causes.</summary>
    public static string? NameProblem(string name) =>
        name.Length > MaxNameLength ? $"Must be at most {MaxNameLength} characters."
        : name.Length == 0 || !char.IsAsciiLetterOrDigit(name[0]) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? "Must start with a letter or digit and hold only letters, digits, '-', '_' and '.'."
            : null;

    /// <summary>Each bad scope field with why, as ClientScope decides for ops/cli, named as the API names them.</summary>
    public static IEnumerable<(string Field, string Reason)> ScopeProblems(Role role, string? townId, string? departmentId, DistrictReferenceData references)
    {
        if (townId is not null && references.FindTown(townId) is null) yield return ("townId", $"Unknown town '{townId}'.");
        if (departmentId is not null && references.FindDepartment(departmentId) is null) yield return ("departmentId", $"Unknown department '{departmentId}'.");
        switch (role)
        {
            case Role.System:
                yield return ("role", "The system role is Rectify's own; no client may have it.");
                break;
            case Role.Visitor or Role.TownOffice or Role.TownLeader:
                if (townId is null) yield return ("townId", $"Is required for a {Kebab.Of(role)} client.");
                if (departmentId is not null) yield return ("departmentId", $"A {Kebab.Of(role)} client acts for a town, not a department.");
                break;
            case Role.Department:
                if (departmentId is null) yield return ("departmentId", "Is required for a department client.");
                if (townId is not null) yield return ("townId", "A department client acts for its department, not a town.");
                break;
            default:
                if (townId is not null) yield return ("townId", $"A {Kebab.Of(role)} client acts for the whole district: give no town.");
                if (departmentId is not null) yield return ("departmentId", $"A {Kebab.Of(role)} client acts for the whole district: give no department.");
                break;
        }
    }

    /// <summary>The routes as mapped, with a reason per bad item (index, reason). Only an external system lists routes.</summary>
    /// <summary>
    /// The writes an external system may be given: collection (issues, visits, WeChat groups and their posts), where it acts
    /// as a district supervisor would. Decisions on an issue (assign, close, verify...) belong to named people, not systems.
    /// </summary>
    public static readonly IReadOnlyList<string> ExternalSystemWrites =
        ["POST /api/v1/issues", "POST /api/v1/visits", "POST /api/v1/wechat-groups", "POST /api/v1/wechat-groups/{id}/posts"];

    public static (List<string> Routes, List<(int Index, string Reason)> Problems) Routes(Role role, IReadOnlyList<string?> given, MappedRoutes mapped)
    {
        var routes = new List<string>();
        var problems = new List<(int, string)>();
        for (var i = 0; i < given.Count; i++)
        {
            if (given[i] is not { } text) problems.Add((i, "Must be a string such as \"POST /api/v1/issues\"."));
            else if (mapped.Find(text) is not { } route) problems.Add((i, $"'{text}' is not a route of this API (write \"METHOD /template\" as in /openapi/v1.json)."));
            else if (routes.Contains(route)) problems.Add((i, $"'{route}' is listed twice."));
            else if (role == Role.ExternalSystem && !route.StartsWith("GET ", StringComparison.Ordinal) && !ExternalSystemWrites.Contains(route))
                problems.Add((i, $"'{route}' may not be given to an external system: its writes are collection only ({string.Join(", ", ExternalSystemWrites)})."));
            else routes.Add(route);
        }
        if (role != Role.ExternalSystem && given.Count > 0) problems.Add((-1, "Only an external-system client has allowed routes; other roles' rights follow from their role."));
        if (role == Role.ExternalSystem && given.Count == 0) problems.Add((-1, "An external-system client needs at least one allowed route."));
        return (routes, problems);
    }
}
