using System.Text.Json;

namespace Rectify.Tests.Support;

/// <summary>Reading schemas out of the served API document, as a client generator would ($ref and nullable wrappers resolved).</summary>
public static class DocumentReading
{
    public static (JsonElement Paths, JsonElement Schemas) Parts(JsonElement document) =>
        (document.GetProperty("paths"), document.GetProperty("components").GetProperty("schemas"));

    public static JsonElement RequestSchema(JsonElement paths, JsonElement schemas, string path, string method = "post") =>
        Resolve(schemas, paths.GetProperty(path).GetProperty(method).GetProperty("requestBody").GetProperty("content")
            .GetProperty("application/json").GetProperty("schema"));

    public static JsonElement AnswerSchema(JsonElement paths, JsonElement schemas, string path, string method, string status) =>
        Resolve(schemas, paths.GetProperty(path).GetProperty(method).GetProperty("responses").GetProperty(status).GetProperty("content")
            .GetProperty("application/json").GetProperty("schema"));

    public static string[] Required(JsonElement schema) =>
        schema.TryGetProperty("required", out var required) ? required.EnumerateArray().Select(r => r.GetString()!).Order().ToArray() : [];

    public static string[] Enum(JsonElement schemas, JsonElement property) =>
        Resolve(schemas, property).GetProperty("enum").EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToArray();

    public static JsonElement Resolve(JsonElement schemas, JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference)) return Resolve(schemas, schemas.GetProperty(reference.GetString()!.Split('/').Last()));
        if (schema.TryGetProperty("oneOf", out var options) || schema.TryGetProperty("anyOf", out options))
            foreach (var option in options.EnumerateArray())
                if (option.TryGetProperty("$ref", out _) || option.TryGetProperty("enum", out _)) return Resolve(schemas, option);
        return schema;
    }
}
