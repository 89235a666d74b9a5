using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>
/// Issue E2 (container logs, probes that act) with the real kubectl: logs travel from the node
/// process that runs the pod through the API server's pods/log; a liveness probe restarts a container.
/// </summary>
[Collection("shared cluster")]
public sealed class LogsSpecs(SharedCluster shared) : IAsyncLifetime
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(40);
    private Kubectl Kubectl { get; set; } = null!;

    public async Task InitializeAsync() => Kubectl = await shared.Namespace("logs");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Kubectl_logs_shows_a_counter_the_previous_run_of_a_crashed_container_and_follows_until_the_container_ends()
    {
        const string manifest = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: counter
            spec:
              containers:
              - name: count
                image: busybox
                args: [/bin/sh, -c, 'i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done']
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: crasher
            spec:
              containers:
              - name: app
                image: busybox
                command: [sh, -c, 'echo "starting"; sleep 1; echo "giving up" >&2; exit 3']
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: countdown
            spec:
              restartPolicy: Never
              containers:
              - name: count
                image: busybox
                command: [sh, -c, 'sleep 3; for i in 3 2 1; do echo "$i"; sleep 1; done; echo liftoff']
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: two
            spec:
              containers:
              - {name: a, image: busybox, command: [sleep, infinity]}
              - {name: b, image: "nginx:1.91"}
            """;
        (await Kubectl.RunWithInput(manifest, "apply", "-f", "-")).Ok();

        // -f on a container that is still running streams until it ends, then kubectl exits 0.
        await Eventually.Until(async () => (await Kubectl.Run("get", "pod", "countdown", "-o", "jsonpath={.status.phase}")).Ok().Stdout,
            s => s == "Running", Run, "countdown running");
        var followed = (await Kubectl.Run("logs", "-f", "countdown")).Ok();
        Assert.Equal("3\n2\n1\nliftoff\n", followed.Stdout);

        var counted = await Eventually.Until(async () => (await Kubectl.Run("logs", "counter")).Ok().Stdout, s => s.Split('\n').Length > 4, Run,
            "the counter's lines");
        Assert.Matches(@"^0: \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d UTC \d{4}\n1: ", counted);
        var tail = (await Kubectl.Run("logs", "counter", "--tail", "1", "--timestamps")).Ok().Stdout;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z \d+: .*\n$", tail);

        await Eventually.Until(async () => (await Kubectl.Run("get", "pod", "crasher", "-o", "jsonpath={.status.containerStatuses[0].lastState.terminated.exitCode}")).Ok().Stdout,
            s => s == "3", Run, "crasher's first run ended");
        Assert.Equal("starting\ngiving up\n", (await Kubectl.Run("logs", "crasher", "--previous")).Ok().Stdout);

        var noPrevious = await Kubectl.Run("logs", "counter", "--previous");
        Assert.Equal("Error from server (BadRequest): previous terminated container \"count\" in pod \"counter\" not found", noPrevious.Stderr.Trim());
        // kubectl picks the first container itself; the API answers the raw request with its own text.
        Assert.Equal("Defaulted container \"a\" out of: a, b", (await Kubectl.Run("logs", "two")).Ok().Stderr.Trim());
        var ambiguous = await Kubectl.Run("get", "--raw", "/api/v1/namespaces/logs/pods/two/log");
        Assert.Equal("Error from server (BadRequest): a container name must be specified for pod two, choose one of: [a b]", ambiguous.Stderr.Trim());
        var waiting = await Eventually.Until(async () => await Kubectl.Run("logs", "two", "-c", "b"), r => r.Stderr.Contains("waiting to start"), Run,
            "b waiting to start");
        Assert.Matches("^Error from server \\(BadRequest\\): container \"b\" in pod \"two\" is waiting to start: (ContainerCreating|image can't be pulled|trying and failing to pull image)$",
            waiting.Stderr.Trim());
    }

    [Fact]
    public async Task A_liveness_exec_probe_that_starts_failing_restarts_the_container_with_the_kubelets_events()
    {
        const string manifest = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: liveness-exec
            spec:
              terminationGracePeriodSeconds: 1
              containers:
              - name: liveness
                image: registry.k8s.io/busybox
                args: [/bin/sh, -c, touch /tmp/healthy; sleep 6; rm -f /tmp/healthy; sleep 600]
                livenessProbe:
                  exec:
                    command: [cat, /tmp/healthy]
                  initialDelaySeconds: 2
                  periodSeconds: 2
            """;
        (await Kubectl.RunWithInput(manifest, "apply", "-f", "-")).Ok();
        await Eventually.Until(async () => TableOutput.Parse((await Kubectl.Run("get", "pod", "liveness-exec")).Ok().Stdout).Row("liveness-exec")["RESTARTS"],
            r => r.StartsWith("1 (", StringComparison.Ordinal), Run, "RESTARTS 1");
        var describe = (await Kubectl.Run("describe", "pod", "liveness-exec")).Ok().Stdout;
        Assert.Matches(@"Warning\s+Unhealthy\s+.*kubelet\s+Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory", describe);
        Assert.Matches(@"Normal\s+Killing\s+.*kubelet\s+Container liveness failed liveness probe, will be restarted", describe);
    }
}
