using System.Collections.Concurrent;
using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>
/// Issue E2's node maintenance with the real kubectl against node processes: `kubectl drain`
/// refuses a bare pod without --force, evicts through the eviction subresource, waits (retrying
/// every 5 s, as kubectl does) while a PodDisruptionBudget forbids, and completes once the budget is
/// relaxed; cordon shows as SchedulingDisabled and the unschedulable taint, uncordon takes both away.
/// </summary>
[Collection("clusters")]
public sealed class DrainSpecs : IAsyncLifetime
{
    private KubeEmuCluster _cluster = null!;
    private Kubectl Kubectl => _cluster.Kubectl;

    public async Task InitializeAsync() => _cluster = await KubeEmuCluster.Up(nodes: 2);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    private const string Retry =
        "(will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget.";

    [Fact]
    public async Task Drain_refuses_bare_pods_waits_for_the_budget_and_completes_once_it_is_relaxed()
    {
        // Everything starts on node-1: node-2 is held back by a taint until the drain.
        (await Kubectl.Run("taint", "nodes", "node-2", "hold=on:NoSchedule")).Ok();
        (await Kubectl.Run("run", "bare", "--image=nginx")).Ok();
        (await Kubectl.Run("create", "deployment", "web", "--image=nginx", "--replicas=2")).Ok();
        (await Kubectl.Run("create", "pdb", "web", "--selector=app=web", "--min-available=2")).Ok();
        await Eventually.Until(() => Kubectl.Run("get", "pdb", "web", "-o", "jsonpath={.status.currentHealthy}/{.status.desiredHealthy}"),
            r => r.Stdout == "2/2", TimeSpan.FromSeconds(30), "the budget counting 2 healthy pods of 2 desired");
        var pdb = TableOutput.Parse((await Kubectl.Run("get", "pdb", "web")).Ok().Stdout);
        Assert.Equal(["NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"], pdb.Headers);
        Assert.Equal(("2", "N/A", "0"), (pdb.Row("web")["MIN AVAILABLE"], pdb.Row("web")["MAX UNAVAILABLE"], pdb.Row("web")["ALLOWED DISRUPTIONS"]));
        await Eventually.Until(() => Kubectl.Run("get", "pod", "bare", "-o", "jsonpath={.status.phase}"), r => r.Stdout == "Running",
            TimeSpan.FromSeconds(30), "the bare pod running");
        (await Kubectl.Run("taint", "nodes", "node-2", "hold-")).Ok();

        // Without --force the bare pod stops the drain, in kubectl's words; the node is cordoned all the same.
        var refused = await Kubectl.Run("drain", "node-1", "--ignore-daemonsets", "--delete-emptydir-data");
        Assert.Contains("cannot delete Pods that declare no controller (use --force to override): default/bare", refused.Stdout + refused.Stderr);
        var cordoned = TableOutput.Parse((await Kubectl.Run("get", "nodes")).Ok().Stdout);
        Assert.Equal("Ready,SchedulingDisabled", cordoned.Row("node-1")["STATUS"]);
        Assert.Contains("node.kubernetes.io/unschedulable:NoSchedule",
            (await Kubectl.Run("get", "node", "node-1", "-o", "jsonpath={.spec.taints[*].key}:{.spec.taints[*].effect}")).Ok().Stdout.Replace(" ", ""));

        // With --force the bare pod goes; the Deployment's pods wait for the budget.
        using var drain = Kubectl.Start("drain", "node-1", "--ignore-daemonsets", "--delete-emptydir-data", "--force", "--timeout=90s");
        var output = new ConcurrentQueue<string>();
        var readers = Task.WhenAll(Read(drain.StandardOutput, output), Read(drain.StandardError, output));
        try
        {
            await Eventually.Until(() => Task.FromResult(output.ToArray()), lines => lines.Any(l => l.Contains(Retry)),
                TimeSpan.FromSeconds(30), "kubectl drain retrying on the budget");
            Assert.Matches("^error when evicting pods/\"web-[a-z0-9]+-[a-z0-9]+\" -n \"default\" " + System.Text.RegularExpressions.Regex.Escape(Retry) + "$",
                output.First(l => l.Contains(Retry)));
            Assert.False(drain.HasExited);

            (await Kubectl.Run("patch", "pdb", "web", "--type=merge", "-p", """{"spec":{"minAvailable":1}}""")).Ok();
            using var done = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await drain.WaitForExitAsync(done.Token);
            await readers;
            Assert.True(drain.ExitCode == 0, string.Join('\n', output));
            Assert.Contains("pod/bare evicted", output);
            Assert.Contains("node/node-1 drained", output);
        }
        finally
        {
            if (!drain.HasExited) drain.Kill(entireProcessTree: true);
        }

        // The Deployment's pods came back on node-2; node-1 stays cordoned until uncordoned.
        var pods = await Eventually.Until(() => Kubectl.Run("get", "pods", "-l", "app=web", "-o", "jsonpath={range .items[*]}{.spec.nodeName} {.status.phase}{\"\\n\"}{end}"),
            r => r.Stdout.Trim().Split('\n') is { Length: 2 } lines && lines.All(l => l == "node-2 Running"), TimeSpan.FromSeconds(30), "web pods running on node-2");
        Assert.Equal(2, pods.Stdout.Trim().Split('\n').Length);
        Assert.Equal("Ready,SchedulingDisabled", TableOutput.Parse((await Kubectl.Run("get", "nodes")).Ok().Stdout).Row("node-1")["STATUS"]);

        (await Kubectl.Run("uncordon", "node-1")).Ok();
        await Eventually.Until(() => Kubectl.Run("get", "node", "node-1", "-o", "jsonpath={.spec.taints}"), r => r.ExitCode == 0 && r.Stdout.Length == 0,
            TimeSpan.FromSeconds(20), "the unschedulable taint gone");
        Assert.Equal("Ready", TableOutput.Parse((await Kubectl.Run("get", "nodes")).Ok().Stdout).Row("node-1")["STATUS"]);
    }

    private static async Task Read(StreamReader reader, ConcurrentQueue<string> into)
    {
        while (await reader.ReadLineAsync() is { } line) into.Enqueue(line);
    }
}
