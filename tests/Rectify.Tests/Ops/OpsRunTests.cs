using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

using Rectify.Tests.Support;

namespace Rectify.Tests.Ops;

/// <summary>
/// Runs ops/run as a new user would: a fresh state folder, no connection string, so it creates its own
/// PostgreSQL cluster, builds, applies the schema and registers the dev admin key.
/// </summary>
public sealed class OpsRunTests : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), $"rectify-e2e-{Guid.NewGuid():N}");
    private readonly int _pgPort = FreePort();
    private readonly int _httpPort = FreePort();
    private readonly StringBuilder _output = new();

    [Fact]
    public async Task Ops_run_starts_the_service_on_a_private_postgres_and_answers_an_authenticated_request()
    {
        using var run = Start("--port", _httpPort.ToString());
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_httpPort}"), Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            // The Release build is not the service's start: on a loaded 2-core machine it alone can take minutes, so the
            // limits only guard against a hang: the build gets its own, and the start is timed from the schema step.
            await WaitForOutput("applying the database schema", run, TimeSpan.FromMinutes(20));
            await WaitForHealth(http, run, TimeSpan.FromMinutes(5));

            var key = (await File.ReadAllTextAsync(Path.Combine(_home, "dev-api-key"))).Trim();
            Assert.StartsWith("rk_", key);

            var anonymous = await http.GetAsync($"/api/v1/issues/{Guid.NewGuid()}");
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/issues")
            {
                Content = new StringContent(
                    """{"townId":"qicun","address":"齐村镇 1 号","categoryId":"infrastructure","description":"路面塌陷","channel":"visit","visitorId":"v-1"}""",
                    Encoding.UTF8, "application/json")
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            var created = await http.SendAsync(request);
            Assert.True(created.StatusCode == HttpStatusCode.Created, $"{created.StatusCode}: {await created.Content.ReadAsStringAsync()}\n{_output}");

            // On Kestrel itself: an over-long URL is a 414 problem (RequestLimits), and a retried POST with its
            // Idempotency-Key (its table made by `resources setup`) collects once.
            await Errors.KestrelChecks.Run(http, key);
        }
        finally
        {
            if (!run.HasExited) run.Kill(entireProcessTree: true);
            await run.WaitForExitAsync();
            using var stop = Start("--stop-db");
            await stop.WaitForExitAsync();
            Assert.True(stop.ExitCode == 0, _output.ToString());
        }

        Assert.Contains("stopped PostgreSQL", _output.ToString());
    }

    private Process Start(params string[] args)
    {
        var info = new ProcessStartInfo(Path.Combine(Checkout.Root(), "ops", "run"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment.Remove("ConnectionStrings__marten");
        // The test runner's MSBuild settings would leak into the script's own build.
        foreach (var name in info.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || k.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
            info.Environment.Remove(name);
        // ... but its build, like the tests', leaves no compiler server or worker node behind.
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["UseSharedCompilation"] = "false";
        info.Environment["RECTIFY_HOME"] = _home;
        info.Environment["RECTIFY_PG_PORT"] = _pgPort.ToString();

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private async Task WaitForHealth(HttpClient http, Process run, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < until)
        {
            Assert.False(run.HasExited, $"ops/run exited early:\n{_output}");
            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet, or too busy starting to answer within the request's timeout
            }
            await Task.Delay(500);
        }
        Assert.Fail($"ops/run did not become healthy within {limit}:\n{_output}");
    }

    private async Task WaitForOutput(string line, Process run, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < until)
        {
            lock (_output) if (_output.ToString().Contains(line)) return;
            Assert.False(run.HasExited, $"ops/run exited early:\n{_output}");
            await Task.Delay(500);
        }
        Assert.Fail($"ops/run did not print '{line}' within {limit}:\n{_output}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose() => Checkout.DeleteScratch(_home);
}
