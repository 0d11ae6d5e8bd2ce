using System.Globalization;

namespace Rectify.Bench;

/// <summary>"--name value" pairs.</summary>
public sealed class Options(Dictionary<string, string> values)
{
    public static Options Parse(IEnumerable<string> args)
    {
        var values = new Dictionary<string, string>();
        string? name = null;
        foreach (var arg in args)
        {
            if (name is null && arg.StartsWith("--")) name = arg[2..];
            else if (name is not null) { values[name] = arg; name = null; }
            else throw new ArgumentException($"unexpected argument '{arg}'");
        }
        if (name is not null) throw new ArgumentException($"--{name} needs a value");
        return new Options(values);
    }

    public string Get(string name) => values.TryGetValue(name, out var v) ? v : throw new ArgumentException($"--{name} is required");
    public string? Find(string name) => values.GetValueOrDefault(name);
    public int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
    public double Double(string name, double fallback) => values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
