using Microsoft.AspNetCore.Routing;

namespace Rectify.Identity.Keys;

/// <summary>
/// The routes this application maps, spelt as an external system's allowed routes are: "METHOD /template", the
/// template as in the API document ("POST /api/v1/issues/{id}/assign").
/// </summary>
public sealed class MappedRoutes(IReadOnlyDictionary<string, string> canonical)
{
    public static MappedRoutes Of(IEnumerable<EndpointDataSource> sources) => new(
        sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [])
                .Select(method => $"{method.ToUpperInvariant()} /{e.RoutePattern.RawText?.TrimStart('/')}"))
            .Distinct()
            .ToDictionary(r => r, r => r, StringComparer.OrdinalIgnoreCase));

    /// <summary>In a running service: the routes the endpoint routing serves.</summary>
    public static MappedRoutes Of(IServiceProvider services) => Of([services.GetRequiredService<EndpointDataSource>()]);

    /// <summary>The route as mapped (method upper case, the template's own spelling), or null when there is none.</summary>
    public string? Find(string route)
    {
        var parts = route.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 2) return null;
        return canonical.GetValueOrDefault($"{parts[0].ToUpperInvariant()} /{parts[1].TrimStart('/')}");
    }

    public int Count => canonical.Count;
}
