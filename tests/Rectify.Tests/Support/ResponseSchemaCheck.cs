using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Json.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Http;

namespace Rectify.Tests.Support;

/// <summary>
/// Installed in the shared test host (AppFixture): every answer of an endpoint the API document describes must have a
/// documented status, and a JSON body must validate against the schema the document gives for that route, method,
/// status and content type. A mismatch replaces the answer with a 500 problem naming it, so the test that caused it
/// fails and says why; the document cannot drift from what the service really answers without a red test.
/// </summary>
public sealed class ResponseSchemaCheck : IStartupFilter
{
    public const string MismatchType = "urn:rectify:test:response-does-not-match-the-api-document";
    private static readonly Uri DocumentUri = new("https://rectify.test/openapi/v1.json");

    private readonly SemaphoreSlim _loading = new(1, 1);
    private JsonElement? _document;
    private BuildOptions? _build;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new();

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(Check);
        next(app);
    };

    private async Task Check(HttpContext http, RequestDelegate next)
    {
        var original = http.Response.Body;
        await using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        // Only what the document describes: Wolverine's endpoints (not /openapi or /docs themselves, nor unknown routes).
        var mismatch = http.GetEndpoint() is RouteEndpoint endpoint && endpoint.Metadata.GetMetadata<HttpChain>() is not null
            ? await Mismatch(http, endpoint, buffer.ToArray())
            : null;
        if (mismatch is null)
        {
            buffer.Position = 0;
            await buffer.CopyToAsync(original);
            return;
        }

        http.Response.Clear();
        http.Response.StatusCode = 500;
        http.Response.ContentType = "application/problem+json";
        await http.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            type = MismatchType, title = "The answer does not match the API document", status = 500, detail = mismatch
        }));
    }

    private async Task<string?> Mismatch(HttpContext http, RouteEndpoint endpoint, byte[] body) =>
        Mismatch(await Document(http), http.Request.Method, "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/'),
            http.Response.StatusCode, http.Response.ContentType, body);

    /// <summary>What is wrong with an answer by the API document; null when it matches.</summary>
    public string? Mismatch(JsonElement document, string httpMethod, string route, int status, string? responseContentType, byte[] body)
    {
        var method = httpMethod.ToLowerInvariant();
        var said = $"{httpMethod} {route} answered {status}";
        if (!document.GetProperty("paths").TryGetProperty(route, out var path) || !path.TryGetProperty(method, out var operation))
            return $"{httpMethod} {route} is not in the API document.";
        var responses = operation.GetProperty("responses");
        if (!responses.TryGetProperty(status.ToString(), out var response) && !responses.TryGetProperty("default", out response))
            return $"{said}, a status the API document does not list for it (it lists {string.Join(", ", responses.EnumerateObject().Select(r => r.Name))}).";

        var contentType = (responseContentType ?? "").Split(';')[0].Trim();
        if (body.Length == 0 || !contentType.EndsWith("json", StringComparison.Ordinal)) return null;
        if (!response.TryGetProperty("content", out var content) || !content.TryGetProperty(contentType, out var media))
            return $"{said} with {contentType}, which the API document does not list for that status.";
        if (!media.TryGetProperty("schema", out var schemaElement)) return null;

        JsonElement instance;
        try { instance = JsonDocument.Parse(body).RootElement; }
        catch (JsonException e) { return $"{said} with a body that is not JSON: {e.Message}"; }

        _build ??= Build(document);
        var key = $"{method} {route} {status} {contentType}";
        var schema = _schemas.GetOrAdd(key, _ => JsonSchema.FromText(
            // References inside the document point at its components: resolve them against the registered document.
            schemaElement.GetRawText().Replace("\"#/components/", $"\"{DocumentUri}#/components/"),
            _build, new Uri($"https://rectify.test/responses/{Uri.EscapeDataString(key)}")));
        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid) return null;
        var errors = (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))
            .Take(10);
        return $"{said} with a body that does not match the document's schema: {string.Join("; ", errors)}. Body: {Shortened(Encoding.UTF8.GetString(body))}";
    }

    // Counted in characters: the body's Chinese text takes more bytes than characters.
    private static string Shortened(string text) => text.Length <= 2000 ? text : text[..2000];

    private static BuildOptions Build(JsonElement document)
    {
        var registry = new SchemaRegistry();
        registry.Register(DocumentUri, new JsonElementBaseDocument(document, DocumentUri));
        return new BuildOptions { SchemaRegistry = registry };
    }

    private async Task<JsonElement> Document(HttpContext http)
    {
        if (_document is { } ready) return ready;
        await _loading.WaitAsync();
        try
        {
            if (_document is null)
            {
                // The document the host serves now, read through the test server itself.
                var server = (TestServer)http.RequestServices.GetRequiredService<IServer>();
                var text = await server.CreateClient().GetStringAsync("/openapi/v1.json");
                var document = JsonDocument.Parse(text).RootElement.Clone();
                _build = Build(document);
                _document = document;
            }
            return _document.Value;
        }
        finally
        {
            _loading.Release();
        }
    }
}
