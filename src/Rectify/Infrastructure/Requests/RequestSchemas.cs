using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Rectify.Infrastructure.Requests;

/// <summary>
/// What the request and answer records say about their fields, written into their schemas. Request properties are
/// nullable in C# (a missing field is found by <see cref="RequestCheck"/> together with every other bad field), so
/// <c>[Required]</c> marks what the contract requires: listed in "required" and not nullable in the document.
/// <c>[Description]</c> and <see cref="ExampleAttribute"/> become the field's description and example. The
/// attributes may sit on a positional record's parameters or on properties.
/// </summary>
public sealed class RequestSchemas : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var info = context.JsonTypeInfo;
        if (info.Kind != JsonTypeInfoKind.Object || schema.Properties is null) return Task.CompletedTask;

        if (info.Type.GetCustomAttribute<DescriptionAttribute>() is { } typeDescription) schema.Description ??= typeDescription.Description;
        var parameters = info.Type.GetConstructors()
            .SelectMany(c => c.GetParameters())
            .Where(p => p.Name is not null)
            .GroupBy(p => p.Name!, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);

        foreach (var property in info.Properties)
        {
            if (!schema.Properties.TryGetValue(property.Name, out var field)) continue;
            var member = property.AttributeProvider as MemberInfo;
            var attributes = (member?.GetCustomAttributes(true) ?? [])
                .Concat(member is not null && parameters.TryGetValue(member.Name, out var parameter) ? parameter.GetCustomAttributes(true) : [])
                .ToList();

            if (attributes.OfType<RequiredAttribute>().Any())
            {
                schema.Required ??= new HashSet<string>();
                schema.Required.Add(property.Name);
                if (field is OpenApiSchema inline && inline.Type is { } type) inline.Type = type & ~JsonSchemaType.Null;
                if (field is OpenApiSchema wrapper && wrapper.OneOf is { Count: > 0 } options)
                    // A nullable reference to another schema: required means it is not null.
                    foreach (var nullOption in options.OfType<OpenApiSchema>().Where(o => o.Type == JsonSchemaType.Null).ToList())
                        options.Remove(nullOption);
            }

            if (field is not OpenApiSchema concrete) continue;
            // A list of nullable values (so that RequestShape can null a bad item in place and the others are still
            // judged) takes no null item: the request's check refuses one, so the document says so.
            if (concrete.Items is OpenApiSchema { Type: { } itemType } items && ElementOf(property.PropertyType) is { } element
                && Nullable.GetUnderlyingType(element) is not null)
                items.Type = itemType & ~JsonSchemaType.Null;
            if (attributes.OfType<DescriptionAttribute>().FirstOrDefault() is { } description) concrete.Description = description.Description;
            if (attributes.OfType<ExampleAttribute>().FirstOrDefault() is { } example)
                concrete.Examples = [example.Value switch
                {
                    string text => JsonValue.Create(text)!,
                    long number => JsonValue.Create(number),
                    bool flag => JsonValue.Create(flag),
                    var other => JsonValue.Create(other.ToString())!
                }];
        }
        return Task.CompletedTask;
    }

    private static Type? ElementOf(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
}
