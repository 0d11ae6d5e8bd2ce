using System.Security.Cryptography;
using Marten;
using Marten.Exceptions;
using Rectify.Calendar;
using Rectify.Identity;

namespace Rectify.ReferenceData;

/// <summary>Settings of the ReferenceData section.</summary>
public sealed class ReferenceDataOptions
{
    public const string Section = "ReferenceData";

    /// <summary>The shipped file, imported once into an empty database.</summary>
    public string? Path { get; set; }

    /// <summary>How often a node looks for changes another node wrote (one indexed query on the stream's last event).</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A visit naming a household the register lacks registers it there and then (marked so) instead of a 400.</summary>
    public bool RegisterUnknownHouseholds { get; set; }
}

/// <summary>
/// The reference data every request reads, held in memory per node. The stream's last event id tells whether it
/// is current: the node that writes a change reloads at once; other nodes notice within RefreshInterval. The view
/// for today is rebuilt when the (Asia/Shanghai) date turns, so a change dated tomorrow applies from tomorrow.
/// </summary>
public sealed class ReferenceDataCache(IDocumentStore store, TimeProvider clock, Microsoft.Extensions.Options.IOptions<ReferenceDataOptions> options,
    ILogger<ReferenceDataCache> logger)
{
    private sealed record Loaded(ReferenceTimeline Timeline, Guid LastEventId, DateOnly Date, DistrictReferenceData Current);

    private volatile Loaded? _loaded;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public DateOnly Today => WorkingCalendar.ShanghaiDate(clock.GetUtcNow());

    public DistrictReferenceData Current
    {
        get
        {
            var loaded = _loaded ?? LoadNow();
            var today = Today;
            if (loaded.Date == today) return loaded.Current;
            var next = loaded with { Date = today, Current = loaded.Timeline.AsOf(today) };
            _loaded = next;
            return next.Current;
        }
    }

    public ReferenceTimeline Timeline => (_loaded ?? LoadNow()).Timeline;

    public DistrictReferenceData AsOf(DateOnly date) => date == Today ? Current : Timeline.AsOf(date);

    // Only the first use on a node that was not started as a host (a command line run) gets here.
    private Loaded LoadNow()
    {
        RefreshAsync(CancellationToken.None).GetAwaiter().GetResult();
        return _loaded!;
    }

    /// <summary>Reloads when the stream changed; imports the shipped file into an empty database first.</summary>
    public async Task<ReferenceTimeline> RefreshAsync(CancellationToken cancellation)
    {
        var last = await LastEventId(cancellation);
        if (_loaded is { } loaded && last is not null && loaded.LastEventId == last) return loaded.Timeline;

        await _gate.WaitAsync(cancellation);
        try
        {
            if (last is null)
            {
                await ImportAsync(cancellation);
                last = await LastEventId(cancellation);
            }
            if (_loaded is { } again && again.LastEventId == last) return again.Timeline;

            await using var session = store.QuerySession();
            var events = await session.Events.FetchStreamAsync(ReferenceDataStream.Id, token: cancellation);
            var timeline = ReferenceTimeline.Of(events.Select(e => (e.Version, e.Data)));
            var today = Today;
            _loaded = new Loaded(timeline, events.Count == 0 ? Guid.Empty : events[^1].Id, today, timeline.AsOf(today));
            return timeline;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Guid?> LastEventId(CancellationToken cancellation)
    {
        await using var session = store.QuerySession();
        var ids = await session.QueryAsync<Guid>(
            $"select id from {store.Options.Events.DatabaseSchemaName}.mt_events where stream_id = ? order by version desc limit 1",
            cancellation, ReferenceDataStream.Id);
        return ids.Count == 0 ? null : ids[0];
    }

    /// <summary>The shipped file becomes the stream's first event, once: a second node racing here finds the stream taken.</summary>
    private async Task ImportAsync(CancellationToken cancellation)
    {
        var path = options.Value.Path ?? throw new InvalidOperationException("ReferenceData:Path is not set.");
        var bytes = await File.ReadAllBytesAsync(path, cancellation);
        var file = DistrictReferenceData.ReadFile(path);
        DistrictReferenceData.From(file); // refuses a bad file loudly before anything is stored
        await using var session = store.LightweightSession();
        session.Events.StartStream(ReferenceDataStream.Id,
            new ReferenceDataImported(System.IO.Path.GetFileName(path), Convert.ToHexStringLower(SHA256.HashData(bytes)), file, Actor.Rectify, clock.GetUtcNow()));
        try
        {
            await session.SaveChangesAsync(cancellation);
            logger.LogInformation("Reference data imported from {File}", path);
        }
        catch (ExistingStreamIdCollisionException)
        {
        }
    }
}

/// <summary>Loads the reference data before the node serves, then follows changes written by other nodes.</summary>
public sealed class ReferenceDataRefresher(ReferenceDataCache cache, Microsoft.Extensions.Options.IOptions<ReferenceDataOptions> options,
    ILogger<ReferenceDataRefresher> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellation)
    {
        await cache.RefreshAsync(cancellation);
        await base.StartAsync(cancellation);
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.Value.RefreshInterval, stopping);
                await cache.RefreshAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The data in memory stays valid; the next round tries again.
                logger.LogWarning(e, "Reference data could not be refreshed");
            }
        }
    }
}
