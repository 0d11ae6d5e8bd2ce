using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Rectify.Issues;
using Wolverine.Http;

namespace Rectify.Infrastructure;

/// <summary>
/// The answers each endpoint gives, for the public API document. The endpoints read their bodies field by field
/// (so a 400 names every bad field) and answer with IResult, from which the framework can only guess "200, IResult";
/// this states the real success status and the problem answers of docs/api.md instead.
/// </summary>
public static class ApiDocument
{
    private const string Problem = "application/problem+json";

    public static void Describe(HttpChain chain)
    {
        // An endpoint that states its own answers (Infrastructure/Requests) is described by them; the tables below
        // are for endpoints not yet converted to typed requests and answers.
        if (Requests.DeclaredAnswers.Apply(chain)) return;
        if (chain.ResourceType != typeof(IResult) || chain.RoutePattern?.RawText is not { } route) return;
        var post = chain.HttpMethods.Contains("POST");
        var issueCommand = post && route.StartsWith("/api/v1/issues/{id}/", StringComparison.Ordinal);
        var anonymous = chain.HasAttribute<Microsoft.AspNetCore.Authorization.AllowAnonymousAttribute>();

        var answers = new List<IProducesResponseTypeMetadata>();
        var success = issueCommand ? 200 : SuccessOverrides.GetValueOrDefault(route, post ? 201 : 200);
        var body = issueCommand ? typeof(IssueCommandResponse)
            : SuccessBodies.GetValueOrDefault((chain.HttpMethods.FirstOrDefault() ?? "GET", route));
        answers.Add(new ProducesResponseTypeMetadata(success, body, ["application/json"]));

        // PUT replaces reference data (the calendar): only admins, and two racing changes of one year: 409.
        int[] problems = ClientRoutes.TryGetValue((chain.HttpMethods.FirstOrDefault() ?? "GET", route), out var client) ? client
            : chain.HttpMethods.Contains("PUT") ? [400, 403, 409, 413]
            : ProblemOverrides.TryGetValue(route, out var listed) ? listed
            : post && ReferenceDataWrites.Contains(route) ? [400, 403, 404, 409, 413]
            : issueCommand ? [400, 403, 404, 409, 412, 413, 422]
            : post ? [400, 403, 404, 413]
            : ScopedReads.Any(prefix => route.StartsWith(prefix, StringComparison.Ordinal)) ? [400, 403, 404]
            : [400, 404];
        // Any route that needs a key may answer 403: the access table (Identity/Access/RouteAccess.cs) refuses by role and scope.
        if (!anonymous && !problems.Contains(403)) problems = [.. problems.Append(403).Order()];
        foreach (var status in problems)
            answers.Add(route == "/health"
                ? new ProducesResponseTypeMetadata(status, null, ["application/json"]) // {status, reason}, not a problem
                : new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), [Problem]));
        if (!anonymous) answers.Add(new ProducesResponseTypeMetadata(401, typeof(ProblemDetails), [Problem]));

        chain.Metadata.Finally(endpoint =>
        {
            foreach (var guess in endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().ToList()) endpoint.Metadata.Remove(guess);
            foreach (var answer in answers) endpoint.Metadata.Add(answer);
        });
    }

    /// <summary>Reads that answer 403 to a client outside the unit, town or district they belong to.</summary>
    private static readonly string[] ScopedReads = ["/api/v1/units/", "/api/v1/supervision/"];

    /// <summary>Bodies stated in the document where a reader needs their fields (the calendar; provisional dates).</summary>
    private static readonly Dictionary<(string Method, string Route), Type> SuccessBodies = new()
    {
        [("GET", "/api/v1/calendar/{year}")] = typeof(Rectify.Calendar.CalendarYearView),
        [("PUT", "/api/v1/calendar/{year}")] = typeof(Rectify.Calendar.CalendarChangeResult),
        [("GET", "/api/v1/calendar/{year}/history")] = typeof(IReadOnlyList<Rectify.Calendar.CalendarVersion>),
        [("GET", "/api/v1/units/{unitId}/inbox")] = typeof(Rectify.Routing.Inbox.InboxPage),
        [("GET", "/api/v1/supervision/overdue")] = typeof(Rectify.Supervision.OverdueReport),
        [("POST", "/api/v1/clients")] = typeof(Rectify.Identity.Keys.IssuedKey),
        [("POST", "/api/v1/clients/{name}/rotate")] = typeof(Rectify.Identity.Keys.IssuedKey),
        [("POST", "/api/v1/clients/{name}/revoke")] = typeof(Rectify.Identity.Keys.RevokedClient),
        [("GET", "/api/v1/clients")] = typeof(IReadOnlyList<Rectify.Identity.Keys.ClientView>),
        [("GET", "/api/v1/clients/{name}")] = typeof(Rectify.Identity.Keys.ClientView),
        [("GET", "/api/v1/clients/{name}/history")] = typeof(IReadOnlyList<Rectify.Identity.Keys.ClientChange>)
    };

    /// <summary>Posts that add to something that exists rather than create a resource.</summary>
    private static readonly Dictionary<string, int> SuccessOverrides = new()
    {
        ["/api/v1/wechat-groups/{id}/posts"] = 200,
        ["/api/v1/clients/{name}/rotate"] = 200, ["/api/v1/clients/{name}/revoke"] = 200,
        // Reference-data changes to something that exists (docs/reference-data.md).
        ["/api/v1/routing-rules/{ruleId}/change"] = 200, ["/api/v1/routing-rules/{ruleId}/end"] = 200,
        ["/api/v1/units/{unitId}/rename"] = 200, ["/api/v1/units/{unitId}/end"] = 200,
        ["/api/v1/grids/{gridId}/households"] = 200, ["/api/v1/grids/{gridId}/households/import"] = 200,
        ["/api/v1/towns/{townId}/rename"] = 200, ["/api/v1/communities/{communityId}/rename"] = 200, ["/api/v1/communities/{communityId}/end"] = 200,
        ["/api/v1/grids/{gridId}/rename"] = 200, ["/api/v1/grids/{gridId}/end"] = 200, ["/api/v1/categories/{categoryId}/lead"] = 200
    };

    /// <summary>Admin writes of reference data: a taken id, a stale rule version or an ended item is 409.</summary>
    private static readonly HashSet<string> ReferenceDataWrites =
    [
        "/api/v1/routing-rules", "/api/v1/routing-rules/{ruleId}/change", "/api/v1/routing-rules/{ruleId}/end",
        "/api/v1/departments", "/api/v1/towns/{townId}/offices", "/api/v1/units/{unitId}/rename", "/api/v1/units/{unitId}/end",
        "/api/v1/towns/{townId}/communities", "/api/v1/communities/{communityId}/grids",
        "/api/v1/grids/{gridId}/households", "/api/v1/grids/{gridId}/households/import",
        "/api/v1/towns/{townId}/rename", "/api/v1/communities/{communityId}/rename", "/api/v1/communities/{communityId}/end",
        "/api/v1/grids/{gridId}/rename", "/api/v1/grids/{gridId}/end", "/api/v1/categories/{categoryId}/lead"
    ];

    /// <summary>Key management (admin; history also auditors): an unknown client is 404, a taken name or a revoked client 409.</summary>
    private static readonly Dictionary<(string Method, string Route), int[]> ClientRoutes = new()
    {
        [("POST", "/api/v1/clients")] = [400, 403, 409, 413],
        [("POST", "/api/v1/clients/{name}/rotate")] = [400, 403, 404, 409, 413],
        [("POST", "/api/v1/clients/{name}/revoke")] = [400, 403, 404, 409, 413],
        [("GET", "/api/v1/clients")] = [403],
        [("GET", "/api/v1/clients/{name}")] = [403, 404],
        [("GET", "/api/v1/clients/{name}/history")] = [403, 404]
    };

    private static readonly Dictionary<string, int[]> ProblemOverrides = new()
    {
        ["/health"] = [503],
        // A year without data reads as provisional (200), never 404.
        ["/api/v1/calendar/{year}"] = [400],
        ["/api/v1/calendar/{year}/history"] = [400],
        // The change feed: district roles only, no path ids.
        ["/api/v1/events"] = [400, 403],
        ["/api/v1/audit"] = [400, 403]
    };
}
