using Alba;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Identity.Access;
using Rectify.Tests.Support;

namespace Rectify.Tests.Access;

/// <summary>The access table covers every mapped route, no more, and docs/security.md prints it as it is.</summary>
public sealed class RouteAccessTests(AppFixture app) : ApiTest(app)
{
    private IReadOnlyList<(string Method, string Template)> Mapped() =>
        Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<GuardedRoute>() is not null)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (m, RouteAccessMiddleware.Template(e))))
            .Distinct().ToList();

    [Fact]
    public void Every_mapped_route_has_an_access_rule()
    {
        var mapped = Mapped();
        Assert.True(mapped.Count >= 70, $"Only {mapped.Count} Wolverine routes found: are they still marked (GuardedRoute.Mark)?");
        var missing = mapped.Where(r => RouteAccess.Find(r.Method, r.Template) is null).Select(r => $"{r.Method} {r.Template}").Order().ToList();
        Assert.True(missing.Count == 0, "Routes without an access rule (add a row to RouteAccess.Rules): " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_rule_names_a_mapped_route_once()
    {
        var mapped = Mapped().Select(r => $"{r.Method} {r.Template}").ToHashSet();
        var stale = RouteAccess.Rules.Select(r => r.Route).Where(r => !mapped.Contains(r)).ToList();
        Assert.True(stale.Count == 0, "Rules for routes nobody maps: " + string.Join(", ", stale));
        Assert.Equal(RouteAccess.Rules.Count, RouteAccess.Rules.Select(r => r.Route).Distinct().Count());
    }

    [Fact]
    public async Task A_route_without_a_rule_is_refused_naming_it()
    {
        var endpoint = new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse("/api/v1/unlisted/{id}"), 0,
            new EndpointMetadataCollection(GuardedRoute.Instance), "unlisted");
        var http = new DefaultHttpContext { RequestServices = Host.Services };
        http.Request.Method = "GET";
        http.Response.Body = new MemoryStream();
        http.SetEndpoint(endpoint);
        var reached = false;

        await new RouteAccessMiddleware(_ => { reached = true; return Task.CompletedTask; }).InvokeAsync(http);

        Assert.False(reached);
        Assert.Equal(403, http.Response.StatusCode);
        http.Response.Body.Position = 0;
        var body = await new StreamReader(http.Response.Body).ReadToEndAsync();
        Assert.Contains("No access rule for GET /api/v1/unlisted/{id}", body);
    }

    /// <summary>RECTIFY_WRITE_ACCESS_MATRIX=1 ops/test --filter RouteAccessTests rewrites the block after a change of the table.</summary>
    [Fact]
    public void Security_guide_prints_the_table()
    {
        var path = Path.Combine(Checkout.Root(), "docs", "security.md");
        var text = File.ReadAllText(path);
        var begin = text.IndexOf(RouteAccessDocument.Begin, StringComparison.Ordinal);
        var end = text.IndexOf(RouteAccessDocument.End, StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, $"docs/security.md must hold the markers {RouteAccessDocument.Begin} and {RouteAccessDocument.End}.");
        var start = begin + RouteAccessDocument.Begin.Length;
        var expected = "\n" + RouteAccessDocument.Markdown();
        if (Environment.GetEnvironmentVariable("RECTIFY_WRITE_ACCESS_MATRIX") == "1")
        {
            File.WriteAllText(path, text[..start] + expected + text[end..]);
            return;
        }
        Assert.True(expected == text[start..end],
            "docs/security.md's access matrix differs from RouteAccess.Rules: run RECTIFY_WRITE_ACCESS_MATRIX=1 ops/test --filter RouteAccessTests");
    }
}
