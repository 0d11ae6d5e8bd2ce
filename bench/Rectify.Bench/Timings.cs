using System.Diagnostics;
using System.Text.Json;

namespace Rectify.Bench;

/// <summary>Latencies in Stopwatch ticks, summarised as the JSON line ops/bench reads.</summary>
public static class Timings
{
    public static double? Percentile(List<long> sorted, double p) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)] * 1000.0 / Stopwatch.Frequency;

    public static int Report(List<long> ticks, int errors, TimeSpan elapsed, object? extra = null)
    {
        ticks.Sort();
        var line = new Dictionary<string, object?>
        {
            ["requests"] = ticks.Count,
            ["errors"] = errors,
            ["seconds"] = Math.Round(elapsed.TotalSeconds, 3),
            ["rps"] = Math.Round(ticks.Count / elapsed.TotalSeconds, 1),
            ["p50ms"] = Percentile(ticks, 50) is { } p50 ? Math.Round(p50, 2) : null,
            ["p99ms"] = Percentile(ticks, 99) is { } p99 ? Math.Round(p99, 2) : null
        };
        if (extra is not null)
            foreach (var p in extra.GetType().GetProperties()) line[p.Name] = p.GetValue(extra);
        Console.WriteLine(JsonSerializer.Serialize(line));
        // A run with no successful request still reports (its errors count shows in the table).
        return 0;
    }
}
