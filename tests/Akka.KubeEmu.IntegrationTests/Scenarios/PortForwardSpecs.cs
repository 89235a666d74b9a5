using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>
/// Issue E6 (kubectl port-forward) with the real kubectl running in the background as a user runs it:
/// pod, Service and Deployment targets, several and random local ports, curl-like requests through
/// them to the pods' simulated servers; the kubelet's error for a closed port and kubectl's for a pod
/// that is not running; kubectl 1.20's plain SPDY upgrade.
/// </summary>
[Collection("shared cluster")]
public sealed class PortForwardSpecs(SharedCluster shared) : IAsyncLifetime
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(40);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private Kubectl Kubectl { get; set; } = null!;

    public async Task InitializeAsync()
    {
        Kubectl = await shared.Namespace("port-forward");
        const string manifest = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: who
            spec:
              containers:
              - {name: whoami, image: traefik/whoami, ports: [{containerPort: 80}]}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: web
            spec:
              replicas: 1
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                  - {name: nginx, image: nginx, ports: [{containerPort: 80}]}
            ---
            apiVersion: v1
            kind: Service
            metadata:
              name: web
            spec:
              selector: {app: web}
              ports: [{port: 8080, targetPort: 80}]
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: unpulled
            spec:
              containers:
              - {name: web, image: "nginx:1.91"}
            """;
        (await Kubectl.RunWithInput(manifest, "apply", "-f", "-")).Ok();
        (await Kubectl.Run("wait", "--for=condition=Ready", "pod/who", "--timeout=60s")).Ok();
        (await Kubectl.Run("wait", "--for=condition=Ready", "pod", "-l", "app=web", "--timeout=60s")).Ok();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Port_forward_to_a_pod_a_service_and_a_deployment_answers_with_the_pods_server_on_every_local_port()
    {
        var (p1, p2) = (FreePorts.Next(), FreePorts.Next());
        using (var who = await Forward(Kubectl, 2, "pod/who", ":80", $"{p1}:80"))
        {
            var random = who.LocalPort(0);
            Assert.Matches($"^Forwarding from 127.0.0.1:{random} -> 80\nForwarding from \\[::1\\]:{random} -> 80\n", who.Output);
            var answer = await Http.GetStringAsync($"http://127.0.0.1:{random}/hello");
            Assert.StartsWith("Hostname: who\nIP: 127.0.0.1\nIP: ::1\nIP: 10.244.", answer);
            Assert.Matches("\nRemoteAddr: 127\\.0\\.0\\.1:\\d+\r?\nGET /hello HTTP/1.1\r?\n", answer);
            Assert.Contains("Hostname: who", await Http.GetStringAsync($"http://127.0.0.1:{p1}/"));
            Assert.Contains($"Handling connection for {p1}", who.Output);
        }

        using (var svc = await Forward(Kubectl, 1, "svc/web", $"{p2}:8080", "--address", "127.0.0.1"))
        {
            Assert.Equal($"Forwarding from 127.0.0.1:{p2} -> 80\n", svc.Output);
            Assert.Contains("<title>Welcome to nginx!</title>", await Http.GetStringAsync($"http://127.0.0.1:{p2}/"));
            var missing = await Http.GetAsync($"http://127.0.0.1:{p2}/nope");
            Assert.Equal(404, (int)missing.StatusCode);
        }

        using var deploy = await Forward(Kubectl, 1, "deploy/web", $":80", "--address", "127.0.0.1");
        Assert.Contains("<title>Welcome to nginx!</title>", await Http.GetStringAsync($"http://127.0.0.1:{deploy.LocalPort(0)}/"));
    }

    [Fact]
    public async Task A_closed_port_gives_the_kubelets_error_and_a_pod_that_is_not_running_kubectls()
    {
        using var closed = await Forward(Kubectl, 1, "pod/who", ":81", "--address", "127.0.0.1");
        await Assert.ThrowsAsync<HttpRequestException>(() => Http.GetStringAsync($"http://127.0.0.1:{closed.LocalPort(0)}/"));
        var exit = await closed.Exited();
        Assert.Equal(1, exit);
        Assert.Matches("an error occurred forwarding \\d+ -> 81: error forwarding port 81 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace " +
            "\\\\\"/var/run/netns/cni-[0-9a-f-]{36}\\\\\": failed to connect to localhost:81 inside namespace \\\\\"[0-9a-f]{64}\\\\\", " +
            "IPv4: dial tcp4 127.0.0.1:81: connect: connection refused IPv6 dial tcp6 \\[::1\\]:81: connect: connection refused ", closed.Errors);
        Assert.EndsWith("error: lost connection to pod\n", closed.Errors);

        var pending = await Kubectl.Run("port-forward", "pod/unpulled", $"{FreePorts.Next()}:80");
        Assert.Equal((1, "error: unable to forward port because pod is not running. Current status=Pending"), (pending.ExitCode, pending.Stderr.Trim()));
        var missing = await Kubectl.Run("port-forward", "pod/nope", $"{FreePorts.Next()}:80");
        Assert.Equal((1, "Error from server (NotFound): pods \"nope\" not found"), (missing.ExitCode, missing.Stderr.Trim()));
    }

    [Fact]
    public async Task Kubectl_1_20_forwards_through_the_plain_SPDY_upgrade()
    {
        var old = await shared.Namespace("port-forward", Kubectl.V120);
        using var forward = await Forward(old, 1, "pod/who", ":80", "--address", "127.0.0.1");
        Assert.StartsWith("Hostname: who\n", await Http.GetStringAsync($"http://127.0.0.1:{forward.LocalPort(0)}/"));
    }

    /// <summary>Starts `kubectl port-forward ARGS` and waits until it printed <paramref name="listeners"/> "Forwarding from" lines.</summary>
    private static async Task<Forwarding> Forward(Kubectl kubectl, int listeners, params string[] args)
    {
        var forwarding = new Forwarding(kubectl.Start(["port-forward", .. args]));
        await Eventually.Until(() => Task.FromResult(forwarding.Output), o => Regex.Matches(o, "^Forwarding from ", RegexOptions.Multiline).Count >= listeners || forwarding.HasExited,
            Run, $"kubectl port-forward {string.Join(' ', args)} listening");
        Assert.False(forwarding.HasExited, forwarding.Errors);
        return forwarding;
    }

    /// <summary>A kubectl port-forward in the background: its output as it comes; killed when disposed.</summary>
    private sealed class Forwarding : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _out = new();
        private readonly StringBuilder _err = new();

        public Forwarding(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_out) _out.Append(e.Data).Append('\n'); };
            _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_err) _err.Append(e.Data).Append('\n'); };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string Output { get { lock (_out) return _out.ToString(); } }
        public string Errors { get { lock (_err) return _err.ToString(); } }
        public bool HasExited => _process.HasExited;

        /// <summary>The local port of the <paramref name="index"/>th forwarded port (as kubectl printed it).</summary>
        public int LocalPort(int index) =>
            int.Parse(Regex.Matches(Output, "^Forwarding from 127\\.0\\.0\\.1:(\\d+) -> ", RegexOptions.Multiline)[index].Groups[1].Value);

        public async Task<int> Exited()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
        }

        public void Dispose()
        {
            try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); }
            catch (InvalidOperationException) { }
            _process.Dispose();
        }
    }
}
