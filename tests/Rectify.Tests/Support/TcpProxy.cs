using System.Net;
using System.Net.Sockets;

namespace Rectify.Tests.Support;

/// <summary>
/// A TCP relay in front of the test's PostgreSQL, so a host can lose its database and get it back (as across a
/// server restart) without stopping the cluster other tests use. Cut: connections drop, new ones are refused.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource _running = new();

    public TcpProxy(string targetHost, int targetPort)
    {
        (_targetHost, _targetPort) = (targetHost, targetPort);
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        Port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
    }

    public int Port { get; }

    public void Open()
    {
        _running = new CancellationTokenSource();
        _listener = new TcpListener(IPAddress.Loopback, Port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _ = Accept(_listener, _running.Token);
    }

    /// <summary>Drops every relayed connection and refuses new ones until <see cref="Open"/>.</summary>
    public void Cut()
    {
        _running.Cancel();
        _listener?.Stop();
        lock (_open)
        {
            foreach (var client in _open) client.Close();
            _open.Clear();
        }
    }

    private async Task Accept(TcpListener listener, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            TcpClient inbound;
            try { inbound = await listener.AcceptTcpClientAsync(stop); }
            catch (Exception) { return; } // stopped
            var outbound = new TcpClient();
            try { await outbound.ConnectAsync(_targetHost, _targetPort, stop); }
            catch (Exception) { inbound.Close(); outbound.Close(); continue; }
            lock (_open) { _open.Add(inbound); _open.Add(outbound); }
            _ = Pump(inbound, outbound, stop);
            _ = Pump(outbound, inbound, stop);
        }
    }

    private static async Task Pump(TcpClient from, TcpClient to, CancellationToken stop)
    {
        try { await from.GetStream().CopyToAsync(to.GetStream(), stop); }
        catch (Exception) { /* one side went away: close both below */ }
        from.Close();
        to.Close();
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        return ValueTask.CompletedTask;
    }
}
