using Marten;
using Rectify.Identity;
using Rectify.Tests.Support;

namespace Rectify.Tests.Keys;

/// <summary>ops/cli add-client --routes, clients list|rotate|revoke: the same decisions and audit record as the API.</summary>
public sealed class ClientsCommandTests(AppFixture app) : ApiTest(app)
{
    [Fact]
    public async Task An_external_system_registered_rotated_listed_and_revoked_from_the_command_line()
    {
        var (refused, refusal) = await RunCommand("add-client", "cityline", "--role", "external-system", "--routes", "POST /api/v1/issues", "GET /api/v1/nowhere");
        Assert.NotEqual(0, refused);
        Assert.Contains("GET /api/v1/nowhere: 'GET /api/v1/nowhere' is not a route of this API", refusal);

        var (added, addOutput) = await RunCommand("add-client", "cityline", "--role", "external-system", "--routes", "POST /api/v1/issues", "get /api/v1/issues/{id}");
        Assert.True(added == 0, addOutput);
        var firstKey = LastLine(addOutput);
        await using (var session = Store.QuerySession())
            Assert.Equal(["POST /api/v1/issues", "GET /api/v1/issues/{id}"], (await session.LoadAsync<ApiClient>(ApiClient.Hash(firstKey)))!.AllowedRoutes);

        var (rotated, rotateOutput) = await RunCommand("clients", "rotate", "cityline", "--grace-hours", "0");
        Assert.True(rotated == 0, rotateOutput);
        var secondKey = LastLine(rotateOutput);
        Assert.NotEqual(firstKey, secondKey);
        App.Clock.Set(DateTimeOffset.UtcNow); // the command line rotated on real time
        await Get("/api/v1/clients/cityline", null, 403, s => s.WithRequestHeader("Authorization", $"Bearer {secondKey}"));
        await Get("/api/v1/clients/cityline", null, 401, s => s.WithRequestHeader("Authorization", $"Bearer {firstKey}"));

        var (listed, list) = await RunCommand("clients", "list");
        Assert.True(listed == 0, list);
        var line = list.Split('\n').Single(l => l.StartsWith("cityline "));
        Assert.Contains("external-system", line);
        Assert.Contains("1 working of 2", line);
        Assert.Contains("qicun-office", list);
        Assert.DoesNotContain(secondKey, list);

        var (revoked, revokeOutput) = await RunCommand("clients", "revoke", "cityline");
        Assert.True(revoked == 0, revokeOutput);
        await Get("/api/v1/clients/cityline", null, 401, s => s.WithRequestHeader("Authorization", $"Bearer {secondKey}"));
        var (again, againOutput) = await RunCommand("clients", "revoke", "cityline");
        Assert.NotEqual(0, again);
        Assert.Contains("is revoked", againOutput);

        var history = await Get("/api/v1/clients/cityline/history", "auditor", 200);
        Assert.Equal(["registered", "rotated", "revoked"], history.Json.EnumerateArray().Select(e => e.GetProperty("type").GetString()));
        Assert.All(history.Json.EnumerateArray(), e => Assert.StartsWith("ops-cli:", e.GetProperty("actor").GetProperty("clientName").GetString()));
    }

    [Fact]
    public async Task Rotating_or_revoking_an_unknown_client_fails_and_stores_nothing()
    {
        var (rotated, output) = await RunCommand("clients", "rotate", "nobody");
        Assert.NotEqual(0, rotated);
        Assert.Contains("No client named 'nobody'", output);
        Assert.Equal(0, await StoredEventCount());
    }

    private static string LastLine(string output) => output.Trim().Split('\n')[^1].Trim();

    /// <summary>The service's own command line, as ops/cli runs it, against the test database.</summary>
    private static Task<(int ExitCode, string Output)> RunCommand(params string[] args) =>
        Checkout.RunToEnd("dotnet", [Path.Combine(AppContext.BaseDirectory, "Rectify.dll"), .. args], info =>
        {
            info.WorkingDirectory = AppContext.BaseDirectory;
            info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        });
}
