using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Akka.KubeEmu.Actors.Node.Network.Http;

namespace Akka.KubeEmu.Actors.Node.Network;

/// <summary>
/// The pod network of one node process, standing in for the CNI's overlay: pod IPs (10.244.x.y)
/// are not host addresses, so every connection to a pod goes through one TCP listener per process
/// (published on its Nodes as <see cref="Annotation"/>), prefixed by a line naming the pod, the port
/// and the client; the process hosting the pod answers as the pod's simulated program does
/// (asking its PodWorker). Pods register here when their sandbox has an IP.
/// </summary>
public sealed class PodNetwork : IDisposable
{
    public const string Annotation = "kubeemu.io/pod-network";

    private readonly ConcurrentDictionary<string, IActorRef> _pods = new(StringComparer.Ordinal);
    private readonly TrafficSettings _settings;
    private readonly Socket? _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly SocketHandoff? _handoff;

    /// <summary>A registry only, without a socket (unit specs).</summary>
    public PodNetwork() => _settings = new TrafficSettings();

    public PodNetwork(TrafficSettings settings)
    {
        _settings = settings;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Parse(settings.PodNetworkAddress), 0));
        _listener.Listen(512);
        Address = _listener.LocalEndPoint!.ToString()!;
        _handoff = new SocketHandoff(Address, (socket, preamble) => _ = ServeHandedOff(socket, preamble));
        _ = AcceptLoop();
    }

    /// <summary>ip:port of the listener; null without one.</summary>
    public string? Address { get; }

    public void Register(string podIp, IActorRef worker) => _pods[podIp] = worker;

    /// <summary>Forgets the pod unless its IP was already given to another one.</summary>
    public void Unregister(string podIp, IActorRef worker) => _pods.TryRemove(new KeyValuePair<string, IActorRef>(podIp, worker));

    public IActorRef? Find(string podIp) => _pods.GetValueOrDefault(podIp);

    /// <summary>The line a connection starts with.</summary>
    public static string Preamble(string podIp, int port, string remoteAddress) => $"{podIp} {port} {remoteAddress}\n";

    /// <summary>
    /// The line a port-forward connection starts with: the pod network answers <see cref="Accepted"/>
    /// once something listens on the port (or resets), because kubectl port-forward must tell a refused
    /// connection (the kubelet's error) from a server that stays silent until spoken to.
    /// </summary>
    public static string AcknowledgedPreamble(string podIp, int port, string remoteAddress) => $"{podIp} {port} {remoteAddress} {AckToken}\n";

    /// <summary>The line answering an <see cref="AcknowledgedPreamble"/> when the pod accepted the connection.</summary>
    public const string Accepted = "ok";

    private const string AckToken = "ack";

    private const string MysqlToken = "mysql";

    private const string UdpToken = "udp";

    /// <summary>
    /// The line a UDP flow starts with: length-prefixed datagrams follow both ways
    /// (<see cref="Udp.DatagramFrames"/>), the pod's answers coming back on the same connection.
    /// </summary>
    public static string UdpPreamble(string podIp, int port, string remoteAddress) => $"{podIp} {port} {remoteAddress} {UdpToken}\n";

    /// <summary>The line a simulated MySQL batch starts with; the query follows on one line, the answer comes on one.</summary>
    public static string MysqlPreamble(string podIp, int port, string remoteAddress) => $"{podIp} {port} {remoteAddress} {MysqlToken}\n";

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await _listener!.AcceptAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { continue; }
            _ = Serve(client);
        }
    }

    /// <summary>
    /// Gives kube-proxy's accepted <paramref name="client"/> to the pod network at <paramref name="address"/>
    /// (another node process), which serves it as if it had been connected there; false when it cannot.
    /// </summary>
    public bool HandOff(string address, Socket client, string preamble) => _handoff?.TrySend(address, client, preamble) ?? false;

    private async Task Serve(Socket socket)
    {
        socket.NoDelay = true;
        var reader = new ConnectionReader(socket);
        try
        {
            await Dispatch(socket, reader, await reader.ReadLine(_stop.Token));
        }
        catch (Exception e) when (e is SocketException or IOException or AskTimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            Reset(socket);
        }
    }

    private async Task ServeHandedOff(Socket socket, string preamble)
    {
        try
        {
            await Dispatch(socket, new ConnectionReader(socket), preamble);
        }
        catch (Exception e) when (e is SocketException or IOException or AskTimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            Reset(socket);
        }
    }

    private async Task Dispatch(Socket socket, ConnectionReader reader, string? preamble)
    {
        var parts = preamble?.Split(' ');
        if (parts is { Length: 4 } && parts[3] == MysqlToken && int.TryParse(parts[1], out var mysqlPort) && Find(parts[0]) is { } server)
        {
            await ServeMysql(socket, reader, server, mysqlPort);
            return;
        }
        if (parts is { Length: 4 } && parts[3] == UdpToken && int.TryParse(parts[1], out var udpPort) && Find(parts[0]) is { } udpServer)
        {
            await ServeUdpFlow(socket, reader, udpServer, udpPort, parts[2]);
            return;
        }
        var acknowledge = parts is { Length: 4 } && parts[3] == AckToken;
        if (parts is not { Length: 3 } && !acknowledge || !int.TryParse(parts![1], out var port) || Find(parts[0]) is not { } worker)
        {
            Reset(socket);
            return;
        }
        await ServePod(socket, reader, worker, port, parts[2], acknowledge);
    }

    private async Task ServeMysql(Socket socket, ConnectionReader reader, IActorRef worker, int port)
    {
        var query = MysqlWire.DecodeQuery(await reader.ReadLine(_stop.Token));
        var answer = query is null ? null : await worker.Ask<PodMysqlAnswer>(query with { Port = port }, _settings.EffectiveRequestTimeout);
        await socket.SendAsync(Encoding.UTF8.GetBytes(MysqlWire.Encode(answer ?? new PodMysqlAnswer(false, 1, "", null)) + "\n"), SocketFlags.None);
        socket.Shutdown(SocketShutdown.Both);
        socket.Dispose();
    }

    // One UDP flow from kube-proxy in another node process: each datagram goes to the pod, each answer back.
    private async Task ServeUdpFlow(Socket socket, ConnectionReader reader, IActorRef worker, int port, string remote)
    {
        while (await Udp.DatagramFrames.Read(reader, _stop.Token) is { } datagram)
            if (await Datagram(worker, port, datagram, remote) is { } reply)
                await Udp.DatagramFrames.Send(socket, reply);
        socket.Dispose();
    }

    /// <summary>
    /// A datagram to a pod of this process: its answer, null when none (nothing listens, the server
    /// stays silent, or the pod does not answer in time: UDP loses it).
    /// </summary>
    public async Task<byte[]?> Datagram(IActorRef worker, int port, byte[] payload, string remote)
    {
        try
        {
            var answer = await worker.Ask<PodDatagramAnswer>(new PodDatagram(port, payload, remote), _settings.EffectiveRequestTimeout);
            return answer.Reply;
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    /// <summary>A connection kube-proxy of this process sends to a pod of this process: served without the loopback hop.</summary>
    public async Task ServeLocal(Socket socket, IActorRef worker, int port, string remote)
    {
        socket.NoDelay = true;
        try
        {
            await ServePod(socket, new ConnectionReader(socket), worker, port, remote);
        }
        catch (Exception e) when (e is SocketException or IOException or AskTimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            Reset(socket);
        }
    }

    private async Task ServePod(Socket socket, ConnectionReader reader, IActorRef worker, int port, string remote, bool acknowledge = false)
    {
        var timeout = _settings.EffectiveRequestTimeout;
        var connect = await worker.Ask<PodConnectAnswer>(new PodConnect(port), timeout);
        if (connect.Listener != PodListener.None && acknowledge)
            await socket.SendAsync(Encoding.ASCII.GetBytes(Accepted + "\n"), SocketFlags.None);
        switch (connect.Listener)
        {
            case PodListener.None:
                Reset(socket);
                return;
            case PodListener.Opaque:
                // A server we do not speak for (mysql, redis): it holds the connection until the client leaves.
                await reader.Drain(_stop.Token);
                socket.Dispose();
                return;
        }
        while (true)
        {
            var head = await reader.ReadHead(_stop.Token);
            if (head is null) break;
            var request = HttpRequestHead.Parse(head);
            if (request is null)
            {
                await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), SocketFlags.None);
                break;
            }
            await reader.Skip(request.ContentLength, _stop.Token);
            var answer = await worker.Ask<PodHttpAnswer>(new PodHttpRequest(port, request, remote), timeout);
            if (answer.Response is not { } response)
            {
                Reset(socket);
                return;
            }
            var keepAlive = request.KeepAlive;
            await socket.SendAsync(response.Serialize(request.Version, keepAlive, request.Method == "HEAD"), SocketFlags.None);
            if (!keepAlive) break;
        }
        socket.Shutdown(SocketShutdown.Both);
        socket.Dispose();
    }

    /// <summary>Closes with a TCP RST, as a port nobody listens on answers.</summary>
    public static void Reset(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (ObjectDisposedException) { }
        catch (SocketException) { }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _handoff?.Dispose();
        _listener?.Dispose();
    }
}
