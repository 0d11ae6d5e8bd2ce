using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using Rectify.Tests.Support;
using Wolverine.Http;

namespace Rectify.Tests.Api;

/// <summary>The API document as a whole: valid OpenAPI 3.1, complete, authenticated, and the one committed in docs/openapi.json.</summary>
public sealed class ApiDocumentTests(AppFixture app) : ApiTest(app)
{
    private async Task<string> Served() => (await Get("/openapi/v1.json", null, 200)).Text;

    [Fact]
    public async Task The_document_is_valid_openapi_3_1()
    {
        var text = await Served();
        Assert.StartsWith("3.1.", JsonNode.Parse(text)!["openapi"]!.GetValue<string>());

        await using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        var (document, diagnostic) = await OpenApiDocument.LoadAsync(stream, "json");
        Assert.NotNull(document);
        Assert.Equal(OpenApiSpecVersion.OpenApi3_1, diagnostic!.SpecificationVersion);
        Assert.Empty(diagnostic.Errors.Select(e => $"{e.Pointer}: {e.Message}"));
        Assert.Empty(diagnostic.Warnings.Select(e => $"{e.Pointer}: {e.Message}"));

        var validator = new OpenApiValidator(ValidationRuleSet.GetDefaultRuleSet());
        new OpenApiWalker(validator).Walk(document);
        Assert.Empty(validator.Errors.Select(e => $"{e.Pointer}: {e.Message}"));
        Assert.Empty(validator.Warnings.Select(e => $"{e.Pointer}: {e.Message}"));
    }

    [Fact]
    public async Task Every_operation_states_the_answers_the_pipeline_can_give_and_every_post_its_idempotency_key()
    {
        var paths = JsonDocument.Parse(await Served()).RootElement.GetProperty("paths");
        var operations = 0;
        foreach (var path in paths.EnumerateObject())
        foreach (var operation in path.Value.EnumerateObject())
        {
            operations++;
            var where = $"{operation.Name} {path.Name}";
            var responses = operation.Value.GetProperty("responses");
            // 414 (RequestLimits), 429 (RateLimits) and 503 (DatabaseUnavailable) sit in front of every endpoint.
            foreach (var status in new[] { "414", "429", "503" })
                Assert.True(responses.TryGetProperty(status, out _), $"{where} does not state {status}");
            Assert.Contains("rate-limited", responses.GetProperty("429").GetProperty("description").GetString());
            if (operation.Name != "post") continue;
            foreach (var status in new[] { "409", "422" })
                Assert.True(responses.TryGetProperty(status, out _), $"{where} does not state the Idempotency-Key's {status}");
            Assert.Contains("idempotency-conflict", responses.GetProperty("422").GetProperty("description").GetString());
            Assert.Contains("idempotency-in-flight", responses.GetProperty("409").GetProperty("description").GetString());
            var header = operation.Value.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "Idempotency-Key");
            Assert.Equal("header", header.GetProperty("in").GetString());
            Assert.False(header.TryGetProperty("required", out var required) && required.GetBoolean(), where);
        }
        Assert.True(operations >= 80, $"only {operations} operations");
    }

    [Fact]
    public async Task Every_route_the_app_maps_is_in_the_document_with_its_method()
    {
        // Wolverine's endpoints are the API. The others are the document itself (/openapi/{documentName}.json) and its
        // reader (/docs and its assets): both are excluded from the description on purpose.
        var mapped = Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpChain>() is not null)
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods
                .Select(m => $"{m} /{e.RoutePattern.RawText!.TrimStart('/')}"))
            .ToHashSet();
        var others = Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpChain>() is null)
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/'))
            .Where(r => !r.StartsWith("/openapi/", StringComparison.Ordinal) && !r.StartsWith("/docs", StringComparison.Ordinal));
        Assert.Empty(others);
        Assert.True(mapped.Count >= 80, $"only {mapped.Count} routes found");

        var document = JsonDocument.Parse(await Served()).RootElement;
        var described = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => $"{o.Name.ToUpperInvariant()} {p.Name}"))
            .ToHashSet();
        Assert.Empty(mapped.Except(described).Order());
        Assert.Empty(described.Except(mapped).Order());
    }

    [Fact]
    public async Task Every_operation_has_a_unique_id_a_summary_a_description_a_known_tag_and_its_security()
    {
        var document = JsonDocument.Parse(await Served()).RootElement;
        Assert.Equal("http", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("type").GetString());
        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
        Assert.True(document.GetProperty("security")[0].TryGetProperty("Bearer", out _));
        var tags = document.GetProperty("tags").EnumerateArray().Select(t => t.GetProperty("name").GetString()).ToHashSet();
        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.True(schemas.TryGetProperty("ProblemDetails", out _));
        Assert.True(schemas.TryGetProperty("HttpValidationProblemDetails", out _));

        var ids = new List<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        foreach (var operation in path.Value.EnumerateObject())
        {
            var where = $"{operation.Name} {path.Name}";
            var op = operation.Value;
            ids.Add(op.GetProperty("operationId").GetString()!);
            Assert.False(string.IsNullOrWhiteSpace(op.GetProperty("summary").GetString()), where);
            Assert.False(string.IsNullOrWhiteSpace(op.GetProperty("description").GetString()), where);
            Assert.NotEqual(op.GetProperty("operationId").GetString(), op.GetProperty("summary").GetString());
            Assert.All(op.GetProperty("tags").EnumerateArray(), t => Assert.Contains(t.GetString(), tags));

            // Anonymous operations say so (security: []); the others need the key (the document's Bearer requirement)
            // and list the 401 it answers without one.
            var rule = Rectify.Identity.Access.RouteAccess.Find(operation.Name.ToUpperInvariant(), path.Name);
            var anonymous = rule?.Scope == Rectify.Identity.Access.ScopeFrom.Anonymous;
            Assert.Equal(anonymous, op.TryGetProperty("security", out var security) && security.GetArrayLength() == 0);
            Assert.Equal(!anonymous, op.GetProperty("responses").TryGetProperty("401", out _));
        }
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    /// <summary>RECTIFY_WRITE_OPENAPI=1 ops/test --filter ApiDocumentTests rewrites docs/openapi.json after a change of the API.</summary>
    [Fact]
    public async Task The_committed_document_is_the_one_the_service_serves()
    {
        var served = Pretty(await Served());
        var file = Path.Combine(Checkout.Root(), "docs", "openapi.json");
        if (Environment.GetEnvironmentVariable("RECTIFY_WRITE_OPENAPI") == "1") await File.WriteAllTextAsync(file, served);
        Assert.True(File.Exists(file), "docs/openapi.json is missing: run RECTIFY_WRITE_OPENAPI=1 ops/test --filter ApiDocumentTests");
        Assert.True(served == await File.ReadAllTextAsync(file),
            "docs/openapi.json differs from /openapi/v1.json: run RECTIFY_WRITE_OPENAPI=1 ops/test --filter ApiDocumentTests, " +
            "then ops/test regenerates the client (tests/Rectify.Client) from it");
    }

    private static string Pretty(string json) =>
        JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions
        {
            WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping
        }) + "\n";
}
