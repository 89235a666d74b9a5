using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Node.Network;
using Akka.KubeEmu.Actors.Node.Network.Udp;
using Akka.KubeEmu.Actors.Node.Proxy;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Akka.KubeEmu.Tests.Traffic;

/// <summary>
/// kube-proxy's UDP NodePort with real sockets: agnhost netexec pods (stand-in workers answering as its
/// UDP server on 8081) in another node process's pod network and in the listener's own process.
/// </summary>
public sealed class UdpNodePortSpecs : Akka.TestKit.Xunit2.TestKit
{
    private sealed class NetexecPod : ReceiveActor
    {
        public NetexecPod(string hostname) =>
            Receive<PodDatagram>(d => Sender.Tell(d.Port == 8081
                ? new PodDatagramAnswer(true, SimulatedUdpServer.Respond(UdpServer.Netexec, hostname, d.Payload, d.RemoteAddress))
                : new PodDatagramAnswer(false, null)));
    }

    private readonly PodNetwork _otherProcess = new(new TrafficSettings(RequestTimeout: TimeSpan.FromSeconds(5)));
    private readonly PodNetwork _ownProcess = new();
    private readonly Indexer<V1Service> _services = new();
    private readonly Indexer<V1EndpointSlice> _slices = new();
    private readonly Indexer<V1Node> _nodes = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));
    private readonly List<IDisposable> _disposables = [];

    public UdpNodePortSpecs()
    {
        _otherProcess.Register("10.244.2.7", Sys.ActorOf(Props.Create(() => new NetexecPod("udp-a"))));
        _otherProcess.Register("10.244.2.8", Sys.ActorOf(Props.Create(() => new NetexecPod("udp-b"))));
        _ownProcess.Register("10.244.1.20", Sys.ActorOf(Props.Create(() => new NetexecPod("udp-local"))));
        _slices.AddIndexer(ProxyConnector.ServiceIndex, ProxyConnector.SliceService);
        _nodes.Upsert(Node("node-1", "127.0.0.1:1"));
        _nodes.Upsert(Node("node-2", _otherProcess.Address!));
        _services.Upsert(Service("udp"));
        _services.Upsert(Service("local"));
        _slices.Upsert(Slice("udp", ("10.244.2.7", "node-2", true), ("10.244.2.8", "node-2", true)));
        _slices.Upsert(Slice("local", ("10.244.1.20", "node-1", true)));
    }

    protected override void Dispose(bool disposing)
    {
        foreach (var d in _disposables) d.Dispose();
        _otherProcess.Dispose();
        base.Dispose(disposing);
    }

    private static V1Service Service(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", ResourceVersion = "1" },
        Spec = new V1ServiceSpec { Type = "NodePort", Ports = [new V1ServicePort { Name = "udp", Port = 8081, Protocol = "UDP", NodePort = 30081 }] },
    };

    private static V1EndpointSlice Slice(string service, params (string Ip, string Node, bool Ready)[] endpoints) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = service + "-abc", NamespaceProperty = "default", ResourceVersion = "1",
            Labels = new Dictionary<string, string> { [ProxyConnector.ServiceIndex] = service },
        },
        AddressType = "IPv4",
        Ports = [new Discoveryv1EndpointPort { Name = "udp", Port = 8081, Protocol = "UDP" }],
        Endpoints = endpoints.Select(e => new V1Endpoint { Addresses = [e.Ip], NodeName = e.Node, Conditions = new V1EndpointConditions { Ready = e.Ready } }).ToList(),
    };

    private static V1Node Node(string name, string podNetwork) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, ResourceVersion = "1", Annotations = new Dictionary<string, string> { [PodNetwork.Annotation] = podNetwork } },
    };

    private static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }

    private (UdpNodePortListener Listener, IPEndPoint Address) Listen(string service)
    {
        var port = FreeUdpPort();
        var connector = new ProxyConnector(_services, _slices, _nodes, new EndpointPicker(_time), _ownProcess);
        var frontend = new Frontend("127.0.0.1", port, "default/" + service, "udp", "node-1", "127.0.1.3", "UDP");
        var listener = UdpNodePortListener.Start(frontend, connector, _time, TimeSpan.FromSeconds(30), out var error);
        Assert.True(listener is not null, error);
        _disposables.Add(listener);
        return (listener, new IPEndPoint(IPAddress.Loopback, port));
    }

    private Socket Client(IPEndPoint server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(server);
        _disposables.Add(socket);
        return socket;
    }

    private static async Task<string> Ask(Socket client, string datagram)
    {
        await client.SendAsync(Encoding.ASCII.GetBytes(datagram), SocketFlags.None);
        var buffer = new byte[2048];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var n = await client.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    [Fact]
    public async Task A_hostname_datagram_answers_one_pods_hostname_and_the_same_client_socket_keeps_that_pod()
    {
        var (_, address) = Listen("udp");
        var client = Client(address);
        var first = await Ask(client, "hostname");
        Assert.Contains(first, new[] { "udp-a", "udp-b" });
        for (var i = 0; i < 10; i++) Assert.Equal(first, await Ask(client, "hostname"));

        // New client sockets are new flows, each spread at random (twenty all on one pod: 2^-19).
        var seen = new HashSet<string> { first };
        for (var i = 0; i < 20 && seen.Count < 2; i++) seen.Add(await Ask(Client(address), "hostname"));
        Assert.Equal(["udp-a", "udp-b"], seen.Order());
    }

    [Fact]
    public async Task Echo_and_clientip_answer_as_agnhost_and_a_pod_of_the_own_process_is_served_directly()
    {
        var (_, address) = Listen("local");
        var client = Client(address);
        Assert.Equal("udp-local", await Ask(client, "hostname"));
        Assert.Equal("hello udp", await Ask(client, "echo Hello UDP\n"));
        // externalTrafficPolicy Cluster: the pod sees the node's address, the client's port.
        Assert.Equal("127.0.1.3:" + ((IPEndPoint)client.LocalEndPoint!).Port, await Ask(client, "clientip"));
    }

    [Fact]
    public async Task A_flow_whose_pod_turns_unready_moves_to_a_ready_one_and_idle_flows_expire_after_the_conntrack_timeout()
    {
        var (listener, address) = Listen("udp");
        var client = Client(address);
        var first = await Ask(client, "hostname");
        var other = first == "udp-a" ? "udp-b" : "udp-a";
        _slices.Upsert(Slice("udp", ("10.244.2.7", "node-2", first != "udp-a"), ("10.244.2.8", "node-2", first != "udp-b")));
        Assert.Equal(other, await Ask(client, "hostname"));
        Assert.Equal(1, listener.FlowCount);

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(1, listener.FlowCount);
        _time.Advance(TimeSpan.FromSeconds(2));
        AwaitAssert(() => Assert.Equal(0, listener.FlowCount), TimeSpan.FromSeconds(5));
        Assert.Equal(other, await Ask(client, "hostname"));
    }

    [Fact]
    public async Task Without_a_ready_endpoint_datagrams_are_dropped()
    {
        _slices.Upsert(Slice("udp", ("10.244.2.7", "node-2", false), ("10.244.2.8", "node-2", false)));
        var (listener, address) = Listen("udp");
        var client = Client(address);
        await client.SendAsync(Encoding.ASCII.GetBytes("hostname"), SocketFlags.None);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await client.ReceiveAsync(new byte[2048], SocketFlags.None, wait.Token));
        Assert.Equal(0, listener.FlowCount);
    }
}
