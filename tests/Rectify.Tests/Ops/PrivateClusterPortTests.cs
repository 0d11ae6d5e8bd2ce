using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

using Rectify.Tests.Support;

namespace Rectify.Tests.Ops;

/// <summary>
/// Two checkouts on one machine (a developer's service and a CI clone) must not fight over the private
/// cluster's default port: when it is taken, the cluster starts on the next free one, unless the user
/// chose the port.
/// </summary>
public sealed class PrivateClusterPortTests : IDisposable
{
    private const int DefaultPort = 55432;
    private readonly string _home = Path.Combine(Path.GetTempPath(), $"rectify-port-{Guid.NewGuid():N}");

    [Fact]
    public async Task A_taken_default_port_moves_the_private_cluster_to_a_free_one()
    {
        // Hold the default port; if something else already holds it, the condition is the same.
        using var holder = TryListen(DefaultPort);

        var (exitCode, output) = await RunLibrary(portGiven: null,
            "rectify_pg_start; echo \"PORT=$RECTIFY_PG_PORT\"; rectify_psql -c 'select 1'; rectify_pg_stop");

        Assert.True(exitCode == 0, output);
        var port = int.Parse(Regex.Match(output, @"PORT=(\d+)").Groups[1].Value);
        Assert.NotEqual(DefaultPort, port);
        Assert.Contains($"starting PostgreSQL on 127.0.0.1:{port}", output);
    }

    [Fact]
    public async Task A_running_cluster_is_found_on_its_port_and_another_chosen_port_is_refused()
    {
        using var holder = TryListen(DefaultPort);
        var (exitCode, output) = await RunLibrary(portGiven: null,
            "rectify_pg_start; echo \"FIRST=$RECTIFY_PG_PORT\"; " +
            // A second script on the same cluster, as ops/cli after ops/run: it finds the port without being told.
            "RECTIFY_PG_PORT=55432; rectify_pg_start; echo \"SECOND=$RECTIFY_PG_PORT\"; " +
            "RECTIFY_PG_PORT_GIVEN=1; RECTIFY_PG_PORT=1; (rectify_pg_start) || echo REFUSED; rectify_pg_stop");

        Assert.True(exitCode == 0, output);
        var first = Regex.Match(output, @"FIRST=(\d+)").Groups[1].Value;
        Assert.Equal(first, Regex.Match(output, @"SECOND=(\d+)").Groups[1].Value);
        Assert.Contains($"already runs on port {first}, not 1", output);
        Assert.Contains("REFUSED", output);
    }

    [Fact]
    public async Task A_taken_port_the_user_chose_is_reported_not_replaced()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var taken = ((IPEndPoint)holder.LocalEndpoint).Port;

        var (exitCode, output) = await RunLibrary(portGiven: taken, "rectify_pg_start");

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"port {taken} is taken", output);
    }

    private async Task<(int ExitCode, string Output)> RunLibrary(int? portGiven, string script)
    {
        var library = Path.Combine(Checkout.Root(), "ops", "lib", "postgres.sh");
        return await Checkout.RunToEnd("bash", ["-c", $"set -euo pipefail; source '{library}'; {script}"], info =>
        {
            info.Environment["RECTIFY_HOME"] = _home;
            if (portGiven is { } port) info.Environment["RECTIFY_PG_PORT"] = port.ToString();
            else info.Environment.Remove("RECTIFY_PG_PORT");
        });
    }

    private static TcpListener? TryListen(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return listener;
        }
        catch (SocketException)
        {
            return null;
        }
    }


    public void Dispose() => Checkout.DeleteScratch(_home);
}
