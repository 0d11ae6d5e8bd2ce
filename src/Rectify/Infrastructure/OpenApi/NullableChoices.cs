using Microsoft.OpenApi;

namespace Rectify.Infrastructure.OpenApi;

/// <summary>
/// The generator writes a nullable enum or record as <c>oneOf: [null, $ref]</c>, while a nullable enum's own schema also
/// lists null: a null value then matches both branches, which oneOf forbids, so a validator refuses a correct answer.
/// "Either null or this" is what anyOf says.
/// </summary>
public static class NullableChoices
{
    public static void Apply(OpenApiDocument document)
    {
        var seen = new HashSet<IOpenApiSchema>(ReferenceEqualityComparer.Instance);
        foreach (var schema in Each(document.Components?.Schemas?.Values)) Walk(schema, seen);
        foreach (var path in Each(document.Paths?.Values))
        foreach (var operation in Each(path.Operations?.Values))
        {
            foreach (var media in Each(operation.RequestBody?.Content?.Values)) Walk(media.Schema, seen);
            foreach (var response in Each(operation.Responses?.Values))
            foreach (var media in Each(response.Content?.Values)) Walk(media.Schema, seen);
        }
    }

    private static void Walk(IOpenApiSchema? schema, HashSet<IOpenApiSchema> seen)
    {
        if (schema is not OpenApiSchema shape || !seen.Add(shape)) return;
        if (shape.OneOf is { Count: 2 } choices && choices.Any(c => c is OpenApiSchema { Type: JsonSchemaType.Null }))
        {
            shape.AnyOf = choices;
            shape.OneOf = null;
        }
        foreach (var property in Each(shape.Properties?.Values)) Walk(property, seen);
        Walk(shape.Items, seen);
        Walk(shape.AdditionalProperties, seen);
        foreach (var part in Each(shape.AllOf).Concat(Each(shape.AnyOf)).Concat(Each(shape.OneOf))) Walk(part, seen);
    }

    private static IEnumerable<T> Each<T>(IEnumerable<T>? items) => items ?? [];
}
