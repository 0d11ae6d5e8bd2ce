using static Rectify.Identity.Role;

namespace Rectify.Identity.Access;

/// <summary>How the scope a route touches is found, and so whether a scoped caller (a town, a department) may call it.</summary>
public enum ScopeFrom
{
    /// <summary>No key needed (reference data, health).</summary>
    Anonymous,
    /// <summary>Any client with a key, whatever its scope: reference data's histories and the calendar.</summary>
    Open,
    /// <summary>The whole district: district-wide roles only.</summary>
    District,
    /// <summary>The town in {townId}.</summary>
    Town,
    /// <summary>The unit in {unitId} (a department, a town office and so its town), or a town's id.</summary>
    Unit,
    /// <summary>The department in {departmentId}.</summary>
    Department,
    /// <summary>The town of the grid in {gridId}.</summary>
    Grid,
    /// <summary>The issue in {id}: its town, and every unit that held it.</summary>
    Issue,
    /// <summary>The lead department of the category in {categoryId}.</summary>
    CategoryLead,
    /// <summary>The towns of the visits and issues of {visitorId} on {date}.</summary>
    VisitorDay,
    /// <summary>Figures: the query must name a scope the caller holds (?townId= for a town, ?departmentId= for a department).</summary>
    NamedInQuery,
    /// <summary>A list filtered to the caller's scope; a ?townId= or ?unitId= outside it is refused.</summary>
    FilteredList,
    /// <summary>A list filtered to the caller's town; only ?townId= narrows it, so only a ?townId= outside it is refused.</summary>
    TownList,
    /// <summary>A write: the role is checked before the body, the scope by the endpoint after it.</summary>
    Command,
    /// <summary>
    /// An issue command (/api/v1/issues/{id}/...): the role's refusal is handed to IssueCommandRunner, which answers it at
    /// its 403 step, after the body and the 404 (401 → 400 → 404 → 403 → 409); then the command's own rule.
    /// </summary>
    IssueCommand
}

/// <summary>One mapped route: who may call it and how its scope is found.</summary>
public sealed record RouteRule(string Method, string Template, IReadOnlyList<Role> Roles, ScopeFrom Scope)
{
    public string Route => $"{Method} {Template}";
}

/// <summary>
/// THE access table: every route Wolverine maps, with the roles that may call it and how its scope is found. Enforced for
/// every endpoint by <see cref="RouteAccessMiddleware"/>; a route missing here is refused ("no access rule"), and
/// RouteAccessTests list it. docs/security.md prints this table (RouteAccessDocument). External systems are not listed in
/// the rows: they may call exactly the routes on their client's AllowedRoutes, with district scope.
/// </summary>
public static class RouteAccess
{
    private static readonly Role[] TownRoles = [Visitor, TownOffice, TownLeader];
    private static readonly Role[] TownDesks = [TownOffice, TownLeader];
    private static readonly Role[] DistrictRoles = [DistrictSupervisor, Auditor, Admin];
    private static readonly Role[] Everyone = [.. TownRoles, Department, .. DistrictRoles];
    private static readonly Role[] Holder = [TownOffice, Department, Admin];
    private static readonly Role[] TownOrDistrict = [TownOffice, DistrictSupervisor, Admin];
    private static readonly Role[] Collector = [Visitor, TownOffice, DistrictSupervisor, Admin];
    private static readonly Role[] AdminOnly = [Admin];

    /// <summary>The client roles, in the order the document and the matrix print them.</summary>
    public static readonly Role[] ClientRoles = [Visitor, TownOffice, TownLeader, Department, DistrictSupervisor, Auditor, Admin, ExternalSystem];

    public static readonly IReadOnlyList<RouteRule> Rules =
    [
        // Health and reference data
        Get("/health", [], ScopeFrom.Anonymous),
        Get("/api/v1/towns", [], ScopeFrom.Anonymous),
        Get("/api/v1/departments", [], ScopeFrom.Anonymous),
        Get("/api/v1/categories", [], ScopeFrom.Anonymous),
        Get("/api/v1/routing-rules", [], ScopeFrom.Anonymous),
        Get("/api/v1/reference-data/history", Everyone, ScopeFrom.Open),
        Get("/api/v1/towns/{townId}/history", Everyone, ScopeFrom.Open),
        Get("/api/v1/units/{unitId}/history", Everyone, ScopeFrom.Open),
        Get("/api/v1/communities/{communityId}/history", Everyone, ScopeFrom.Open),
        Get("/api/v1/grids/{gridId}/history", Everyone, ScopeFrom.Open),
        Get("/api/v1/categories/{categoryId}/history", Everyone, ScopeFrom.Open),
        Get("/api/v1/routing-rules/{ruleId}/history", Everyone, ScopeFrom.Open),
        Get("/api/v1/calendar/{year}", Everyone, ScopeFrom.Open),
        Get("/api/v1/calendar/{year}/history", Everyone, ScopeFrom.Open),
        Get("/api/v1/grids/{gridId}/households", [.. TownRoles, .. DistrictRoles], ScopeFrom.Grid),

        // Reference data and calendar changes
        Put("/api/v1/calendar/{year}", AdminOnly),
        Post("/api/v1/towns/{townId}/communities", AdminOnly),
        Post("/api/v1/towns/{townId}/rename", AdminOnly),
        Post("/api/v1/towns/{townId}/offices", AdminOnly),
        Post("/api/v1/communities/{communityId}/grids", AdminOnly),
        Post("/api/v1/communities/{communityId}/rename", AdminOnly),
        Post("/api/v1/communities/{communityId}/end", AdminOnly),
        Post("/api/v1/grids/{gridId}/households", AdminOnly),
        Post("/api/v1/grids/{gridId}/households/import", AdminOnly),
        Post("/api/v1/grids/{gridId}/rename", AdminOnly),
        Post("/api/v1/grids/{gridId}/end", AdminOnly),
        Post("/api/v1/departments", AdminOnly),
        Post("/api/v1/units/{unitId}/rename", AdminOnly),
        Post("/api/v1/units/{unitId}/end", AdminOnly),
        Post("/api/v1/categories/{categoryId}/lead", AdminOnly),
        Post("/api/v1/routing-rules", AdminOnly),
        Post("/api/v1/routing-rules/{ruleId}/change", AdminOnly),
        Post("/api/v1/routing-rules/{ruleId}/end", AdminOnly),

        // Issues: reads
        Get("/api/v1/issues", Everyone, ScopeFrom.FilteredList),
        Get("/api/v1/issues/{id}", Everyone, ScopeFrom.Issue),
        Get("/api/v1/issues/{id}/history", Everyone, ScopeFrom.Issue),
        Get("/api/v1/issues/{id}/chain", Everyone, ScopeFrom.Issue),
        Get("/api/v1/issues/{id}/export", Everyone, ScopeFrom.Issue),

        // Issues: commands (who exactly is the command's own rule; these rows refuse every other role before the body)
        Post("/api/v1/issues", Collector),
        Act("/api/v1/issues/{id}/assign", TownOrDistrict),
        Act("/api/v1/issues/{id}/escalate", TownOrDistrict),
        Act("/api/v1/issues/{id}/accept", Holder),
        Act("/api/v1/issues/{id}/return", Holder),
        Act("/api/v1/issues/{id}/plan", Holder),
        Act("/api/v1/issues/{id}/resolve", Holder),
        Act("/api/v1/issues/{id}/explain", Holder),
        Act("/api/v1/issues/{id}/request-extension", Holder),
        Act("/api/v1/issues/{id}/request-reroute", Holder),
        Act("/api/v1/issues/{id}/progress", [TownOffice, Department, DistrictSupervisor, Admin]),
        Act("/api/v1/issues/{id}/approve-extension", [TownOffice, TownLeader, DistrictSupervisor, Admin]),
        Act("/api/v1/issues/{id}/reject-extension", [TownOffice, TownLeader, DistrictSupervisor, Admin]),
        Act("/api/v1/issues/{id}/reroute", [DistrictSupervisor, Admin]),
        Act("/api/v1/issues/{id}/reject-reroute", [DistrictSupervisor, Admin]),
        Act("/api/v1/issues/{id}/resolve-on-spot", Collector),
        Act("/api/v1/issues/{id}/feedback", [Visitor, TownOffice, Department, DistrictSupervisor, Admin]),
        Act("/api/v1/issues/{id}/close", [TownOffice, TownLeader, DistrictSupervisor, Admin]),

        // Visits and WeChat groups
        Post("/api/v1/visits", Collector),
        Post("/api/v1/wechat-groups", Collector),
        Post("/api/v1/wechat-groups/{id}/posts", Collector),
        Get("/api/v1/wechat-groups", [.. TownRoles, .. DistrictRoles], ScopeFrom.TownList),
        Get("/api/v1/coverage", [.. TownRoles, .. DistrictRoles], ScopeFrom.NamedInQuery),

        // Ledgers and their exports (?format=csv|xlsx)
        Get("/api/v1/ledgers/visitors/{visitorId}/{date}", [.. TownRoles, .. DistrictRoles], ScopeFrom.VisitorDay),
        Get("/api/v1/ledgers/towns/{townId}/{date}", [.. TownRoles, .. DistrictRoles], ScopeFrom.Town),
        Get("/api/v1/ledgers/towns/{townId}", [.. TownRoles, .. DistrictRoles], ScopeFrom.Town),
        Get("/api/v1/ledgers/departments/{departmentId}", [Department, .. DistrictRoles], ScopeFrom.Department),
        Get("/api/v1/ledgers/domains/{categoryId}", [Department, .. DistrictRoles], ScopeFrom.CategoryLead),

        // Figures
        Get("/api/v1/statistics", Everyone, ScopeFrom.NamedInQuery),
        Get("/api/v1/statistics/rankings", DistrictRoles, ScopeFrom.District),
        Get("/api/v1/reports/bulletin", DistrictRoles, ScopeFrom.District),

        // Inboxes and supervision
        Get("/api/v1/units/{unitId}/inbox", [.. TownDesks, Department, .. DistrictRoles], ScopeFrom.Unit),
        Get("/api/v1/units/{unitId}/notices", [.. TownDesks, Department, .. DistrictRoles], ScopeFrom.Unit),
        Get("/api/v1/supervision/notices", DistrictRoles, ScopeFrom.District),
        Get("/api/v1/supervision/overdue", [.. TownDesks, Department, .. DistrictRoles], ScopeFrom.FilteredList),

        // The change feed (docs/api.md); external systems that list it read the whole district's feed
        Get("/api/v1/events", DistrictRoles, ScopeFrom.District),

        // Audit (docs/audit.md)
        Get("/api/v1/audit", DistrictRoles, ScopeFrom.District),
        Get("/api/v1/audit/digests/{date}", DistrictRoles, ScopeFrom.District),

        // Residents' personal data (docs/security.md)
        Get("/api/v1/access-log", DistrictRoles, ScopeFrom.District),
        Post("/api/v1/issues/{id}/erase-personal-data", AdminOnly),

        // Clients and their keys (docs/security.md); auditors read what was done to a client, never a key
        Get("/api/v1/clients", AdminOnly, ScopeFrom.District),
        Get("/api/v1/clients/{name}", AdminOnly, ScopeFrom.District),
        Get("/api/v1/clients/{name}/history", [Auditor, Admin], ScopeFrom.District),
        Post("/api/v1/clients", AdminOnly),
        Post("/api/v1/clients/{name}/rotate", AdminOnly),
        Post("/api/v1/clients/{name}/revoke", AdminOnly),
    ];

    private static readonly Dictionary<string, RouteRule> ByRoute = Rules.ToDictionary(r => r.Route);

    public static RouteRule? Find(string method, string template) => ByRoute.GetValueOrDefault($"{method} {template}");

    private static RouteRule Get(string template, Role[] roles, ScopeFrom scope) => new("GET", template, roles, scope);
    private static RouteRule Post(string template, Role[] roles) => new("POST", template, roles, ScopeFrom.Command);
    private static RouteRule Act(string template, Role[] roles) => new("POST", template, roles, ScopeFrom.IssueCommand);
    private static RouteRule Put(string template, Role[] roles) => new("PUT", template, roles, ScopeFrom.Command);
}
