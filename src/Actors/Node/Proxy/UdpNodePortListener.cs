using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Akka.KubeEmu.Actors.Node.Proxy;

/// <summary>
/// The UDP socket of one UDP <see cref="Frontend"/>: each client address and port is a flow that keeps
/// the endpoint picked for its first datagram while it stays in use (conntrack), forgotten after
/// <c>flowTimeout</c> without a datagram either way (kube-proxy's 30 s UDP conntrack timeout), or as
/// soon as its endpoint is no longer usable (kube-proxy clears the conntrack entries of removed UDP
/// endpoints). No usable endpoint: the datagram is dropped.
/// </summary>
public sealed class UdpNodePortListener : IFrontendListener
{
    private readonly Socket _socket;
    private readonly ProxyConnector _connector;
    private readonly TimeProvider _time;
    private readonly TimeSpan _flowTimeout;
    private readonly ConcurrentDictionary<IPEndPoint, UdpFlow> _flows = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ITimer _sweep;

    private UdpNodePortListener(Socket socket, Frontend frontend, ProxyConnector connector, TimeProvider time, TimeSpan flowTimeout)
    {
        _socket = socket;
        Frontend = frontend;
        _connector = connector;
        _time = time;
        _flowTimeout = flowTimeout;
        _sweep = time.CreateTimer(_ => Sweep(), null, flowTimeout, flowTimeout);
    }

    public Frontend Frontend { get; }

    /// <summary>Flows alive (specs).</summary>
    public int FlowCount => _flows.Count;

    /// <summary>Binds and starts receiving; null (with the reason) when the address cannot be bound.</summary>
    public static UdpNodePortListener? Start(Frontend frontend, ProxyConnector connector, TimeProvider time, TimeSpan flowTimeout, out string? error)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Parse(frontend.Ip), frontend.Port));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            error = e.Message;
            return null;
        }
        error = null;
        var listener = new UdpNodePortListener(socket, frontend, connector, time, flowTimeout);
        _ = listener.ReceiveLoop();
        return listener;
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[Network.Udp.DatagramFrames.MaxDatagram];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try { received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { continue; } // an ICMP error for an earlier answer
            var client = (IPEndPoint)received.RemoteEndPoint;
            if (await FlowOf(client) is { } flow) await flow.Send(buffer[..received.ReceivedBytes], _time.GetUtcNow());
        }
    }

    private async Task<UdpFlow?> FlowOf(IPEndPoint client)
    {
        var now = _time.GetUtcNow();
        if (_flows.TryGetValue(client, out var flow))
        {
            if (!flow.Closed && now - flow.LastSeen < _flowTimeout && _connector.Usable(Frontend).Contains(flow.Backend)) return flow;
            _flows.TryRemove(client, out _);
            flow.Dispose();
        }
        if (_connector.Pick(Frontend, client, out var seenAs) is not { } backend) return null;
        if (await UdpFlow.Open(_socket, client, backend, seenAs, _connector, _time) is not { } opened) return null;
        _flows[client] = opened;
        return opened;
    }

    private void Sweep()
    {
        var now = _time.GetUtcNow();
        foreach (var (client, flow) in _flows)
            if (flow.Closed || now - flow.LastSeen >= _flowTimeout)
                if (_flows.TryRemove(new KeyValuePair<IPEndPoint, UdpFlow>(client, flow))) flow.Dispose();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _sweep.Dispose();
        _socket.Dispose();
        foreach (var flow in _flows.Values) flow.Dispose();
        _flows.Clear();
    }
}
