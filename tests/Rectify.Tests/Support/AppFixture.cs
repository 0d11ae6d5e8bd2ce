using Alba;
using Microsoft.AspNetCore.Hosting;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Rectify.Identity;
using Wolverine;

namespace Rectify.Tests.Support;

/// <summary>One API host per test run, on the real PostgreSQL that ops/test provides.</summary>
public sealed class AppFixture : IAsyncLifetime
{
    public IAlbaHost Host { get; private set; } = null!;
    public TestClock Clock { get; } = new();

    /// <summary>Keys of the clients every test can use, by client name.</summary>
    public Dictionary<string, string> Keys { get; } = new();

    public static readonly (string Name, Role Role, string? Town, string? Department)[] Clients =
    [
        ("admin", Role.Admin, null, null),
        ("supervisor", Role.DistrictSupervisor, null, null),
        ("auditor", Role.Auditor, null, null),
        ("qicun-office", Role.TownOffice, "qicun", null),
        ("qicun-visitor", Role.Visitor, "qicun", null),
        ("qicun-leader", Role.TownLeader, "qicun", null),
        ("mengzhuang-office", Role.TownOffice, "mengzhuang", null),
        ("housing", Role.Department, null, "housing"),
        ("transport", Role.Department, null, "transport")
    ];

    public async Task InitializeAsync()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("ConnectionStrings__marten")))
            throw new InvalidOperationException("Tests need PostgreSQL: run them with ops/test, which provides ConnectionStrings__marten.");

        Host = await AlbaHost.For<Program>(x =>
        {
            // Scheduled checks are played by the tests themselves (tracked sessions) after moving the test
            // clock; the host must not fire them on real time in the middle of a test.
            x.UseSetting("Supervision:PollingInterval", "01:00:00");
            // Tests send many requests a minute from few clients: no rate limit here (RateLimitTests has its own host).
            x.UseSetting("RateLimits:PermitsPerMinute", "1000000");
            x.ConfigureServices(services =>
            {
                services.RunWolverineInSoloMode();
                services.AddSingleton<TimeProvider>(Clock);
                services.AddSingleton<Serilog.Core.ILogEventSink>(Rectify.Tests.Keys.CapturedLogs.Process); // see CapturedLogs
                // Every error a test receives must be problem+json with a catalogue type (ApiTest fails the test otherwise).
                services.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, Rectify.Tests.Errors.ProblemTypeRecorder>();
                // Every answer is checked against the API document (ResponseSchemaCheck).
                services.AddSingleton<IStartupFilter, ResponseSchemaCheck>();
            });
        });
        foreach (var client in Clients) Keys[client.Name] = ApiClient.NewKey();
    }

    /// <summary>Empties the database and registers the standard clients again.</summary>
    public async Task ResetAsync()
    {
        Clock.Reset();
        await Host.ResetAllMartenDataAsync();
        await using var session = Host.DocumentStore().LightweightSession();
        foreach (var (name, role, town, department) in Clients)
            session.Store(new ApiClient
            {
                Id = ApiClient.Hash(Keys[name]), Name = name, Role = role, TownId = town, DepartmentId = department,
                RegisteredAt = DateTimeOffset.UtcNow
            });
        await session.SaveChangesAsync();
        // The reset emptied the reference-data stream too: import the shipped file again and reload.
        await Host.Services.GetRequiredService<Rectify.ReferenceData.ReferenceDataCache>().RefreshAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "api";
}
