using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Node.ContainerRuntime;
using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;
using Akka.KubeEmu.Actors.Node.Dns;
using Akka.KubeEmu.Actors.Node.Logs;
using Akka.KubeEmu.Actors.Node.Network.Http;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Traffic;

/// <summary>Names and the pod's own servers from a container's shell (what `kubectl exec` runs).</summary>
public sealed class ShellNetworkSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly CatalogImage Busybox = new(ImageBehaviour.Run, ["sh"], 0, 0, false, 0, 1, null);

    private static ContainerProcess Shell(ContainerNetwork? network)
    {
        var spec = new ProcessSpec(["sleep", "3600"], Busybox, new Dictionary<string, string>(), "client", false, false, [], network);
        return new ContainerProcess(spec, ContainerFileSystem.Empty(), new ContainerLog(ContainerLogSettings.Default, "c1"), T0);
    }

    private static ContainerNetwork Network()
    {
        var services = new Indexer<V1Service>();
        services.Upsert(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "shop", ResourceVersion = "1" },
            Spec = new V1ServiceSpec { ClusterIP = "10.96.44.1", Ports = [new V1ServicePort { Port = 80 }] },
        });
        // A sibling container serves nginx on port 80 of the pod.
        HttpResponse? Local(int port, HttpRequestHead request) => port != 80 ? null : SimulatedHttpServer.Respond(
            new HttpExchange("nginx", [], 200, "/usr/share/nginx/html", ContainerFileSystem.Empty(), "client", "10.244.1.9", 80, "127.0.0.1:40080", T0), request);
        return new ContainerNetwork("shop", new ClusterDns(services, new Indexer<V1EndpointSlice>()), Local, "10.244.1.9");
    }

    [Fact]
    public void Nslookup_and_getent_resolve_services_through_the_pods_search_list()
    {
        var shell = Shell(Network());
        var found = shell.Exec(["nslookup", "web"], TimeSpan.FromSeconds(5), T0);
        Assert.Equal((0, "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tweb.shop.svc.cluster.local\nAddress: 10.96.44.1\n\n"), (found.ExitCode, found.Output));
        Assert.Equal(1, shell.Exec(["nslookup", "web.default"], TimeSpan.FromSeconds(5), T0).ExitCode);
        Assert.Equal("10.96.44.1      web.shop.svc.cluster.local\n", shell.Exec(["getent", "hosts", "web.shop"], TimeSpan.FromSeconds(5), T0).Output);
        Assert.Equal("10.96.44.1\n", shell.Exec(["dig", "+short", "web.shop.svc.cluster.local"], TimeSpan.FromSeconds(5), T0).Output);
        Assert.Equal("search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n",
            shell.Exec(["cat", "/etc/resolv.conf"], TimeSpan.FromSeconds(5), T0).Output);
    }

    [Fact]
    public void Busybox_1_28_as_the_Kubernetes_docs_use_it_prints_the_old_nslookup_with_names_beside_addresses()
    {
        ContainerProcess Busybox(string? tag) => new(
            new ProcessSpec(["sleep", "3600"], ShellNetworkSpecs.Busybox, new Dictionary<string, string>(), "client", false, false, [], Network()) { ImageName = "busybox", ImageTag = tag },
            ContainerFileSystem.Empty(), new ContainerLog(ContainerLogSettings.Default, "c1"), T0);
        var old = Busybox("1.28").Exec(["nslookup", "web"], TimeSpan.FromSeconds(5), T0);
        Assert.Equal((0, "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\n" +
            "Name:      web\nAddress 1: 10.96.44.1 web.shop.svc.cluster.local\n"), (old.ExitCode, old.Output));
        var missing = Busybox("1.28.4").Exec(["nslookup", "nosuch"], TimeSpan.FromSeconds(5), T0);
        Assert.Equal((1, "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nnslookup: can't resolve 'nosuch'\n"),
            (missing.ExitCode, missing.Output));
        // 1.29 on (and latest) print the rewritten nslookup's format.
        Assert.StartsWith("Server:\t\t10.96.0.10\n", Busybox("1.36").Exec(["nslookup", "web"], TimeSpan.FromSeconds(5), T0).Output);
        Assert.StartsWith("Server:\t\t10.96.0.10\n", Busybox(null).Exec(["nslookup", "web"], TimeSpan.FromSeconds(5), T0).Output);
    }

    [Fact]
    public void Curl_localhost_answers_from_the_sibling_container_and_a_closed_port_refuses()
    {
        var shell = Shell(Network());
        var page = shell.Exec(["sh", "-c", "curl -s http://localhost/"], TimeSpan.FromSeconds(5), T0);
        Assert.Equal(0, page.ExitCode);
        Assert.Contains("<title>Welcome to nginx!</title>", page.Output);
        var head = shell.Exec(["curl", "-sI", "10.244.1.9"], TimeSpan.FromSeconds(5), T0).Output;
        Assert.StartsWith("HTTP/1.1 200 OK\r\nServer: nginx/1.27.3\r\n", head);
        Assert.DoesNotContain("Welcome", head);
        var refused = shell.Exec(["curl", "-sS", "localhost:8080"], TimeSpan.FromSeconds(5), T0);
        Assert.Equal((7, "curl: (7) Failed to connect to localhost port 8080 after 0 ms: Couldn't connect to server\n"), (refused.ExitCode, refused.Output));
        Assert.Contains("Welcome to nginx!", shell.Exec(["wget", "-qO-", "http://127.0.0.1"], TimeSpan.FromSeconds(5), T0).Output);
    }

    [Fact]
    public void Netstat_and_ss_list_every_port_the_pods_containers_listen_on_naming_only_the_own_containers_program()
    {
        // The seed's whoami pod: whoami serves port 80; the nettool sidecar here serves 8080 itself.
        var whoamiImage = new CatalogImage(ImageBehaviour.Serve, null, 0, 0, true, 0, 1, null) { Ports = [80] };
        var whoami = new ContainerProcess(new ProcessSpec([], whoamiImage, new Dictionary<string, string>(), "whoami", false, false, []),
            ContainerFileSystem.Empty(), new ContainerLog(ContainerLogSettings.Default, "w"), T0);
        ContainerProcess? nettool = null;
        var network = Network() with { Listeners = () => [new PortListener(80, whoami), new PortListener(8080, nettool!)] };
        nettool = new ContainerProcess(new ProcessSpec(["httpd", "-f", "-p", "8080"], Busybox, new Dictionary<string, string>(), "whoami", false, false, [], network),
            ContainerFileSystem.Empty(), new ContainerLog(ContainerLogSettings.Default, "n"), T0);
        nettool.Advance(T0);

        Assert.Equal(
            "Active Internet connections (only servers)\n" +
            "Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    \n" +
            "tcp        0      0 0.0.0.0:80              0.0.0.0:*               LISTEN      -\n" +
            "tcp        0      0 0.0.0.0:8080            0.0.0.0:*               LISTEN      1/httpd\n",
            nettool.Exec(["netstat", "-tlnp"], TimeSpan.FromSeconds(5), T0).Output);
        Assert.Equal("Active Internet connections (w/o servers)\nProto Recv-Q Send-Q Local Address           Foreign Address         State       \n",
            nettool.Exec(["netstat", "-tn"], TimeSpan.FromSeconds(5), T0).Output);
        Assert.Equal(
            "State  Recv-Q Send-Q Local Address:Port Peer Address:Port Process\n" +
            "LISTEN 0      4096           0.0.0.0:80 0.0.0.0:*\n" +
            "LISTEN 0      4096         0.0.0.0:8080 0.0.0.0:*         users:((\"httpd\",pid=1,fd=3))\n",
            nettool.Exec(["ss", "-tlnp"], TimeSpan.FromSeconds(5), T0).Output);
    }

    [Fact]
    public void An_images_own_program_outside_the_bin_directories_is_its_server_not_the_applet_of_that_name()
    {
        var whoami = new CatalogImage(ImageBehaviour.Serve, null, 0, 0, true, 0, 1, null) { Ports = [80] };
        var spec = new ProcessSpec(["sh", "-c", "touch /tmp/ready; exec /whoami"], whoami, new Dictionary<string, string>(), "flaky", false, false, []);
        var process = new ContainerProcess(spec, ContainerFileSystem.Empty(), new ContainerLog(ContainerLogSettings.Default, "c1"), T0);
        process.Advance(T0.AddSeconds(5));
        Assert.False(process.Exited);
        Assert.True(process.Ports[80]);
        Assert.Equal("root\n", process.Exec(["/usr/bin/whoami"], TimeSpan.FromSeconds(1), T0).Output);
    }
}
