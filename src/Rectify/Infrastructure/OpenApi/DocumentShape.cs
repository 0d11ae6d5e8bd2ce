using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Rectify.Identity.Access;
using Wolverine.Http;

namespace Rectify.Infrastructure.OpenApi;

/// <summary>
/// The API document as a whole (/openapi/v1.json, read by /docs and by client generators): what it is, how to
/// authenticate, the groups, and a summary, description and operation id per operation where the endpoint states none.
/// Registered once in Program.cs (AddOpenApi). Endpoints that declare their own summary, tags or schemas keep them.
/// </summary>
public static partial class DocumentShape
{
    public const string SecurityScheme = "Bearer";

    public static void Configure(OpenApiOptions options)
    {
        options.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
        options.AddDocumentTransformer(async (document, context, cancellation) =>
        {
            Describe(document);
            foreach (var description in context.DescriptionGroups.SelectMany(g => g.Items))
            {
                var route = "/" + (description.RelativePath ?? "").TrimStart('/');
                if (document.Paths?.TryGetValue(route, out var path) != true || path!.Operations is null) continue;
                var method = HttpMethod.Parse(description.HttpMethod ?? "GET");
                if (path.Operations.TryGetValue(method, out var operation))
                    Shape(document, operation, method.Method, route, description.ActionDescriptor.EndpointMetadata);
            }
            ProblemShapes.Add(document);
            CrossCuttingAnswers.Add(document);
            await IssueEventPayloads.AddAsync(document, context, cancellation);
            NullableChoices.Apply(document);
        });
    }

    private static void Describe(OpenApiDocument document)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Rectify API",
            Version = "v1",
            Description = "Tracks residents' problems raised in the district's household-visit campaign, from collection to " +
                          "closing. Every call but /health and the reference-data lists needs a key: `Authorization: Bearer <key>`. " +
                          "Guide: docs/api.md (authenticating, errors, paging, the change feed, generating a client); " +
                          "the interactive reference is served at /docs."
        };
        // The document is served by the service it describes: clients call the host they read it from.
        document.Servers = [new OpenApiServer { Url = "/", Description = "This service" }];
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SecurityScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The client's API key (issued by an admin: POST /api/v1/clients or ops/cli add-client), sent as " +
                          "`Authorization: Bearer <key>`. A missing or unknown key is 401; a role or scope the route refuses is 403."
        };
        document.Security = [Requirement(document)];
        document.Tags = new HashSet<OpenApiTag>(ApiTags.All.Select(t => new OpenApiTag { Name = t.Name, Description = t.Description }));
    }

    private static OpenApiSecurityRequirement Requirement(OpenApiDocument document) =>
        new() { [new OpenApiSecuritySchemeReference(SecurityScheme, document)] = [] };

    private static void Shape(OpenApiDocument document, OpenApiOperation operation, string method, string route, IList<object> metadata)
    {
        // Wolverine puts the chain (and so the endpoint's method) into the endpoint's metadata.
        var handler = metadata.OfType<MethodInfo>().FirstOrDefault() ?? metadata.OfType<HttpChain>().FirstOrDefault()?.Method.Method;
        var generated = $"{method}_{route.Trim('/').Replace('/', '_').Replace("{", "").Replace("}", "").Replace('-', '_')}";

        // Wolverine's defaults: the operation id as summary and description, the class name as the tag.
        if (string.IsNullOrWhiteSpace(operation.OperationId)) operation.OperationId = generated;
        if (string.IsNullOrWhiteSpace(operation.Summary) || operation.Summary == operation.OperationId)
            operation.Summary = handler is null ? $"{method} {route}" : Summary(handler);
        if (string.IsNullOrWhiteSpace(operation.Description) || operation.Description == operation.OperationId)
            operation.Description = Access(method, route);
        if (operation.Tags is null || operation.Tags.Count == 0 || operation.Tags.Any(t => t.Name?.Contains('.') == true))
            operation.Tags = new HashSet<OpenApiTagReference> { new(ApiTags.Of(route), document) };

        // Anonymous operations say so with an empty list, overriding the document's Bearer requirement.
        operation.Security = metadata.OfType<IAllowAnonymous>().Any() ? [] : null;
    }

    /// <summary>"AssignIssueEndpoint.Post" → "Assign issue"; "LedgerEndpoints.TownDay" → "Town day (ledger)".</summary>
    private static string Summary(MethodInfo handler)
    {
        var type = handler.DeclaringType!;
        var typeName = Endpoint().Replace(type.Name, "");
        var endpoints = type.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .Count(m => m.GetCustomAttributes().Any(a => a is WolverineHttpMethodAttribute));
        return endpoints <= 1 || handler.Name is "Get" or "Post" or "Put" or "Handle"
            ? Sentence(typeName)
            : $"{Sentence(handler.Name)} ({Sentence(typeName).ToLowerInvariant()})";
    }

    private static string Sentence(string pascal)
    {
        var words = Words().Split(pascal).Where(w => w.Length > 0).Select(w => w.ToLowerInvariant()).ToArray();
        var text = string.Join(' ', words);
        return text.Length == 0 ? pascal : char.ToUpperInvariant(text[0]) + text[1..];
    }

    /// <summary>Who may call the route, from the access table (Identity/Access/RouteAccess.cs).</summary>
    private static string Access(string method, string route)
    {
        var rule = RouteAccess.Find(method, route);
        if (rule is null) return $"{method} {route}.";
        if (rule.Scope == ScopeFrom.Anonymous) return $"{method} {route}: no key needed.";
        var roles = string.Join(", ", rule.Roles.Select(r => Kebab.Of(r)));
        return $"{method} {route}: roles {roles} (and external systems whose client lists this route); scope: {Kebab.Of(rule.Scope)}. " +
               "See docs/security.md for the access table.";
    }

    [GeneratedRegex("Endpoints?$")]
    private static partial Regex Endpoint();

    [GeneratedRegex("(?<=[a-z0-9])(?=[A-Z])")]
    private static partial Regex Words();
}
