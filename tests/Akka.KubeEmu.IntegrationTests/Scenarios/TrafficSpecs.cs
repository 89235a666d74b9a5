using System.Diagnostics;
using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>
/// Issue E6, traffic that really flows: curl (the real one when installed) against every node's own
/// loopback address and a NodePort reaches the pods' simulated servers through kube-proxy's
/// listeners in the node processes; a pod that turns unready stops getting connections; a Service
/// without endpoints refuses them; curl and wget in a pod reach a Service whose endpoint runs in
/// another node process. One cluster for the whole file.
/// </summary>
[Collection("clusters")]
public sealed class TrafficSpecs(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(45);
    private static readonly string Examples = Path.Combine(AppContext.BaseDirectory, "config", "examples");
    private Kubectl Kubectl => fixture.Cluster.Kubectl;

    /// <summary>curl's exit code and body (7: connection refused, 56: reset); HttpClient where curl is missing.</summary>
    private static async Task<(int Exit, string Body)> Curl(string url)
    {
        if (File.Exists("/usr/bin/curl"))
        {
            var psi = new ProcessStartInfo("/usr/bin/curl", ["-s", "--max-time", "5", url]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(psi)!;
            var body = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, body);
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try { return (0, await http.GetStringAsync(url)); }
        catch (HttpRequestException e) when (e.HttpRequestError == HttpRequestError.ConnectionError) { return (7, ""); }
        catch (HttpRequestException) { return (56, ""); }
    }

    private async Task<string[]> NodeAddresses() =>
        TableOutput.Parse((await Kubectl.Run("get", "nodes", "-o", "wide")).Ok().Stdout).Rows.Select(r => r["INTERNAL-IP"]).ToArray();

    private async Task<int> NodePort(string service) =>
        int.Parse((await Kubectl.Run("get", "svc", service, "-o", "jsonpath={.spec.ports[0].nodePort}")).Ok().Stdout);

    [Fact]
    public async Task NodePorts_answer_on_every_node_from_ready_pods_only_and_refuse_without_endpoints()
    {
        var nodes = await NodeAddresses();
        Assert.Equal(3, nodes.Length);
        Assert.All(nodes, ip => Assert.StartsWith("127.0.1.", ip));

        // The seed's tomcat Deployment and NodePort: every node's address answers with tomcat's page.
        (await Kubectl.Run("apply", "-f", Path.Combine(Examples, "tomcat-deployment-service.yaml"))).Ok();
        (await Kubectl.Run("scale", "deployment", "frontend", "--replicas=3")).Ok();
        foreach (var ip in nodes)
            await Eventually.Until(() => Curl($"http://{ip}:31002/"), r => r.Exit == 0 && r.Body.Contains("Apache Tomcat"), Run, $"tomcat on {ip}:31002");

        // whoami pods behind one NodePort, one of which turns unready after a while (its readiness file goes).
        const string manifest = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: who}
            spec:
              replicas: 2
              selector: {matchLabels: {app: who}}
              template:
                metadata: {labels: {app: who}}
                spec:
                  containers: [{name: whoami, image: traefik/whoami}]
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: flaky
              labels: {app: who}
            spec:
              containers:
              - name: whoami
                image: traefik/whoami
                command: ["sh", "-c", "touch /tmp/ready; (sleep 20; rm -f /tmp/ready) & exec /whoami"]
                readinessProbe:
                  exec: {command: ["cat", "/tmp/ready"]}
                  periodSeconds: 1
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: who}
            spec:
              type: NodePort
              selector: {app: who}
              ports: [{port: 80}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: nobody}
            spec:
              type: NodePort
              selector: {app: nobody}
              ports: [{port: 80}]
            """;
        (await Kubectl.RunWithInput(manifest, "apply", "-f", "-")).Ok();
        var who = await NodePort("who");
        var url = $"http://{nodes[0]}:{who}/";
        await Eventually.Until(() => Curl(url), r => r.Exit == 0 && r.Body.Contains("Hostname: flaky"), Run, "the flaky pod answering while ready");
        var answer = (await Curl(url)).Body;
        Assert.Matches(@"RemoteAddr: 127\.0\.1\.\d+:\d+", answer);
        Assert.Contains("GET / HTTP/1.1", answer);

        await Eventually.Until(async () => (await Kubectl.Run("get", "pod", "flaky", "-o", "jsonpath={.status.containerStatuses[0].ready}")).Ok().Stdout,
            ready => ready == "false", Run, "flaky unready");
        await Eventually.Until(async () => (await Kubectl.Run("get", "endpoints", "who", "-o", "jsonpath={.subsets[*].notReadyAddresses[*].ip}")).Ok().Stdout,
            ips => ips.Length > 0, Run, "flaky among notReadyAddresses");
        // kube-proxy's informer follows the EndpointSlice within moments; from then on flaky gets nothing.
        await Eventually.Until(async () =>
        {
            var answers = new List<string>();
            for (var i = 0; i < 10; i++) answers.Add((await Curl(url)).Body);
            return answers;
        }, answers => answers.All(a => a.StartsWith("Hostname: who-", StringComparison.Ordinal)), Run, "10 answers in a row from the ready pods only");
        for (var i = 0; i < 20; i++)
        {
            var (exit, body) = await Curl(url);
            Assert.Equal(0, exit);
            Assert.StartsWith("Hostname: who-", body);
        }

        // No endpoints: nothing listens, the connection is refused (curl exit 7) on every node.
        var nobody = await NodePort("nobody");
        foreach (var ip in nodes) Assert.Equal(7, (await Curl($"http://{ip}:{nobody}/")).Exit);
    }

    [Fact]
    public async Task Curl_in_a_pods_shell_reaches_a_Service_whose_endpoint_runs_in_another_node_process()
    {
        var nodes = (await Kubectl.Run("get", "nodes", "-o", "jsonpath={.items[*].metadata.name}")).Ok().Stdout.Split(' ');
        var manifest = $$$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: target, labels: {app: target}}
            spec:
              nodeName: {{{nodes[^1]}}}
              containers: [{name: whoami, image: traefik/whoami}]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: target}
            spec:
              selector: {app: target}
              ports: [{port: 80}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: client}
            spec:
              nodeName: {{{nodes[0]}}}
              containers: [{name: shell, image: curlimages/curl, command: ["sleep", "3600"]}]
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: caller}
            spec:
              nodeName: {{{nodes[0]}}}
              restartPolicy: Never
              containers:
              - name: shell
                image: busybox
                command: ["sh", "-c", "until wget -qO /tmp/answer target; do sleep 1; done; head -1 /tmp/answer"]
            """;
        (await Kubectl.RunWithInput(manifest, "apply", "-f", "-")).Ok();
        // Until the client runs and the target is a ready endpoint, curl fails (exec refused, or exit 7).
        var answer = await Eventually.Until(async () => (await Kubectl.Run("exec", "client", "--", "curl", "-s", "target")).Stdout,
            body => body.StartsWith("Hostname: target\n", StringComparison.Ordinal), Run, "curl target from the client pod");
        var clientIp = (await Kubectl.Run("get", "pod", "client", "-o", "jsonpath={.status.podIP}")).Ok().Stdout;
        Assert.Contains($"RemoteAddr: {clientIp}:", answer);
        Assert.Contains("GET / HTTP/1.1\r\nHost: target\r\n", answer);

        var targetIp = (await Kubectl.Run("get", "pod", "target", "-o", "jsonpath={.status.podIP}")).Ok().Stdout;
        var script = $"wget -qO- target.default.svc.cluster.local | head -1; curl -s {targetIp}:80 | head -1; curl -sS nosuch; echo exit=$?";
        var mixed = await Kubectl.Run("exec", "client", "--", "sh", "-c", script);
        Assert.Equal(("Hostname: target\nHostname: target\nexit=6\n", "curl: (6) Could not resolve host: nosuch\n"), (mixed.Ok().Stdout, mixed.Stderr));

        // A container's own program waits for the answer too: its log has it.
        await Eventually.Until(async () => (await Kubectl.Run("logs", "caller")).Stdout, log => log.Contains("Hostname: target\n"), Run, "the caller's log");
    }

    /// <summary>One datagram on <paramref name="socket"/> (connected): the answer, or null when none comes within a second or the port is closed.</summary>
    private static async Task<string?> Udp(System.Net.Sockets.Socket socket, string datagram)
    {
        try
        {
            await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes(datagram), System.Net.Sockets.SocketFlags.None);
            var buffer = new byte[2048];
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            var n = await socket.ReceiveAsync(buffer, System.Net.Sockets.SocketFlags.None, wait.Token);
            return System.Text.Encoding.UTF8.GetString(buffer, 0, n);
        }
        catch (Exception e) when (e is OperationCanceledException or System.Net.Sockets.SocketException) { return null; }
    }

    private static System.Net.Sockets.Socket UdpClient(string ip, int port)
    {
        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        socket.Connect(System.Net.IPAddress.Parse(ip), port);
        return socket;
    }

    [Fact]
    public async Task A_UDP_node_port_answers_agnhost_netexec_from_one_pod_per_client_next_to_its_TCP_twin()
    {
        const string manifest = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: netexec}
            spec:
              replicas: 2
              selector: {matchLabels: {app: netexec}}
              template:
                metadata: {labels: {app: netexec}}
                spec:
                  containers:
                  - name: agnhost
                    image: registry.k8s.io/e2e-test-images/agnhost:2.52
                    args: ["netexec", "--http-port=8080", "--udp-port=8081"]
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: netexec}
            spec:
              type: NodePort
              selector: {app: netexec}
              ports:
              - {name: http, port: 8081, targetPort: 8080, protocol: TCP}
              - {name: udp, port: 8081, targetPort: 8081, protocol: UDP}
            """;
        (await Kubectl.RunWithInput(manifest, "apply", "-f", "-")).Ok();
        var ports = (await Kubectl.Run("get", "svc", "netexec", "-o", "jsonpath={.spec.ports[*].nodePort}")).Ok().Stdout.Split(' ');
        Assert.Equal(ports[0], ports[1]); // TCP and UDP of one port number share their node port
        var nodePort = int.Parse(ports[1]);
        var nodes = await NodeAddresses();

        // Each node's address answers; one client socket is one flow, kept on one pod.
        foreach (var ip in nodes)
        {
            using var client = UdpClient(ip, nodePort);
            var first = await Eventually.Until(() => Udp(client, "hostname"), h => h?.StartsWith("netexec-", StringComparison.Ordinal) == true, Run, $"udp hostname on {ip}");
            for (var i = 0; i < 5; i++) Assert.Equal(first, await Udp(client, "hostname"));
            Assert.Equal("hello", await Udp(client, "echo hello"));
        }
        // The TCP port of the same number answers HTTP.
        var (exit, body) = await Curl($"http://{nodes[0]}:{nodePort}/hostname");
        Assert.Equal(0, exit);
        Assert.Contains("netexec-", body);

        // No ready endpoint: nothing answers (the closed port's ICMP error on a connected socket, or silence).
        (await Kubectl.Run("scale", "deployment", "netexec", "--replicas=0")).Ok();
        await Eventually.Until(async () =>
        {
            using var client = UdpClient(nodes[0], nodePort);
            return await Udp(client, "hostname");
        }, h => h is null, Run, "no answer without endpoints");
    }
}
