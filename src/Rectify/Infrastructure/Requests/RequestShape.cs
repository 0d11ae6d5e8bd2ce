using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace Rectify.Infrastructure.Requests;

/// <summary>
/// Runs before an endpoint that binds a typed JSON body. The framework's binder stops at the first bad value (and
/// answers in its own shape), so the body is read here first: every value that would not convert to its property's
/// type is named (under its JSON path) and removed, and the cleaned body is what the framework binds, which then
/// cannot fail. The endpoint's <see cref="RequestCheck"/> starts from these binding errors and adds its own, so one
/// 400 names every bad field. Nothing is answered here except a body over the limit (413, as the server would).
/// </summary>
public static class RequestShape
{
    /// <summary>No command of this API needs more; a larger body is refused before it is read whole.</summary>
    public const int MaxBytes = 1024 * 1024;

    public const string UuidExample = "0190a8c4-6f1e-7c2a-9d3b-5e4f6a7b8c9d";

    public static async Task Middleware(HttpContext http, RequestDelegate next)
    {
        if (RequestTypeOf(http) is { } type)
        {
            var options = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            var shape = await ReadAsync(http.Request, options.GetTypeInfo(type), http.RequestAborted);
            http.Features.Set(shape.Errors);
            var bytes = Encoding.UTF8.GetBytes(shape.Cleaned.ToJsonString(options));
            http.Request.Body = new MemoryStream(bytes);
            http.Request.ContentLength = bytes.Length;
            http.Request.ContentType = "application/json";
        }
        await next(http);
    }

    /// <summary>The JSON body type the endpoint binds, or null when it binds none.</summary>
    private static Type? RequestTypeOf(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<HttpChain>() is { } chain ? JsonBodyOf(chain) : null;

    /// <summary>The record an endpoint binds from a JSON body; null when it reads none (Wolverine says void then).</summary>
    public static Type? JsonBodyOf(HttpChain chain) =>
        chain.RequestType is { } type && type != typeof(void) && type != typeof(string)
            ? type
            : null;

    public sealed record Result(JsonObject Cleaned, BindingErrors Errors);

    public static async Task<Result> ReadAsync(HttpRequest request, JsonTypeInfo type, CancellationToken cancellation)
    {
        var text = await ReadTextAsync(request, cancellation);
        var errors = new BindingErrors();
        if (string.IsNullOrWhiteSpace(text)) return new Result([], errors);

        JsonNode? node;
        try
        {
            // Duplicate keys are refused: which of two values was meant cannot be known.
            node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            errors.Malformed(e.LineNumber is { } line
                ? $"The body is not valid JSON (line {line + 1}, position {e.BytePositionInLine}): {FirstSentence(e.Message)}"
                : $"The body is not valid JSON: {FirstSentence(e.Message)}");
            return new Result([], errors);
        }

        if (node is not JsonObject root)
        {
            errors.Malformed("The body must be a JSON object.");
            return new Result([], errors);
        }

        CheckObject(root, type, "", errors);
        return new Result(root, errors);
    }

    private static async Task<string> ReadTextAsync(HttpRequest request, CancellationToken cancellation)
    {
        if (request.ContentLength > MaxBytes) throw TooLarge();
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellation)) > 0)
        {
            if (buffer.Length + read > MaxBytes) throw TooLarge();
            buffer.Write(chunk, 0, read);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    // The same exception the server throws past its own limit, so both reach one handler (RequestErrors).
    private static BadHttpRequestException TooLarge() =>
        new($"The body must be at most {MaxBytes / 1024} KiB.", StatusCodes.Status413PayloadTooLarge);

    private static string FirstSentence(string message) => message.Split(". ")[0].TrimEnd('.') + ".";

    private static string Path(string prefix, string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

    /// <summary>Checks each declared property; a field the type does not declare (or spells differently) is dropped, as before.</summary>
    private static void CheckObject(JsonObject obj, JsonTypeInfo type, string prefix, BindingErrors errors)
    {
        var declared = type.Properties.Where(p => p.Set is not null || type.Kind == JsonTypeInfoKind.Object)
            .ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var (name, _) in obj.ToList())
        {
            if (!declared.TryGetValue(name, out var property))
            {
                obj.Remove(name);
                continue;
            }
            var value = obj[name];
            if (value is null) continue;
            var path = Path(prefix, name);
            if (Check(value, property.PropertyType, property.Options, path, errors, inArray: false) is { } replacement)
                obj[name] = replacement.Node;
            else
                obj.Remove(name);
        }
    }

    private sealed record Kept(JsonNode? Node);

    /// <summary>The value as the type binds it (normalised where the wire allows several spellings), or null when it does not fit.</summary>
    private static Kept? Check(JsonNode value, Type type, JsonSerializerOptions options, string path, BindingErrors errors, bool inArray)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;

        if (type == typeof(string))
        {
            if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String) return Refuse(errors, path, "Must be a string.");
            try
            {
                v.GetValue<string>();
            }
            catch (InvalidOperationException)
            {
                // e.g. a lone UTF-16 surrogate escape, which is not text
                return Refuse(errors, path, "Must be valid Unicode text.");
            }
            return new Kept(value);
        }

        if (type == typeof(Guid))
        {
            var reason = inArray ? "Must be a UUID." : $"Must be a UUID such as {UuidExample}.";
            if (Text(value) is not { } text) return Refuse(errors, path, reason);
            if (text.Length == 0) return Empty(errors, path, inArray, reason);
            return Guid.TryParse(text, out var id) ? new Kept(JsonValue.Create(id.ToString("D"))) : Refuse(errors, path, reason);
        }

        if (type == typeof(DateTimeOffset))
        {
            const string reason = "Must be an ISO 8601 date and time with an offset, such as 2022-06-01T09:30:00+08:00.";
            if (Text(value) is not { } text) return Refuse(errors, path, "Must be a string.");
            if (text.Length == 0) return Empty(errors, path, inArray, reason);
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant) && HasOffset(text)
                ? new Kept(JsonValue.Create(instant.ToString("O", CultureInfo.InvariantCulture)))
                : Refuse(errors, path, reason);
        }

        if (type == typeof(DateOnly))
        {
            const string reason = "Must be a date written yyyy-MM-dd.";
            if (Text(value) is not { } text) return Refuse(errors, path, inArray ? reason : "Must be a string.");
            if (text.Length == 0) return Empty(errors, path, inArray, reason);
            return DateOnly.TryParseExact(text, "yyyy-MM-dd", out var date)
                ? new Kept(JsonValue.Create(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)))
                : Refuse(errors, path, reason);
        }

        if (type.IsEnum)
        {
            var names = EnumNames(type);
            var reason = $"Must be one of: {string.Join(", ", names)}.";
            if (Text(value) is not { } text) return Refuse(errors, path, reason);
            if (text.Length == 0) return Empty(errors, path, inArray, reason);
            // Exactly as spelled on the wire; numbers and other casings are not accepted.
            return names.Contains(text, StringComparer.Ordinal) ? new Kept(JsonValue.Create(text)) : Refuse(errors, path, reason);
        }

        if (type == typeof(bool))
            return value is JsonValue b && b.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                ? new Kept(value) : Refuse(errors, path, "Must be true or false.");

        if (type == typeof(long) || type == typeof(int))
            return value is JsonValue n && n.GetValueKind() == JsonValueKind.Number && Converts(n, type, options)
                ? new Kept(value) : Refuse(errors, path, "Must be an integer.");

        if (type == typeof(decimal) || type == typeof(double))
            return value is JsonValue d && d.GetValueKind() == JsonValueKind.Number && Converts(d, type, options)
                ? new Kept(value) : Refuse(errors, path, "Must be a number.");

        var info = options.GetTypeInfo(type);
        if (info.Kind == JsonTypeInfoKind.Enumerable && info.ElementType is { } element)
        {
            var elementType = Nullable.GetUnderlyingType(element) ?? element;
            if (value is not JsonArray array)
                return Refuse(errors, path, elementType == typeof(Guid) ? "Must be an array of UUIDs." : "Must be an array.");
            var fine = true;
            for (var i = 0; i < array.Count; i++)
            {
                var itemPath = $"{path}[{i}]";
                if (array[i] is not { } item)
                {
                    if (element.IsValueType && Nullable.GetUnderlyingType(element) is null)
                        fine = Refuse(errors, itemPath, elementType == typeof(Guid) ? "Must be a UUID." : "Must not be null.") is not null && fine;
                    continue;
                }
                if (Check(item, element, options, itemPath, errors, inArray: true) is { } kept)
                {
                    if (!ReferenceEquals(kept.Node, item)) array[i] = kept.Node;
                }
                // A bad item that can bind as null (an object, a text) is nulled in place, so the others keep their
                // indexes and are still judged; the check skips an item with a binding error.
                else if (!element.IsValueType || Nullable.GetUnderlyingType(element) is not null) array[i] = null;
                else fine = false;
            }
            // A bad item of values that cannot be null (UUIDs) cannot be left out without moving the others' indexes:
            // the array is dropped (its errors name the items), and RequestCheck leaves a field with binding errors alone.
            return fine ? new Kept(array) : null;
        }

        if (info.Kind == JsonTypeInfoKind.Object)
        {
            if (value is not JsonObject obj) return Refuse(errors, path, "Must be an object.");
            CheckObject(obj, info, path, errors);
            return new Kept(obj);
        }

        // Anything else (a dictionary, a JSON element): whatever the serializer accepts.
        return Converts(value, type, options) ? new Kept(value) : Refuse(errors, path, "Is not valid.");
    }

    private static string? Text(JsonNode value)
    {
        if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String) return null;
        try
        {
            return v.TryGetValue<string>(out var text) ? text.Trim() : null;
        }
        catch (InvalidOperationException)
        {
            // e.g. a lone UTF-16 surrogate escape, which is not text
            return null;
        }
    }

    private static bool Converts(JsonNode value, Type type, JsonSerializerOptions options)
    {
        try
        {
            value.Deserialize(type, options);
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or OverflowException)
        {
            return false;
        }
    }

    private static Kept? Refuse(BindingErrors errors, string path, string reason)
    {
        errors.Add(path, reason);
        return null;
    }

    /// <summary>
    /// An empty string where a value of another type belongs: a field is then absent ("Must not be empty." when
    /// required); an item of a list is a bad item, named with <paramref name="reason"/>.
    /// </summary>
    private static Kept? Empty(BindingErrors errors, string path, bool inArray, string reason)
    {
        if (inArray) return Refuse(errors, path, reason);
        errors.MarkEmpty(path);
        return null;
    }

    internal static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && (text[^6] == '+' || text[^6] == '-') && text[^3] == ':');

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, string[]> Names = new();

    public static string[] EnumNames(Type type) =>
        Names.GetOrAdd(type, t => Enum.GetNames(t).Select(JsonNamingPolicy.KebabCaseLower.ConvertName).ToArray());
}

/// <summary>What the body's shape already got wrong, for the endpoint's <see cref="RequestCheck"/>.</summary>
public sealed class BindingErrors
{
    internal Dictionary<string, List<string>> Errors { get; } = new();
    internal HashSet<string> EmptyFields { get; } = new(StringComparer.Ordinal);

    /// <summary>The body was not a JSON object: fields are not judged, the one error is the body's.</summary>
    public bool IsMalformed { get; private set; }

    internal void Add(string path, string reason)
    {
        if (!Errors.TryGetValue(path, out var list)) Errors[path] = list = [];
        list.Add(reason);
    }

    internal void MarkEmpty(string path) => EmptyFields.Add(path);

    internal void Malformed(string reason)
    {
        Add("body", reason);
        IsMalformed = true;
    }
}
