using System.Diagnostics;
using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>
/// Issues E1 and E5: kill -9 of a node process is a node failure, detected through cluster
/// membership; its pods are evicted, replaced elsewhere, and collected once the process is gone.
/// </summary>
[Collection("clusters")]
public sealed class NodeFailureSpecs
{
    [Fact]
    public async Task Killing_the_node_with_the_most_nginx_replicas_turns_it_Unknown_within_seconds_gives_three_available_replicas_on_the_other_nodes_and_a_restart_brings_it_back()
    {
        await using var cluster = await KubeEmuCluster.Up(nodes: 3);
        var kubectl = cluster.Kubectl;
        (await kubectl.Run("apply", "-f", Path.Combine(AppContext.BaseDirectory, "config", "examples", "nginx-deployment.yaml"))).Ok();
        (await kubectl.Run("rollout", "status", "deployment/nginx-deployment", "--timeout=60s")).Ok();
        var placed = await PodsByNode(kubectl);
        var victim = placed.GroupBy(p => p.Node).OrderByDescending(g => g.Count()).First().Key;
        var lost = placed.Where(p => p.Node == victim).Select(p => p.Name).ToHashSet();

        var watch = Stopwatch.StartNew();
        cluster.Kill(victim);
        await kubectl.AwaitNodeReady(victim, "Unknown", TimeSpan.FromSeconds(15));
        var detected = watch.Elapsed;
        var message = (await kubectl.Run("get", "node", victim, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].message}")).Ok().Stdout;
        Assert.Equal("Kubelet stopped posting node status.", message);
        Assert.Equal("True", await kubectl.NodeReady(new[] { "node-1", "node-2", "node-3" }.First(n => n != victim)));
        Assert.True(detected < TimeSpan.FromSeconds(10), $"detected after {detected}");

        var healed = await Eventually.Until(async () => await PodsByNode(kubectl),
            pods => pods.Count(p => p is { Status: "Running", Ready: "1/1" } && p.Node != victim) == 3, TimeSpan.FromSeconds(60),
            "three running replicas on the other nodes");
        var recovery = watch.Elapsed;
        Assert.Equal("3", (await kubectl.Run("get", "deployment", "nginx-deployment", "-o", "jsonpath={.status.availableReplicas}")).Ok().Stdout);
        Assert.Equal("Unknown", await kubectl.NodeReady(victim));
        Assert.DoesNotContain(healed.Where(p => p.Node != victim), p => lost.Contains(p.Name));

        // The evicted pods were marked for deletion by the taint eviction controller, then (their
        // kubelet being dead) removed by the pod garbage collector once the process left the cluster.
        var evictions = (await kubectl.Run("get", "events", "--field-selector", "reason=TaintManagerEviction", "-o", "jsonpath={.items[*].involvedObject.name}")).Ok().Stdout;
        Assert.All(lost, pod => Assert.Contains(pod, evictions));
        await Eventually.Until(async () => await PodsByNode(kubectl), pods => pods.All(p => p.Node != victim), TimeSpan.FromSeconds(60),
            "the dead node's pods collected");
        Assert.True(recovery < TimeSpan.FromSeconds(60), $"recovered after {recovery}");

        // The process started again (a new incarnation): its kubelet registers, the node is Ready and untainted.
        cluster.Restart(victim);
        await kubectl.AwaitNodeReady(victim, "True", TimeSpan.FromSeconds(30));
        await Eventually.Until(async () => (await kubectl.Run("get", "node", victim, "-o", "jsonpath={.spec.taints}")).Ok().Stdout,
            taints => taints.Length == 0, TimeSpan.FromSeconds(15), "unreachable taints removed");
    }

    [Fact]
    public async Task A_frozen_node_process_comes_back_when_thawed_without_a_restart_and_stops_what_was_deleted_meanwhile()
    {
        // A freeze this test cannot keep under the fast profile's 5 s on a loaded machine would down the process.
        await using var cluster = await KubeEmuCluster.UpWithConfig(KubeEmuCluster.SlowDowning, nodes: 3);
        var kubectl = cluster.Kubectl;
        (await kubectl.Run("run", "pinned", "--image=nginx:1.14.2", "--overrides", """{"spec":{"nodeName":"node-2"}}""")).Ok();
        await Eventually.Until(() => kubectl.PodPhase("pinned"), p => p == "Running", TimeSpan.FromSeconds(30), "the pod running on node-2");
        var pid = cluster.Pid("node-2");

        cluster.Signal("node-2", "STOP");
        try
        {
            await kubectl.AwaitNodeReady("node-2", "Unknown", TimeSpan.FromSeconds(15));
            // Deleted while its kubelet cannot hear of it: it stays Terminating until the kubelet is back.
            (await kubectl.Run("delete", "pod", "pinned", "--wait=false")).Ok();
            Assert.Equal("Terminating", TableOutput.Parse((await kubectl.Run("get", "pod", "pinned")).Ok().Stdout).Rows.Single()["STATUS"]);
        }
        finally
        {
            cluster.Signal("node-2", "CONT");
        }

        await kubectl.AwaitNodeReady("node-2", "True", TimeSpan.FromSeconds(30));
        await Eventually.Until(async () => (await kubectl.Run("get", "node", "node-2", "-o", "jsonpath={.spec.taints}")).Ok().Stdout,
            taints => taints.Length == 0, TimeSpan.FromSeconds(15), "unreachable taints removed");
        await Eventually.Until(async () => (await kubectl.Run("get", "pod", "pinned")).ExitCode, code => code != 0, TimeSpan.FromSeconds(60),
            "the pod stopped by its kubelet and gone");
        Assert.Equal(pid, cluster.Pid("node-2"));
        Assert.True(Akka.KubeEmu.Host.Launcher.Signals.IsKubeEmu(pid), "the thawed process still runs (a zombie counts as exited)");
        Assert.Equal(3, TableOutput.Parse((await kubectl.Run("get", "nodes")).Ok().Stdout).Rows.Count(r => r["STATUS"] == "Ready"));
        // Only the frozen node was ever lost: waking, its process must not have made the others look dead.
        var notReady = (await kubectl.Run("get", "events", "--field-selector", "reason=NodeNotReady,involvedObject.kind=Node", "-o", "jsonpath={.items[*].involvedObject.name}")).Ok().Stdout;
        Assert.Equal(["node-2"], notReady.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct());
    }

    private static async Task<IReadOnlyList<(string Name, string Ready, string Status, string Node)>> PodsByNode(Kubectl kubectl) =>
        TableOutput.Parse((await kubectl.Run("get", "pods", "-l", "app=nginx", "-o", "wide")).Ok().Stdout).Rows
            .Select(r => (r["NAME"], r["READY"], r["STATUS"], r["NODE"])).ToArray();
}
