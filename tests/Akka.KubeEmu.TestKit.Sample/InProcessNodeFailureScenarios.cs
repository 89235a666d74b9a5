using Akka.KubeEmu.TestKit;
using k8s.Models;
using Xunit;
using Xunit.Abstractions;

namespace Akka.KubeEmu.Samples;

/// <summary>
/// The cluster in the test process, in real time (<c>InProcess = true</c>): the control plane and
/// three node processes, each an ActorSystem of its own over loopback remoting. A kill, a restart
/// and a partition play out through real membership and downing, as between processes. Downing
/// waits a minute here, so that a partition can be healed before the control plane gives up on it.
/// </summary>
public sealed class InProcessNodeFailureScenarios(ITestOutputHelper output) : KubeEmuScenarioTest(output)
{
    private static readonly string Manifest = Path.Combine(AppContext.BaseDirectory, "nginx-deployment.yaml");

    protected override EmulatedClusterOptions ClusterOptions => new()
    {
        Nodes = 3,
        Profile = "fast",
        InProcess = true,
        ConfigOverrides = "kubeemu.downing.stable-after = 60s",
    };

    [Fact]
    public async Task A_killed_node_process_is_replaced_elsewhere_and_its_restart_is_Ready_again()
    {
        Assert.True(Cluster.IsInProcess);
        await Cluster.ApplyFileAsync(Manifest);
        var pods = await Cluster.WaitForListAsync<V1Pod>("default", "app=nginx",
            all => all.Count(p => p.IsRunningAndReady()) == 3, TimeSpan.FromSeconds(90));
        var victim = pods.GroupBy(p => p.Spec.NodeName).OrderByDescending(g => g.Count()).First().Key;

        await Cluster.KillNodeAsync(victim);

        // Its port refuses connections: downed at once, Unknown within the fast profile's seconds.
        await Cluster.WaitForNodeReadyAsync(victim, "Unknown", TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(Cluster.Processes, p => p.Name == victim);
        await Cluster.WaitForListAsync<V1Pod>("default", "app=nginx",
            all => all.Count(p => p.IsRunningAndReady() && p.Spec.NodeName != victim) == 3, TimeSpan.FromSeconds(60));

        var restarted = await Cluster.RestartNodeAsync(victim);
        Assert.Equal(victim, restarted.Name);
        await Cluster.WaitForAsync<V1Node>(null, victim,
            n => n.ReadyStatus() == "True" && n.Spec.Taints?.Any(t => t.Key.StartsWith("node.kubernetes.io/", StringComparison.Ordinal)) != true,
            TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task A_partitioned_node_process_is_Unknown_and_tainted_and_Ready_again_once_healed()
    {
        await Cluster.WaitForNodeReadyAsync("node-2");

        await Cluster.PartitionNodeAsync("node-2");
        // Unknown once its Lease is not renewed for the grace period; then the NoExecute taint.
        await Cluster.WaitForAsync<V1Node>(null, "node-2",
            n => n.ReadyStatus() == "Unknown" && n.Spec.Taints?.Any(t => t.Key == "node.kubernetes.io/unreachable" && t.Effect == "NoExecute") == true,
            TimeSpan.FromSeconds(30));
        Assert.Contains(Cluster.Processes, p => p.Name == "node-2"); // it runs on, cut off

        await Cluster.HealNodeAsync("node-2");
        // The same process, not a new one: its kubelet renews its Lease again and the taints go.
        await Cluster.WaitForAsync<V1Node>(null, "node-2",
            n => n.ReadyStatus() == "True" && n.Spec.Taints?.Any(t => t.Key.StartsWith("node.kubernetes.io/", StringComparison.Ordinal)) != true,
            TimeSpan.FromSeconds(60));
    }
}
