namespace Rectify.Querying;

/// <summary>
/// Every rate Rectify publishes: a percentage with exactly one decimal, rounded half up (四舍五入) in decimal arithmetic,
/// so 138/160 = 86.25% is 86.3 (banker's rounding or binary floating point would give 86.2).
/// </summary>
public static class Rates
{
    public static decimal Percent(int part, int whole) =>
        decimal.Round(100m * part / whole, 1, MidpointRounding.AwayFromZero) + 0.0m; // + 0.0m: one decimal also for 100 and 0
}
