using JasperFx.Events.Projections;
using Marten;

namespace Rectify.Calendar;

/// <summary>The calendar's wiring: its events and documents in the store, its services, its import at start-up.</summary>
public static class CalendarConfiguration
{
    public static void Configure(StoreOptions options)
    {
        foreach (var (type, name) in CalendarEventNames.All) options.Events.MapEventType(type, name);
        options.Projections.Snapshot<CalendarYear>(SnapshotLifecycle.Inline);
        options.Schema.For<CalendarYear>().Index(y => y.Year);
    }

    public static void AddCalendar(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        var shipped = WorkingCalendar.ReadFile(configuration["Calendar:Path"] ?? Path.Combine(contentRoot, "Calendar", WorkingCalendar.FileName));
        services.AddSingleton(sp => new LiveCalendar(shipped, sp.GetRequiredService<TimeProvider>()));
        // Code that asks for the calendar itself gets the last one loaded on this node; decisions load it afresh.
        services.AddTransient(sp => sp.GetRequiredService<LiveCalendar>().Current);
        services.AddHostedService<CalendarImport>();
    }
}

/// <summary>At start-up: imports the shipped years when the store has no calendar, and loads it.</summary>
public sealed class CalendarImport(LiveCalendar calendar, IDocumentStore store, ILogger<CalendarImport> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var session = store.QuerySession();
            var loaded = await calendar.LoadAsync(session, cancellationToken);
            logger.LogInformation("Working-day calendar: holiday notices for {Years}", string.Join(", ", loaded.CoveredYears.Order()));
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or Marten.Exceptions.MartenCommandException)
        {
            // The service still starts (health answers 503 while the database is away); the first decision imports.
            logger.LogWarning(e, "Working-day calendar: could not read the store at start-up; using the shipped years until it answers");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
