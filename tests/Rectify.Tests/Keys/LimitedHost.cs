using Alba;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Identity;
using Rectify.Tests.Support;
using Serilog.Core;
using Serilog.Events;
using Wolverine;

namespace Rectify.Tests.Keys;

/// <summary>
/// A host of its own, on a database of its own, with a small rate limit (RateLimits:PermitsPerMinute = 10) and every log
/// event captured: what the shared fixture cannot show without limiting every other test.
/// </summary>
public sealed class LimitedHost : IAsyncLifetime
{
    public const int PermitsPerMinute = 10;

    public IAlbaHost Host { get; private set; } = null!;
    public CapturedLogs Logs => CapturedLogs.Process;
    public string AdminKey { get; } = ApiClient.NewKey();

    public async Task InitializeAsync()
    {
        var database = await TestDatabases.Create("rectify_test_limits");
        Host = await AlbaHost.For<Program>(x =>
        {
            x.UseSetting("ConnectionStrings:marten", database);
            x.UseSetting("Supervision:PollingInterval", "01:00:00");
            x.UseSetting("RateLimits:PermitsPerMinute", PermitsPerMinute.ToString());
            x.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                services.AddSingleton<ILogEventSink>(Logs);
            });
        });
        await Host.ResetAllMartenDataAsync();
        await Host.Services.GetRequiredService<Rectify.ReferenceData.ReferenceDataCache>().RefreshAsync(CancellationToken.None);
        await Register("admin", AdminKey, Role.Admin);
    }

    /// <summary>Stores a client directly (no request spent on the admin's quota).</summary>
    public async Task Register(string name, string key, Role role, string? town = null)
    {
        await using var session = Host.DocumentStore().LightweightSession();
        session.Store(new ApiClient { Id = ApiClient.Hash(key), Name = name, Role = role, TownId = town, RegisteredAt = DateTimeOffset.UtcNow });
        await session.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>
/// Log events of every host in the test process, while recording. Serilog's request logging and the hosts' loggers write
/// to the static Log.Logger, which the last host built owns; so every host registers this one sink.
/// </summary>
public sealed class CapturedLogs : ILogEventSink
{
    public static readonly CapturedLogs Process = new();

    /// <summary>Every test host calls this, whichever is built last then still feeds the one sink.</summary>
    public static void AddTo(IServiceCollection services) => services.AddSingleton<ILogEventSink>(Process);

    private readonly List<LogEvent> _events = [];
    private bool _recording;

    public void Emit(LogEvent logEvent)
    {
        lock (_events)
            if (_recording) _events.Add(logEvent);
    }

    public IDisposable Record()
    {
        lock (_events)
        {
            _events.Clear();
            _recording = true;
        }
        return new Stop(this);
    }

    private sealed class Stop(CapturedLogs logs) : IDisposable
    {
        public void Dispose()
        {
            lock (logs._events) logs._recording = false;
        }
    }

    /// <summary>Every event as text: message, properties and exception.</summary>
    public string AllText()
    {
        lock (_events)
            return string.Join("\n", _events.Select(e =>
                $"{e.RenderMessage()} {string.Join(" ", e.Properties.Select(p => $"{p.Key}={p.Value}"))} {e.Exception}"));
    }
}
