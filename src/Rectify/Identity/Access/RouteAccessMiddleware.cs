using Rectify.Querying;
using Marten;
using Microsoft.AspNetCore.Routing;
using Rectify.Infrastructure;
using Rectify.Ledgers;
using Rectify.ReferenceData;
using Wolverine.Http;

namespace Rectify.Identity.Access;

/// <summary>Marks an endpoint mapped by Wolverine, so that the access check knows it must find a rule for it.</summary>
public sealed class GuardedRoute
{
    public static readonly GuardedRoute Instance = new();

    /// <summary>Applied to every Wolverine endpoint in Program.cs (MapWolverineEndpoints → ConfigureEndpoints).</summary>
    public static void Mark(HttpChain chain) => chain.Metadata.WithMetadata(Instance);
}

/// <summary>
/// The one place access is enforced, after authentication and routing and before any endpoint runs: the route's rule
/// (<see cref="RouteAccess"/>), the caller's role, and the scope the route touches. A refusal is a 403 naming the reason,
/// before anything is read from the body or stored. Writes keep their own scope checks after the body (400 before 403).
/// </summary>
public sealed class RouteAccessMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext http)
    {
        if (http.GetEndpoint() is not RouteEndpoint endpoint || endpoint.Metadata.GetMetadata<GuardedRoute>() is null)
        {
            await next(http);
            return;
        }

        var template = Template(endpoint);
        var rule = RouteAccess.Find(http.Request.Method, template);
        var refusal = rule is null
            ? $"No access rule for {http.Request.Method} {template}: a route is denied until RouteAccess lists it."
            : await Refusal(rule, http);
        if (refusal is not null && rule?.Scope == ScopeFrom.IssueCommand)
        {
            // Answered by IssueCommandRunner at its 403 step, so that a bad body is still a 400 and an unknown issue a 404.
            http.Items[DeferredKey] = refusal;
            refusal = null;
        }
        if (refusal is null) await next(http);
        else await Problems.Forbidden(refusal).ExecuteAsync(http);
    }

    private const string DeferredKey = "rectify.access-refusal";

    /// <summary>The table's refusal of an issue command, for IssueCommandRunner to answer in its order; null when allowed.</summary>
    public static string? DeferredRefusal(HttpContext http) => http.Items[DeferredKey] as string;

    public static string Template(RouteEndpoint endpoint)
    {
        var raw = endpoint.RoutePattern.RawText ?? "";
        return raw.StartsWith('/') ? raw : "/" + raw;
    }

    private static async Task<string?> Refusal(RouteRule rule, HttpContext http)
    {
        if (rule.Scope == ScopeFrom.Anonymous) return null;
        // Authorization answered 401 already for a caller without a key.
        if (!ApiKeyAuthentication.TryActorOf(http, out var actor)) return null;

        if (actor.Role == Role.ExternalSystem)
            return ApiKeyAuthentication.AllowedRoutesOf(http).Contains(rule.Route)
                ? null
                : $"External system {actor.ClientName} may call only the routes registered on its client; {rule.Route} is not one of them.";
        if (!rule.Roles.Contains(actor.Role))
            return $"The role {Kebab.Of(actor.Role)} may not call {rule.Route}" +
                   (rule.Roles.Count == 0 ? "." : $": only {string.Join(", ", rule.Roles.Select(r => Kebab.Of(r)))}.");

        var scope = ReadScope.Of(actor);
        if (scope.IsDistrict || rule.Scope is ScopeFrom.Open or ScopeFrom.Command or ScopeFrom.IssueCommand) return null;
        if (rule.Scope == ScopeFrom.District)
            return $"{rule.Route} covers the whole district: only district-wide roles read it; {scope} may not.";

        var references = http.RequestServices.GetRequiredService<ReferenceDataCache>().Current;
        var values = http.Request.RouteValues;
        string? Route(string name) => values.TryGetValue(name, out var v) ? v?.ToString() : null;
        string? Query(string name) => Filters.Given(http.Request.Query[name].ToString());

        switch (rule.Scope)
        {
            case ScopeFrom.Town:
                return Town(scope, Route("townId"), references);
            case ScopeFrom.Grid:
                return references.FindGrid(Route("gridId") ?? "") is { } grid ? Town(scope, grid.Town.Id, references, $"grid {grid.Grid.Id}") : null;
            case ScopeFrom.Department:
                return Department(scope, Route("departmentId"), references);
            case ScopeFrom.Unit:
                return Unit(scope, Route("unitId"), references);
            case ScopeFrom.CategoryLead:
                if (references.FindCategory(Route("categoryId") ?? "") is not { } category) return null;
                return scope.DepartmentId is not null && scope.DepartmentId == category.LeadDepartmentId
                    ? null
                    : $"The ledger of domain {category.Id} is read by its lead department ({category.LeadDepartmentId ?? "none"}) and the district; {scope} may not.";
            case ScopeFrom.Issue:
                return await Issue(scope, Route("id"), http);
            case ScopeFrom.VisitorDay:
                return await VisitorDayOf(scope, Route("visitorId"), Route("date"), http);
            case ScopeFrom.NamedInQuery:
                return Named(scope, Query("townId"), Query("departmentId"), references);
            case ScopeFrom.FilteredList:
                return Town(scope, Query("townId"), references, allowDepartment: true) ?? Unit(scope, Query("unitId"), references);
            case ScopeFrom.TownList:
                return Town(scope, Query("townId"), references);
            default:
                throw new InvalidOperationException($"No check for scope {rule.Scope}.");
        }
    }

    /// <summary>A town a town role holds; unknown ids are left to the endpoint (400 or 404).</summary>
    private static string? Town(ReadScope scope, string? townId, DistrictReferenceData references, string? what = null, bool allowDepartment = false)
    {
        if (townId is null || references.FindTown(townId) is null) return null;
        if (scope.TownId == townId || (allowDepartment && scope.DepartmentId is not null)) return null;
        return $"{what ?? $"Town {townId}"}{(what is null ? "" : $" (town {townId})")} is outside this client's scope ({scope}).";
    }

    private static string? Department(ReadScope scope, string? departmentId, DistrictReferenceData references) =>
        departmentId is null || references.FindDepartment(departmentId) is null || scope.DepartmentId == departmentId
            ? null
            : $"Department {departmentId} is outside this client's scope ({scope}).";

    /// <summary>A unit's own: its town's roles for a town office (or the town's own id), the department itself.</summary>
    private static string? Unit(ReadScope scope, string? unitId, DistrictReferenceData references)
    {
        if (unitId is null) return null;
        if (references.FindUnit(unitId) is { } unit)
            return (unit.Kind == UnitKind.Department ? scope.DepartmentId == unit.Id : scope.TownId == unit.TownId)
                ? null
                : $"Unit {unit.Id} is outside this client's scope ({scope}).";
        return references.FindTown(unitId) is null ? null : Town(scope, unitId, references);
    }

    private static string? Named(ReadScope scope, string? townId, string? departmentId, DistrictReferenceData references)
    {
        if (townId is not null && references.FindTown(townId) is null) return null;
        if (departmentId is not null && references.FindDepartment(departmentId) is null) return null;
        if (scope.TownId is { } town)
            return townId == town ? null
                : townId is null ? $"These are the district's figures: a town role asks for its own with ?townId={town}."
                : $"Town {townId} is outside this client's scope ({scope}).";
        // A department's figures are its issues'; a town's figures are not a department's to read.
        if (townId is not null)
            return $"Town {townId} is outside this client's scope ({scope}): a department asks for its own figures with ?departmentId={scope.DepartmentId} only.";
        return departmentId == scope.DepartmentId ? null
            : departmentId is null ? $"These are the district's figures: a department asks for its own with ?departmentId={scope.DepartmentId}."
            : $"Department {departmentId} is outside this client's scope ({scope}).";
    }

    private static async Task<string?> Issue(ReadScope scope, string? id, HttpContext http)
    {
        if (!Guid.TryParse(id, out var issueId)) return null;
        await using var session = http.RequestServices.GetRequiredService<IDocumentStore>().QuerySession();
        // No summary: no issue (404 from the endpoint).
        if (await session.LoadAsync<IssueSummary>(issueId, http.RequestAborted) is not { } issue) return null;
        return scope.Sees(issue)
            ? null
            : $"Issue {issueId} is outside this client's scope ({scope}): {(scope.TownId is not null ? "it belongs to another town" : "this department never held it")}.";
    }

    /// <summary>A visitor's day belongs to the towns of its visits and issues; a town role reads it when they are all its own.</summary>
    private static async Task<string?> VisitorDayOf(ReadScope scope, string? visitorId, string? date, HttpContext http)
    {
        if (visitorId is null || !DateOnly.TryParseExact(date, "yyyy-MM-dd", out var day)) return null;
        await using var session = http.RequestServices.GetRequiredService<IDocumentStore>().QuerySession();
        var ledger = await session.LoadAsync<Ledgers.VisitorDay>(Ledgers.VisitorDay.Key(visitorId, day), http.RequestAborted);
        if (ledger is null) return null;
        var issues = ledger.IssuesCollected.Count == 0 ? []
            : await session.LoadManyAsync<IssueSummary>(http.RequestAborted, ledger.IssuesCollected);
        var towns = ledger.Visits.Select(v => v.TownId).Concat(issues.Select(i => i.State.TownId)).Distinct().ToList();
        return towns.All(t => t == scope.TownId)
            ? null
            : $"The ledger of {visitorId} on {day:yyyy-MM-dd} covers {string.Join(", ", towns.Where(t => t != scope.TownId))}, outside this client's scope ({scope}).";
    }
}
