using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Rectify.Infrastructure.OpenApi;

/// <summary>
/// The two error bodies every client handles (RFC 7807, application/problem+json): ProblemDetails, and for 400 its
/// validation form that names each bad field in "errors". Shared components, so a generated client has one type each.
/// </summary>
public static class ProblemShapes
{
    public const string Problem = "ProblemDetails";
    public const string Validation = "HttpValidationProblemDetails";

    public static void Add(OpenApiDocument document)
    {
        document.Components ??= new OpenApiComponents();
        var schemas = document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!schemas.ContainsKey(Problem))
            schemas[Problem] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["type"] = Text(), ["title"] = Text(), ["detail"] = Text(), ["instance"] = Text(),
                    ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32" }
                }
            };
        schemas[Problem].Description ??= "An error answer (RFC 7807): `type` names the kind of error (docs/api.md), " +
                                          "`detail` says what was wrong; other members carry details of that kind.";
        schemas[Validation] = new OpenApiSchema
        {
            Description = "A 400: `errors` names every bad field at once, each with why it was refused.",
            AllOf = [new OpenApiSchemaReference(Problem, document)],
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = Text() },
                    Examples = [new JsonObject { ["residentPhone"] = new JsonArray("Must be a mainland mobile number of 11 digits.") }]
                }
            }
        };

        var operations = (document.Paths ?? new OpenApiPaths()).Values
            .SelectMany(p => p.Operations?.Values ?? Enumerable.Empty<OpenApiOperation>());
        foreach (var operation in operations)
            if (operation.Responses?.TryGetValue("400", out var bad) == true && bad.Content is not null)
                foreach (var media in bad.Content.Where(c => c.Key == "application/problem+json").Select(c => c.Value))
                    if (media.Schema is OpenApiSchemaReference { Reference.Id: Problem } && media is OpenApiMediaType concrete)
                        concrete.Schema = new OpenApiSchemaReference(Validation, document);
    }

    private static OpenApiSchema Text() => new() { Type = JsonSchemaType.String | JsonSchemaType.Null };
}
