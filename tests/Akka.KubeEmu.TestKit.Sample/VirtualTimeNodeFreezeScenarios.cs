using Akka.KubeEmu.TestKit;
using k8s;
using k8s.Models;
using Xunit;
using Xunit.Abstractions;

namespace Akka.KubeEmu.Samples;

/// <summary>
/// A node process frozen, then thawed, with the <c>kubernetes</c> profile in virtual time. The
/// freeze outlasts node-monitor-grace-period (50 s), so the cluster's downing must wait longer than
/// the profile's 20 s, or the frozen process would be downed and never come back.
/// </summary>
public sealed class VirtualTimeNodeFreezeScenarios(ITestOutputHelper output) : KubeEmuScenarioTest(output)
{
    private static readonly string Manifest = Path.Combine(AppContext.BaseDirectory, "nginx-deployment.yaml");

    protected override EmulatedClusterOptions ClusterOptions => new()
    {
        Nodes = 3,
        Profile = "kubernetes",
        VirtualTime = true,
        ConfigOverrides = "kubeemu.downing.stable-after = 10m",
    };

    [Fact]
    public async Task A_node_frozen_past_the_grace_period_is_Unknown_and_tainted_and_Ready_again_once_thawed()
    {
        await Cluster.ApplyFileAsync(Manifest);
        var pods = await Cluster.WaitForListAsync<V1Pod>("default", "app=nginx",
            all => all.Count(p => p.IsRunningAndReady()) == 3, TimeSpan.FromMinutes(2));
        var victim = pods.GroupBy(p => p.Spec.NodeName).OrderByDescending(g => g.Count()).First().Key;

        await Cluster.FreezeNodeAsync(victim);
        var node = await Cluster.WaitForNodeReadyAsync(victim, "Unknown", TimeSpan.FromMinutes(2));
        Assert.Contains(node.Spec.Taints, t => t.Key == "node.kubernetes.io/unreachable" && t.Effect == "NoExecute");

        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(30));
        await Cluster.ThawNodeAsync(victim);

        // The kubelet renews its Lease and posts Ready again; the node lifecycle controller lifts the taints.
        node = await Cluster.WaitForAsync<V1Node>(null, victim,
            n => n.ReadyStatus() == "True" && n.Spec.Taints?.Any(t => t.Key.StartsWith("node.kubernetes.io/", StringComparison.Ordinal)) != true,
            TimeSpan.FromMinutes(1));
        // Thawed long before the 300 s toleration ran out: the same pods, where they were.
        var after = await Cluster.WaitForListAsync<V1Pod>("default", "app=nginx",
            all => all.Count(p => p.IsRunningAndReady()) == 3, TimeSpan.FromMinutes(1));
        Assert.Equal(pods.Select(p => p.Metadata.Name).Order(), after.Select(p => p.Metadata.Name).Order());
    }

    /// <summary>
    /// Its first heartbeats seconds apart, the node's grace period ran out at the very instant (a
    /// whole step) of the controller's look triggered by the earlier one: the controller neither
    /// marked it nor looked again, and the Node stayed Ready for good.
    /// </summary>
    [Fact]
    public async Task A_node_frozen_seconds_after_the_start_is_Unknown_50_s_after_its_last_heartbeat()
    {
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(3));
        var node = await Kubernetes.CoreV1.ReadNodeAsync("node-2");
        var heartbeat = node.ReadyCondition()!.LastHeartbeatTime!.Value;
        try
        {
            var renewed = (await Kubernetes.CoordinationV1.ReadNamespacedLeaseAsync("node-2", "kube-node-lease")).Spec.RenewTime;
            if (renewed > heartbeat) heartbeat = renewed.Value;
        }
        catch (k8s.Autorest.HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
        }

        await Cluster.FreezeNodeAsync("node-2");

        node = await Cluster.WaitForNodeReadyAsync("node-2", "Unknown", TimeSpan.FromMinutes(2));
        var unknownAt = node.ReadyCondition()!.LastTransitionTime!.Value;
        Assert.InRange((unknownAt - heartbeat).TotalSeconds, 50 * 0.95 - 1, 50 * 1.05);
    }
}
