namespace Rectify.Infrastructure.Requests;

/// <summary>
/// Judges the values of a bound request, starting from the errors its body's shape already had
/// (<see cref="RequestShape"/>), so that the endpoint answers one 400 naming every bad field:
/// <c>if (!check.IsValid) return Problems.Invalid(check.Errors);</c>. A field that already has a binding error
/// is not judged again (its value was removed, so "Is required." would be wrong).
/// </summary>
public sealed class RequestCheck
{
    private readonly Dictionary<string, List<string>> _errors = new();
    private readonly HashSet<string> _bindingFields = new(StringComparer.Ordinal);
    private readonly HashSet<string> _emptyFields = new(StringComparer.Ordinal);
    private readonly bool _malformed;

    /// <summary>Dates a ledger can hold; outside them a date is a typing error (and 9999 would overflow day arithmetic).</summary>
    public const int MinYear = 2000, MaxYear = 2100;

    public RequestCheck(BindingErrors? binding = null)
    {
        if (binding is null) return;
        _malformed = binding.IsMalformed;
        foreach (var (field, reasons) in binding.Errors)
        {
            _errors[field] = [.. reasons];
            _bindingFields.Add(field);
        }
        _emptyFields.UnionWith(binding.EmptyFields);
    }

    /// <summary>The check of this request's body, with the binding errors RequestShape found.</summary>
    public static RequestCheck Of(HttpContext http) => new(http.Features.Get<BindingErrors>());

    public bool IsValid => _errors.Count == 0;

    public IReadOnlyDictionary<string, string[]> Errors => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());

    /// <summary>Whether the field (or anything inside it, such as field[2].id) has a binding error.</summary>
    public bool HasBindingError(string field) =>
        _bindingFields.Any(f => f == field || f.StartsWith(field + "[", StringComparison.Ordinal) || f.StartsWith(field + ".", StringComparison.Ordinal));

    /// <summary>Whether the field already has any error.</summary>
    public bool HasError(string field) => _errors.ContainsKey(field) || HasBindingError(field);

    public void Fail(string field, string reason)
    {
        // A body that is not JSON is one error; nothing else about it is judged.
        if (_malformed) return;
        if (!_errors.TryGetValue(field, out var list)) _errors[field] = list = [];
        list.Add(reason);
    }

    /// <summary>A missing value of a required field; false when the field already has an error or is not required.</summary>
    private bool Missing(string field, bool required, string reason = "Is required.")
    {
        if (!required || HasBindingError(field)) return false;
        Fail(field, _emptyFields.Contains(field) ? "Must not be empty." : reason);
        return true;
    }

    /// <summary>Text, trimmed: no control characters (other than line breaks and tabs), at most <paramref name="maxLength"/> characters.</summary>
    public string? Text(string field, string? value, int maxLength, bool required)
    {
        if (value is null)
        {
            Missing(field, required);
            return null;
        }

        var text = value.Trim();
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

    public string? Required(string field, string? value, int maxLength) => Text(field, value, maxLength, required: true);
    public string? Optional(string field, string? value, int maxLength) => Text(field, value, maxLength, required: false);

    /// <summary>A value whose type the binding already checked (a UUID, an enum, a flag): only its presence is judged.</summary>
    public T? Required<T>(string field, T? value) where T : struct
    {
        if (value is null) Missing(field, required: true);
        return value;
    }

    public long? Long(string field, long? value, bool required, long min = long.MinValue)
    {
        if (value is null)
        {
            Missing(field, required);
            return null;
        }
        if (value < min)
        {
            Fail(field, $"Must be at least {min}.");
            return null;
        }
        return value;
    }

    /// <summary>A moment, kept to whole microseconds as PostgreSQL stores it (MicrosecondClock), between the years allowed.</summary>
    public DateTimeOffset? Timestamp(string field, DateTimeOffset? value, bool required)
    {
        if (value is not { } instant)
        {
            Missing(field, required);
            return null;
        }
        if (instant.Year is >= MinYear and <= MaxYear) return Microseconds.Floor(instant);
        Fail(field, $"Must lie between the years {MinYear} and {MaxYear}.");
        return null;
    }

    public DateOnly? Date(string field, DateOnly? value, bool required)
    {
        if (value is not { } date)
        {
            Missing(field, required);
            return null;
        }
        if (date.Year is >= MinYear and <= MaxYear) return date;
        Fail(field, $"Must lie between the years {MinYear} and {MaxYear}.");
        return null;
    }

    /// <summary>A list of at most <paramref name="maxItems"/> items; null (and the error named) otherwise.</summary>
    public IReadOnlyList<T>? Items<T>(string field, IReadOnlyList<T>? value, bool required, int maxItems,
        string missing = "Is required.")
    {
        if (value is null)
        {
            Missing(field, required, missing);
            return null;
        }
        if (value.Count > maxItems)
        {
            Fail(field, $"Must have at most {maxItems} items.");
            return null;
        }
        return value;
    }
}
