namespace Rectify.Statistics.Tallies;

/// <summary>
/// Days as positions of a Fenwick (binary indexed) tree: a count added on a day is added to the at most 17 nodes on
/// that day's update path, and the total of all days up to a day is the sum of the at most 16 nodes on its prefix
/// path. So a figure as of any day reads a bounded number of rows, however long the history, and an act back-filled
/// into an old day changes 17 rows, not every later day's running total.
/// </summary>
public static class Fenwick
{
    /// <summary>2^16 days from 1 January 2000: past 2100, the last year a moment may carry (RequestCheck.MaxYear).</summary>
    public const int Size = 1 << 16;

    private static readonly int Epoch = new DateOnly(2000, 1, 1).DayNumber;

    /// <summary>The day's position, from 1; days before 2000 (refused at input) share the first.</summary>
    public static int Position(DateOnly day) => Math.Clamp(day.DayNumber - Epoch + 1, 1, Size);

    /// <summary>The nodes whose totals include the day at <paramref name="position"/>.</summary>
    public static IEnumerable<int> UpdatePath(int position)
    {
        for (var i = position; i <= Size; i += i & -i) yield return i;
    }

    /// <summary>The nodes that together hold every day from the first up to <paramref name="position"/>.</summary>
    public static int[] PrefixPath(int position)
    {
        var nodes = new List<int>();
        for (var i = Math.Min(position, Size); i > 0; i -= i & -i) nodes.Add(i);
        return [.. nodes];
    }
}
