using Marten;
using Rectify.Identity;

namespace Rectify.Calendar;

/// <summary>
/// The working-day calendar as the store holds it now. Every decision that computes a date (a command, a fired check,
/// a delivery, a re-planning) reads the years again through <see cref="LoadAsync"/>: one small query (a document per
/// year), so a change made on any node counts on every node from the next decision on, without a restart and without
/// a cache to invalidate across nodes. The built calendar is reused while no year's version changed.
/// <see cref="Current"/> is the last one loaded on this node, for code that cannot wait on the database.
/// </summary>
public sealed class LiveCalendar(IReadOnlyList<CalendarYearData> shipped, TimeProvider clock)
{
    private volatile Loaded _loaded = new("shipped", WorkingCalendar.From(shipped));

    private sealed record Loaded(string Key, WorkingCalendar Calendar);

    /// <summary>The years the service ships (Calendar/china-calendar.json): imported when the store has none.</summary>
    public IReadOnlyList<CalendarYearData> Shipped { get; } = shipped;

    public WorkingCalendar Current => _loaded.Calendar;

    public async Task<WorkingCalendar> LoadAsync(IQuerySession session, CancellationToken cancellation = default)
    {
        var years = await session.Query<CalendarYear>().ToListAsync(cancellation);
        if (years.Count == 0)
        {
            await ImportShippedAsync(session.DocumentStore, cancellation);
            years = await session.Query<CalendarYear>().ToListAsync(cancellation);
        }
        return Remember(years);
    }

    /// <summary>The calendar of these stored years (with one year replaced, for "before this change").</summary>
    public WorkingCalendar Remember(IReadOnlyList<CalendarYear> years)
    {
        var key = string.Join(",", years.OrderBy(y => y.Year).Select(y => $"{y.Year}:{y.Version}"));
        var loaded = _loaded;
        if (loaded.Key == key) return loaded.Calendar;
        var next = new Loaded(key, WorkingCalendar.From(years.Select(y => y.Data)));
        _loaded = next;
        return next.Calendar;
    }

    /// <summary>
    /// The initial import: the shipped years, one stream each, recorded as Rectify's act. Idempotent: only when the
    /// store holds no calendar; a node that loses the race to another finds the years there and carries on.
    /// </summary>
    public async Task ImportShippedAsync(IDocumentStore store, CancellationToken cancellation = default)
    {
        await using var session = store.LightweightSession();
        if (await session.Query<CalendarYear>().AnyAsync(cancellation)) return;
        var now = clock.GetUtcNow();
        foreach (var year in Shipped)
            session.Events.StartStream<CalendarYear>(CalendarYear.StreamId(year.Year),
                new CalendarYearChanged(year.Year, year.DaysOff, year.Workdays, year.Notice,
                    $"Initial import of {WorkingCalendar.FileName}", Actor.Rectify, now));
        try
        {
            await session.SaveChangesAsync(cancellation);
        }
        catch (Exception)
        {
            // Another node imported at the same moment: its years stand. Anything else is a real failure.
            if (!await AnyStored(store, cancellation)) throw;
        }
    }

    private static async Task<bool> AnyStored(IDocumentStore store, CancellationToken cancellation)
    {
        await using var query = store.QuerySession();
        return await query.Query<CalendarYear>().AnyAsync(cancellation);
    }
}
