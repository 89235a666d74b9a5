using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Node.ContainerRuntime;
using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;
using Akka.KubeEmu.Actors.Node.Dns;
using Akka.KubeEmu.Actors.Node.Exec;
using Akka.KubeEmu.Actors.Node.Logs;
using Akka.KubeEmu.Actors.Node.Network;
using Akka.KubeEmu.Actors.Node.Network.Http;
using Akka.KubeEmu.Actors.Node.Proxy;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Traffic;

/// <summary>
/// `kubectl exec client -- curl ...` to Services, cluster IPs and other pods. The client pod runs in
/// one node process; the whoami pod behind Service shop/web runs in another (its own pod network, a
/// real socket); an nginx pod runs in the client's own process (asked without a socket).
/// </summary>
public sealed class ShellClusterFetchSpecs : Akka.TestKit.Xunit2.TestKit
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly CatalogImage Busybox = new(ImageBehaviour.Run, ["sh"], 0, 0, false, 0, 1, null);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    /// <summary>A pod worker answering as the simulated server of <paramref name="repository"/> on port 80 only.</summary>
    private sealed class FakePod : ReceiveActor
    {
        public FakePod(string repository, string hostname, string ip)
        {
            Receive<PodConnect>(c => Sender.Tell(new PodConnectAnswer(c.Port == 80 ? PodListener.Http : PodListener.None)));
            Receive<PodHttpRequest>(r => Sender.Tell(new PodHttpAnswer(SimulatedHttpServer.Respond(
                new HttpExchange(repository, [], 200, "/usr/share/nginx/html", ContainerFileSystem.Empty(), hostname, ip, r.Port, r.RemoteAddress, T0), r.Request))));
        }
    }

    private readonly PodNetwork _otherProcess = new(new TrafficSettings(RequestTimeout: TimeSpan.FromSeconds(5)));
    private readonly PodNetwork _ownProcess = new();
    private readonly ContainerNetwork _network;
    private readonly Indexer<V1Node> _nodes = new();

    public ShellClusterFetchSpecs()
    {
        _otherProcess.Register("10.244.2.7", Sys.ActorOf(Props.Create(() => new FakePod("traefik/whoami", "web-7d9f-abcde", "10.244.2.7"))));
        _ownProcess.Register("10.244.1.20", Sys.ActorOf(Props.Create(() => new FakePod("nginx", "front-1", "10.244.1.20"))));

        var services = new Indexer<V1Service>();
        services.Upsert(Service("web", "10.96.44.1"));
        services.Upsert(Service("front", "10.96.44.3"));
        services.Upsert(Service("empty", "10.96.44.2"));
        var slices = new Indexer<V1EndpointSlice>();
        slices.Upsert(Slice("web", "10.244.2.7", "node-2"));
        slices.Upsert(Slice("front", "10.244.1.20", "node-1"));
        _nodes.Upsert(Node("node-1", "10.244.1.0/24", "127.0.0.1:1"));
        _nodes.Upsert(Node("node-2", "10.244.2.0/24", _otherProcess.Address!));

        var router = new ClusterRouter(services, slices, _nodes, new EndpointPicker(TimeProvider.System));
        var client = new PodClient(router, _ownProcess, TimeProvider.System, TimeSpan.FromSeconds(5));
        _network = new ContainerNetwork("shop", new ClusterDns(services, slices), (_, _) => null, "10.244.1.9", Cluster: client.Fetch, NodeName: "node-1");
    }

    protected override void Dispose(bool disposing)
    {
        _otherProcess.Dispose();
        base.Dispose(disposing);
    }

    private static V1Service Service(string name, string clusterIp) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "shop", ResourceVersion = "1" },
        Spec = new V1ServiceSpec { ClusterIP = clusterIp, ClusterIPs = [clusterIp], Ports = [new V1ServicePort { Port = 80, Protocol = "TCP" }] },
    };

    private static V1EndpointSlice Slice(string service, string ip, string node) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = service + "-abc", NamespaceProperty = "shop", ResourceVersion = "1",
            Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = service },
        },
        AddressType = "IPv4",
        Ports = [new Discoveryv1EndpointPort { Port = 80, Protocol = "TCP" }],
        Endpoints = [new V1Endpoint { Addresses = [ip], NodeName = node, Conditions = new V1EndpointConditions { Ready = true } }],
    };

    private static V1Node Node(string name, string podCidr, string podNetwork) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, ResourceVersion = "1", Annotations = new Dictionary<string, string> { [PodNetwork.Annotation] = podNetwork } },
        Spec = new V1NodeSpec { PodCIDR = podCidr, PodCIDRs = [podCidr] },
    };

    private ContainerProcess Client()
    {
        var spec = new ProcessSpec(["sleep", "3600"], Busybox, new Dictionary<string, string>(), "client", false, false, [], _network);
        return new ContainerProcess(spec, ContainerFileSystem.Empty(), new ContainerLog(ContainerLogSettings.Default, "c1"), T0);
    }

    /// <summary>Runs the command as the pod worker does: each network wait completes, then the session resumes.</summary>
    private static async Task<(int? Exit, string Out, string Err)> Exec(ContainerProcess process, string[] argv)
    {
        var session = new ExecSession(process, argv, false, false, "busybox", "e1");
        session.Start();
        var output = new List<ExecChunk>();
        while (session.Waiting is { } waiting)
        {
            output.AddRange(session.TakeOutput());
            await waiting.WaitAsync(Deadline);
            session.Resume();
        }
        output.AddRange(session.TakeOutput());
        string Text(int stream) => string.Concat(output.Where(c => c.Stream == stream).Select(c => Encoding.UTF8.GetString(c.Data)));
        return (session.ExitCode, Text(1), Text(2));
    }

    private Task<(int? Exit, string Out, string Err)> Run(params string[] argv) => Exec(Client(), argv);

    [Fact]
    public async Task A_Service_name_reaches_its_endpoint_in_another_process_and_the_pod_sees_the_clients_address()
    {
        var (exit, output, error) = await Run("curl", "-s", "web");
        Assert.Equal((0, ""), (exit, error));
        Assert.StartsWith("Hostname: web-7d9f-abcde\nIP: 127.0.0.1\nIP: ::1\nIP: 10.244.2.7\nRemoteAddr: 10.244.1.9:", output);
        Assert.Contains("GET / HTTP/1.1\r\nHost: web\r\nAccept: */*\r\nUser-Agent: curl/8.11.1\r\n", output);
    }

    [Fact]
    public async Task The_fully_qualified_name_with_a_port_the_cluster_IP_and_the_pod_IP_reach_the_same_pod()
    {
        foreach (var url in new[] { "http://web.shop.svc.cluster.local:80/who", "10.96.44.1", "10.244.2.7:80", "web.shop" })
        {
            var (exit, output, _) = await Run("curl", "-sS", url);
            Assert.Equal(0, exit);
            Assert.StartsWith("Hostname: web-7d9f-abcde\n", output);
        }
        var wget = await Run("wget", "-qO-", "web");
        Assert.Equal((0, ""), (wget.Exit, wget.Err));
        Assert.Contains("User-Agent: Wget", wget.Out);
    }

    [Fact]
    public async Task A_pod_of_the_clients_own_process_answers_too()
    {
        var (exit, output, _) = await Run("curl", "-s", "front");
        Assert.Equal(0, exit);
        Assert.Contains("<title>Welcome to nginx!</title>", output);
        var head = await Run("curl", "-sI", "10.244.1.20");
        Assert.StartsWith("HTTP/1.1 200 OK\r\nServer: nginx/1.27.3\r\n", head.Out);
    }

    [Fact]
    public async Task A_Service_without_endpoints_refuses_and_so_does_a_pod_port_nothing_listens_on()
    {
        Assert.Equal((7, "", "curl: (7) Failed to connect to empty port 80 after 0 ms: Couldn't connect to server\n"), await Run("curl", "empty"));
        Assert.Equal((7, "", ""), await Run("curl", "-s", "empty"));
        Assert.Equal((1, "", "wget: can't connect to remote host (10.96.44.2): Connection refused\n"), await Run("wget", "-qO-", "empty"));
        var closed = await Run("curl", "-sS", "10.244.2.7:8080");
        Assert.Equal(7, closed.Exit);
        Assert.StartsWith("curl: (7) Failed to connect to 10.244.2.7 port 8080 after ", closed.Err);
    }

    [Fact]
    public async Task An_unknown_name_does_not_resolve()
    {
        Assert.Equal((6, "", "curl: (6) Could not resolve host: nosuch\n"), await Run("curl", "nosuch"));
        Assert.Equal((6, "", ""), await Run("curl", "-s", "http://web.other/"));
        Assert.Equal((1, "", "wget: bad address 'nosuch'\n"), await Run("wget", "-qO-", "nosuch:8080"));
    }

    [Fact]
    public async Task A_port_the_Service_does_not_have_is_dropped_and_the_client_times_out()
    {
        var (exit, _, error) = await Run("curl", "-sS", "--max-time", "0.2", "10.96.44.1:81");
        Assert.Equal(28, exit);
        Assert.StartsWith("curl: (28) Connection timed out after ", error);
    }

    [Fact]
    public async Task Commands_around_a_request_keep_their_order_and_the_first_output_comes_before_the_answer()
    {
        var session = new ExecSession(Client(), ["sh", "-c", "echo before; curl -s web | grep Hostname; curl -s empty || echo refused $?; echo after"], false, false, "busybox", "e1");
        session.Start();
        Assert.NotNull(session.Waiting);
        Assert.Equal("before\n", Encoding.UTF8.GetString(session.TakeOutput().Single().Data));
        Assert.Null(session.ExitCode);
        var output = new StringBuilder();
        while (session.Waiting is { } waiting)
        {
            await waiting.WaitAsync(Deadline);
            session.Resume();
            foreach (var chunk in session.TakeOutput()) output.Append(Encoding.UTF8.GetString(chunk.Data));
        }
        Assert.Equal((0, "Hostname: web-7d9f-abcde\nrefused 7\nafter\n"), (session.ExitCode, output.ToString()));
    }

    [Fact]
    public async Task Lines_typed_while_a_request_waits_run_after_it_and_curl_o_writes_the_file()
    {
        var process = Client();
        var session = new ExecSession(process, ["sh"], true, false, "busybox", "e1");
        session.Start();
        session.Input(Encoding.UTF8.GetBytes("curl -s -o /tmp/page web\necho typed\n"));
        session.CloseInput();
        Assert.NotNull(session.Waiting);
        while (session.Waiting is { } waiting)
        {
            await waiting.WaitAsync(Deadline);
            session.Resume();
        }
        Assert.Equal(0, session.ExitCode);
        Assert.Equal("typed\n", Encoding.UTF8.GetString(session.TakeOutput().Single().Data));
        Assert.StartsWith("Hostname: web-7d9f-abcde\n", process.Files.Read("/tmp/page"));
    }

    [Fact]
    public void Probes_and_command_substitutions_do_not_wait_for_the_network()
    {
        var process = Client();
        Assert.Equal((0, ""), (process.Exec(["curl", "-s", "web"], TimeSpan.FromSeconds(1), T0).ExitCode, process.Exec(["curl", "-s", "web"], TimeSpan.FromSeconds(1), T0).Output));
        var session = new ExecSession(process, ["sh", "-c", "x=$(curl -s web); echo \"[$x]\""], false, false, "busybox", "e1");
        session.Start();
        Assert.Null(session.Waiting);
        Assert.Equal(0, session.ExitCode);
    }

    [Fact]
    public void Routes_follow_kube_proxy_a_cluster_IP_to_a_ready_endpoint_a_pod_IP_to_its_node()
    {
        var services = new Indexer<V1Service>();
        services.Upsert(Service("web", "10.96.44.1"));
        var slices = new Indexer<V1EndpointSlice>();
        slices.Upsert(Slice("web", "10.244.2.7", "node-2"));
        var nodes = new Indexer<V1Node>();
        nodes.Upsert(Node("node-2", "10.244.2.0/24", "127.0.0.1:9"));
        var router = new ClusterRouter(services, slices, nodes, new EndpointPicker(TimeProvider.System));
        Assert.Equal(new ClusterRoute.ToPod(new Backend("10.244.2.7", 80, "node-2")), router.Route("10.96.44.1", 80, "10.244.1.9", "node-1"));
        Assert.Equal(new ClusterRoute.ToPod(new Backend("10.244.2.30", 8080, "node-2")), router.Route("10.244.2.30", 8080, "10.244.1.9", "node-1"));
        Assert.Equal(ClusterRoute.Dropped.Instance, router.Route("10.96.44.1", 81, "10.244.1.9", "node-1"));
        Assert.Equal(ClusterRoute.Dropped.Instance, router.Route("10.244.9.9", 80, "10.244.1.9", "node-1"));
        slices.Remove("shop/web-abc");
        Assert.Equal(ClusterRoute.Rejected.Instance, router.Route("10.96.44.1", 80, "10.244.1.9", "node-1"));
    }

    [Fact]
    public async Task A_containers_own_program_waits_for_the_answer_and_its_log_keeps_the_order()
    {
        var log = new ContainerLog(ContainerLogSettings.Default, "c1");
        var spec = new ProcessSpec(["sh", "-c", "echo before; curl -s web | head -1; echo after; sleep infinity"], Busybox,
            new Dictionary<string, string>(), "client", false, false, [], _network);
        var process = new ContainerProcess(spec, ContainerFileSystem.Empty(), log, T0);
        process.Advance(T0);
        var waits = process.TakeNewWaits();
        Assert.Equal(["before"], log.Lines.Select(l => l.Text));
        Assert.Null(process.NextDue);
        await Task.WhenAll(waits).WaitAsync(Deadline);
        process.ResumeAnswered(T0.AddSeconds(1));
        process.Advance(T0.AddSeconds(1));
        Assert.Equal(["before", "Hostname: web-7d9f-abcde", "after"], log.Lines.Select(l => l.Text));
        Assert.Equal(T0.AddSeconds(1), log.Lines[^1].Time);
        Assert.False(process.Exited);
    }

    [Fact]
    public async Task A_nodes_address_is_a_host_address_where_a_NodePort_listener_answers_or_nothing_does()
    {
        using var listener = new TcpListener(IPAddress.Parse("127.0.1.250"), 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var node = Node("node-3", "10.244.3.0/24", "127.0.0.1:1");
        node.Status = new V1NodeStatus { Addresses = [new V1NodeAddress { Type = "InternalIP", Address = "127.0.1.250" }] };
        _nodes.Upsert(node);
        var served = Task.Run(async () =>
        {
            using var connection = await listener.AcceptSocketAsync();
            await connection.ReceiveAsync(new byte[4096], SocketFlags.None);
            await connection.SendAsync("HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nvia node-3\n"u8.ToArray(), SocketFlags.None);
        });
        Assert.Equal((0, "via node-3\n", ""), await Run("curl", "-s", $"127.0.1.250:{port}"));
        await served.WaitAsync(Deadline);
        listener.Stop();
        var refused = await Run("curl", "-sS", $"127.0.1.250:{port}");
        Assert.Equal(7, refused.Exit);
    }
}
