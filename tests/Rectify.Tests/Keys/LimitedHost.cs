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
    public CapturedLogs Logs { get; } = new();
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

public sealed class CapturedLogs : ILogEventSink
{
    private readonly List<LogEvent> _events = [];

    public void Emit(LogEvent logEvent)
    {
        lock (_events) _events.Add(logEvent);
    }

    /// <summary>Every event as text: message, properties and exception.</summary>
    public string AllText()
    {
        lock (_events)
            return string.Join("\n", _events.Select(e =>
                $"{e.RenderMessage()} {string.Join(" ", e.Properties.Select(p => $"{p.Key}={p.Value}"))} {e.Exception}"));
    }
}
