using System.Text;
using Rectify.Infrastructure;

namespace Rectify.Identity.Access;

/// <summary>
/// The access table as docs/security.md prints it, between two marker comments; a test keeps the two equal
/// (RECTIFY_WRITE_ACCESS_MATRIX=1 rewrites the block).
/// </summary>
public static class RouteAccessDocument
{
    public const string Begin = "<!-- access-matrix:begin (generated from RouteAccess.cs; do not edit by hand) -->";
    public const string End = "<!-- access-matrix:end -->";

    public static string Markdown()
    {
        var text = new StringBuilder();
        text.AppendLine($"| Route | {string.Join(" | ", RouteAccess.ClientRoles.Select(r => $"`{Kebab.Of(r)}`"))} | Scope |");
        text.AppendLine($"|---|{string.Concat(RouteAccess.ClientRoles.Select(_ => "---|"))}---|");
        foreach (var rule in RouteAccess.Rules)
            text.AppendLine($"| `{rule.Method} {rule.Template}` | {string.Join(" | ", RouteAccess.ClientRoles.Select(r => Cell(rule, r)))} | {Describe(rule.Scope)} |");
        return text.ToString();
    }

    /// <summary>yes: whatever its scope; own: within its own town or department; cmd: the command's own rule decides; —: refused.</summary>
    public static string Cell(RouteRule rule, Role role) =>
        rule.Scope == ScopeFrom.Anonymous ? "yes"
        : role == Role.ExternalSystem ? "listed"
        : !rule.Roles.Contains(role) ? "—"
        : rule.Scope is ScopeFrom.Command or ScopeFrom.IssueCommand ? "cmd"
        : rule.Scope == ScopeFrom.Open || ReadScope.Of(new Actor("", role, null, null)).IsDistrict ? "yes"
        : "own";

    public static string Describe(ScopeFrom scope) => scope switch
    {
        ScopeFrom.Anonymous => "none (no key needed)",
        ScopeFrom.Open => "none (reference data)",
        ScopeFrom.District => "the whole district",
        ScopeFrom.Town => "town in `{townId}`",
        ScopeFrom.Unit => "unit in `{unitId}` (a town office counts for its town; a town's id for the town)",
        ScopeFrom.Department => "department in `{departmentId}`",
        ScopeFrom.Grid => "town of the grid in `{gridId}`",
        ScopeFrom.Issue => "issue in `{id}`: its town, every unit that held it",
        ScopeFrom.CategoryLead => "lead department of `{categoryId}`",
        ScopeFrom.VisitorDay => "towns of the visits and issues of `{visitorId}` on `{date}`",
        ScopeFrom.NamedInQuery => "`?townId=` / `?departmentId=` the caller holds (none: the district)",
        ScopeFrom.FilteredList => "filtered to the caller's; `?townId=` / `?unitId=` outside it refused",
        ScopeFrom.TownList => "filtered to the caller's town; `?townId=` outside it refused",
        ScopeFrom.Command => "checked by the endpoint after its body",
        ScopeFrom.IssueCommand => "issue in `{id}`: role and the command's rule after the body (400 → 404 → 403 → 409)",
        _ => scope.ToString()
    };
}
