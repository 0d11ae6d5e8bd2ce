using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rectify.Infrastructure;

/// <summary>
/// Reads a JSON request body field by field and collects every problem, so that a 400 names
/// every bad field at once (the framework binder stops at the first one).
/// </summary>
public sealed class RequestBody
{
    private readonly JsonObject _root;
    private readonly Dictionary<string, List<string>> _errors = new();

    private RequestBody(JsonObject root) => _root = root;

    public bool IsValid => _errors.Count == 0;

    /// <summary>Dates a ledger can hold; outside them a date is a typing error (and 9999 would overflow day arithmetic).</summary>
    public const int MinYear = 2000, MaxYear = 2100;

    /// <summary>The body was not a JSON object: fields are not judged, the one error is the body's.</summary>
    private bool _malformed;

    public IReadOnlyDictionary<string, string[]> Errors =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    /// <summary>No command of this API needs more; a larger body is refused before it is read whole.</summary>
    public const int MaxBytes = 1024 * 1024;

    public static async Task<RequestBody> ReadAsync(HttpRequest request, CancellationToken cancellation)
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
        var text = System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        if (string.IsNullOrWhiteSpace(text)) return new RequestBody(new JsonObject());

        try
        {
            // Duplicate keys are refused: which of two values was meant cannot be known.
            var node = JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
            if (node is JsonObject obj) return new RequestBody(obj);
            return Malformed("The body must be a JSON object.");
        }
        catch (JsonException e)
        {
            return Malformed(e.LineNumber is { } line
                ? $"The body is not valid JSON (line {line + 1}, position {e.BytePositionInLine}): {FirstSentence(e.Message)}"
                : $"The body is not valid JSON: {FirstSentence(e.Message)}");
        }
    }

    // The same exception the server throws past its own limit, so both reach one handler (RequestErrors).
    private static BadHttpRequestException TooLarge() =>
        new($"The body must be at most {MaxBytes / 1024} KiB.", StatusCodes.Status413PayloadTooLarge);

    private static RequestBody Malformed(string reason)
    {
        var body = new RequestBody(new JsonObject());
        body.Fail("body", reason);
        body._malformed = true;
        return body;
    }

    private static string FirstSentence(string message) => message.Split(". ")[0].TrimEnd('.') + ".";

    /// <summary>Whether the body holds the field with a value other than null.</summary>
    public bool Has(string field) => _root.TryGetPropertyValue(field, out var node) && node is not null;

    public void Fail(string field, string reason)
    {
        if (_malformed) return;
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(reason);
    }

    private JsonValue? Value(string field, string expected)
    {
        if (!_root.TryGetPropertyValue(field, out var node) || node is null) return null;
        if (node is JsonValue value) return value;
        Fail(field, $"Must be {expected}.");
        return null;
    }

    public string? String(string field, int maxLength, bool required)
    {
        var value = Value(field, "a string");
        if (value is null)
        {
            if (required && !_errors.ContainsKey(field)) Fail(field, "Is required.");
            return null;
        }

        string? text;
        try
        {
            if (!value.TryGetValue(out text))
            {
                Fail(field, "Must be a string.");
                return null;
            }
        }
        catch (InvalidOperationException)
        {
            // e.g. a lone UTF-16 surrogate escape, which is not text
            Fail(field, "Must be valid Unicode text.");
            return null;
        }

        text = text.Trim();
        if (text.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
        {
            // PostgreSQL cannot store a NUL in JSON, and no ledger text needs control characters.
            Fail(field, "Must not contain control characters.");
            return null;
        }

        if (text.Length == 0)
        {
            if (required) Fail(field, "Must not be empty.");
            return null;
        }

        if (text.Length > maxLength)
        {
            Fail(field, $"Must be at most {maxLength} characters (got {text.Length}).");
            return null;
        }

        return text;
    }

    public string? RequiredString(string field, int maxLength) => String(field, maxLength, required: true);
    public string? OptionalString(string field, int maxLength) => String(field, maxLength, required: false);

    public Guid? Guid(string field, bool required)
    {
        var text = String(field, 64, required);
        if (text is null) return null;
        if (System.Guid.TryParse(text, out var id)) return id;
        Fail(field, "Must be a UUID such as 0190a8c4-6f1e-7c2a-9d3b-5e4f6a7b8c9d.");
        return null;
    }

    public long? Long(string field, bool required, long min = long.MinValue)
    {
        var value = Value(field, "an integer");
        if (value is null)
        {
            if (required && !_errors.ContainsKey(field)) Fail(field, "Is required.");
            return null;
        }

        if (value.GetValueKind() != JsonValueKind.Number || !value.TryGetValue<long>(out var number))
        {
            Fail(field, "Must be an integer.");
            return null;
        }

        if (number < min)
        {
            Fail(field, $"Must be at least {min}.");
            return null;
        }

        return number;
    }

    public DateTimeOffset? Timestamp(string field, bool required)
    {
        var text = String(field, 40, required);
        if (text is null) return null;
        if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.None, out var instant) && HasOffset(text))
        {
            // Kept to whole microseconds, as PostgreSQL stores it (MicrosecondClock).
            if (instant.Year is >= MinYear and <= MaxYear) return Microseconds.Floor(instant);
            Fail(field, $"Must lie between the years {MinYear} and {MaxYear}.");
            return null;
        }
        Fail(field, "Must be an ISO 8601 date and time with an offset, such as 2022-06-01T09:30:00+08:00.");
        return null;
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && (text[^6] == '+' || text[^6] == '-') && text[^3] == ':');

    public DateOnly? Date(string field, bool required)
    {
        var text = String(field, 10, required);
        if (text is null) return null;
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", out var date))
        {
            if (date.Year is >= MinYear and <= MaxYear) return date;
            Fail(field, $"Must lie between the years {MinYear} and {MaxYear}.");
            return null;
        }
        Fail(field, "Must be a date written yyyy-MM-dd.");
        return null;
    }

    public bool Boolean(string field, bool defaultValue)
    {
        var value = Value(field, "true or false");
        if (value is null) return defaultValue;
        if (value.GetValueKind() is JsonValueKind.True or JsonValueKind.False) return value.GetValue<bool>();
        Fail(field, "Must be true or false.");
        return defaultValue;
    }

    /// <summary>The field as a JSON array of at most <paramref name="maxItems"/> items; null (and the error named) otherwise.</summary>
    private JsonArray? ArrayOf(string field, bool required, int maxItems, string notAnArray, string missing)
    {
        if (!_root.TryGetPropertyValue(field, out var node) || node is null)
        {
            if (required) Fail(field, missing);
            return null;
        }
        if (node is not JsonArray array)
        {
            Fail(field, notAnArray);
            return null;
        }
        if (array.Count > maxItems)
        {
            Fail(field, $"Must have at most {maxItems} items.");
            return null;
        }
        return array;
    }

    /// <summary>An array of UUID strings; errors are named field[i].</summary>
    public IReadOnlyList<Guid>? GuidArray(string field, int maxItems)
    {
        if (ArrayOf(field, required: false, maxItems, "Must be an array of UUIDs.", "Is required.") is not { } array) return null;

        var ids = new List<Guid>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String && System.Guid.TryParse(v.ToString(), out var id)) ids.Add(id);
            else Fail($"{field}[{i}]", "Must be a UUID.");
        }
        return ids.Distinct().ToList();
    }

    /// <summary>A required array of strings; an item that is not a string is null (for the caller to name field[i]).</summary>
    public IReadOnlyList<string?>? StringArray(string field, int maxItems)
    {
        if (ArrayOf(field, required: true, maxItems, "Must be an array.", "Is required (an empty array when there are none).") is not { } array)
            return null;
        return array.Select(item => item is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.ToString() : null).ToList();
    }

    /// <summary>One of the given kebab-case values.</summary>
    public T? Choice<T>(string field, bool required) where T : struct, Enum
    {
        var text = String(field, 40, required);
        if (text is null) return null;
        foreach (var value in Enum.GetValues<T>())
            if (Kebab.Of(value) == text) return value;
        Fail(field, $"Must be one of: {string.Join(", ", Enum.GetValues<T>().Select(v => Kebab.Of(v)))}.");
        return null;
    }

    /// <summary>An array of objects, each read by <paramref name="readItem"/>; errors are named field[i].name.</summary>
    public IReadOnlyList<T>? Array<T>(string field, bool required, int maxItems, Func<RequestBody, T?> readItem) where T : class
    {
        if (ArrayOf(field, required, maxItems, "Must be an array.", "Is required.") is not { } array) return null;

        var items = new List<T>();
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject obj)
            {
                Fail($"{field}[{i}]", "Must be an object.");
                continue;
            }

            var itemBody = new RequestBody(obj);
            var item = readItem(itemBody);
            foreach (var (name, reasons) in itemBody._errors)
                foreach (var reason in reasons)
                    Fail($"{field}[{i}].{name}", reason);
            if (item is not null && itemBody.IsValid) items.Add(item);
        }

        return items;
    }
}
