using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.KubeEmu.Actors.Node.Network;
using Akka.KubeEmu.Actors.Node.Network.Udp;

namespace Akka.KubeEmu.Actors.Node.Proxy;

/// <summary>
/// One UDP flow through kube-proxy (a conntrack entry): datagrams from one client address and port
/// to one frontend, all sent to the endpoint picked for the first one. A pod of this process is
/// asked directly; a pod of another node process is reached over one pod-network connection that
/// carries the flow's datagrams both ways. Answers go back to the client from the frontend's socket,
/// as the kernel's reverse NAT sends them.
/// </summary>
internal sealed class UdpFlow : IDisposable
{
    private readonly Socket _frontend;
    private readonly IPEndPoint _client;
    private readonly string _seenAs;
    private readonly PodNetwork? _local;
    private readonly IActorRef? _worker;
    private readonly Socket? _upstream;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private long _lastSeenTicks;

    private UdpFlow(Socket frontend, IPEndPoint client, Backend backend, string seenAs, PodNetwork? local, IActorRef? worker, Socket? upstream, DateTimeOffset now)
    {
        _frontend = frontend;
        _client = client;
        Backend = backend;
        _seenAs = seenAs;
        _local = local;
        _worker = worker;
        _upstream = upstream;
        Touch(now);
    }

    public Backend Backend { get; }

    public bool Closed { get; private set; }

    public DateTimeOffset LastSeen => new(Interlocked.Read(ref _lastSeenTicks), TimeSpan.Zero);

    private void Touch(DateTimeOffset now) => Interlocked.Exchange(ref _lastSeenTicks, now.UtcTicks);

    /// <summary>Opens the flow to <paramref name="backend"/>; null when its node process cannot be reached.</summary>
    public static async Task<UdpFlow?> Open(Socket frontend, IPEndPoint client, Backend backend, string seenAs, ProxyConnector connector, TimeProvider time)
    {
        var local = connector.Local;
        if (local?.Find(backend.Ip) is { } worker) return new UdpFlow(frontend, client, backend, seenAs, local, worker, null, time.GetUtcNow());
        if (backend.NodeName is not { } node || connector.TunnelOf(node) is not { } address || !IPEndPoint.TryParse(address, out var tunnel)) return null;
        var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await upstream.ConnectAsync(tunnel);
            await upstream.SendAsync(System.Text.Encoding.ASCII.GetBytes(PodNetwork.UdpPreamble(backend.Ip, backend.Port, seenAs)), SocketFlags.None);
        }
        catch (SocketException)
        {
            upstream.Dispose();
            return null;
        }
        var flow = new UdpFlow(frontend, client, backend, seenAs, null, null, upstream, time.GetUtcNow());
        _ = flow.ReadAnswers(time);
        return flow;
    }

    /// <summary>One datagram from the client.</summary>
    public async Task Send(byte[] datagram, DateTimeOffset now)
    {
        Touch(now);
        if (_worker is not null)
        {
            _ = AnswerLocally(datagram, now);
            return;
        }
        await _sending.WaitAsync();
        try { await DatagramFrames.Send(_upstream!, datagram); }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { Dispose(); }
        finally { _sending.Release(); }
    }

    private async Task AnswerLocally(byte[] datagram, DateTimeOffset now)
    {
        if (await _local!.Datagram(_worker!, Backend.Port, datagram, _seenAs) is { } reply) await Reply(reply, now);
    }

    private async Task ReadAnswers(TimeProvider time)
    {
        var reader = new ConnectionReader(_upstream!);
        try
        {
            while (await DatagramFrames.Read(reader, CancellationToken.None) is { } reply)
                await Reply(reply, time.GetUtcNow());
        }
        catch (Exception e) when (e is SocketException or IOException or ObjectDisposedException) { }
        Dispose();
    }

    private async Task Reply(byte[] reply, DateTimeOffset now)
    {
        Touch(now);
        try { await _frontend.SendToAsync(reply, SocketFlags.None, _client); }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
    }

    public void Dispose()
    {
        Closed = true;
        _upstream?.Dispose();
    }
}
