using Akka.KubeEmu.TestKit;
using k8s;
using k8s.Models;
using Xunit;
using Xunit.Abstractions;

namespace Akka.KubeEmu.Samples;

/// <summary>
/// The README's kill scenario with the <c>kubernetes</c> profile, in virtual time: what a real
/// cluster takes six minutes for (node-monitor-grace-period 50 s, then the 300 s unreachable
/// toleration) takes seconds, and the virtual instants match Kubernetes' timing within 5 %.
/// </summary>
public sealed class VirtualTimeNodeKillScenarios : KubeEmuScenarioTest
{
    private readonly ITestOutputHelper _output;

    public VirtualTimeNodeKillScenarios(ITestOutputHelper output) : base(output) => _output = output;

    private static readonly string Manifest = Path.Combine(AppContext.BaseDirectory, "nginx-deployment.yaml");

    protected override EmulatedClusterOptions ClusterOptions => new() { Nodes = 3, Profile = "kubernetes", VirtualTime = true };

    [Fact]
    public async Task Killing_the_node_with_the_most_replicas_marks_it_Unknown_after_50_s_and_evicts_its_pods_300_s_later()
    {
        await Cluster.ApplyFileAsync(Manifest);
        var pods = await Cluster.WaitForListAsync<V1Pod>("default", "app=nginx",
            all => all.Count(p => p.IsRunningAndReady()) == 3, TimeSpan.FromMinutes(2));
        var victim = pods.GroupBy(p => p.Spec.NodeName).OrderByDescending(g => g.Count()).First().Key;
        var victimPods = pods.Where(p => p.Spec.NodeName == victim).Select(p => p.Metadata.Name).ToHashSet();
        // The node lifecycle controller counts the grace period from the node's last sign of life:
        // its Lease renewal, or its Ready heartbeat (posted when the status changed, e.g. at start).
        var lease = await Kubernetes.CoordinationV1.ReadNamespacedLeaseAsync(victim, "kube-node-lease");
        var heartbeat = (await Kubernetes.CoreV1.ReadNodeAsync(victim)).ReadyCondition()!.LastHeartbeatTime!.Value;
        var lastSignOfLife = new DateTimeOffset(lease.Spec.RenewTime!.Value > heartbeat ? lease.Spec.RenewTime.Value : heartbeat, TimeSpan.Zero);
        var killedAt = Cluster.Now;

        await Cluster.KillNodeAsync(victim);

        // Unknown once its Lease is node-monitor-grace-period old (the kill came 0-10 s after its last renewal).
        // (The taint comes with the same look of the controller, a write after the condition's.)
        var node = await Cluster.WaitForAsync<V1Node>(null, victim,
            n => n.ReadyStatus() == "Unknown" && n.Spec.Taints?.Any(t => t.Key == "node.kubernetes.io/unreachable" && t.Effect == "NoExecute") == true,
            TimeSpan.FromMinutes(2));
        var unknownAt = new DateTimeOffset(node.ReadyCondition()!.LastTransitionTime!.Value, TimeSpan.Zero);
        _output.WriteLine($"last sign of life {lastSignOfLife:HH:mm:ss.fff} (lease {lease.Spec.RenewTime:HH:mm:ss.fff}, heartbeat {heartbeat:HH:mm:ss.fff}), " +
                         $"killed {killedAt:HH:mm:ss.fff}, Unknown {unknownAt:HH:mm:ss.fff}, waited until {Cluster.Now:HH:mm:ss.fff}");
        Assert.Equal("NodeStatusUnknown", node.ReadyCondition()!.Reason);
        // lastTransitionTime has whole seconds: up to a second early.
        Assert.InRange((unknownAt - lastSignOfLife).TotalSeconds, 50 * 0.95 - 1, 50 * 1.05);
        Assert.InRange((unknownAt - killedAt).TotalSeconds, 40 * 0.95 - 1, 50 * 1.05);
        var taint = Assert.Single(node.Spec.Taints, t => t.Key == "node.kubernetes.io/unreachable" && t.Effect == "NoExecute");
        var taintedAt = new DateTimeOffset(taint.TimeAdded!.Value, TimeSpan.Zero);

        // Its pods are evicted when their 300 s unreachable toleration runs out.
        await Cluster.WaitForListAsync<V1Pod>("default", "app=nginx",
            all => !all.Any(p => victimPods.Contains(p.Metadata.Name) && p.Metadata.DeletionTimestamp is null), TimeSpan.FromMinutes(7));
        var evictedAt = Cluster.Now;
        Assert.InRange((evictedAt - taintedAt).TotalSeconds, 300 * 0.95, 300 * 1.05);
        _output.WriteLine($"Unknown {(unknownAt - lastSignOfLife).TotalSeconds:0.0} s after the last sign of life " +
                         $"({(unknownAt - killedAt).TotalSeconds:0.0} s after the kill), evicted {(evictedAt - taintedAt).TotalSeconds:0.0} s after the taint " +
                         $"({(evictedAt - killedAt).TotalSeconds:0.0} s after the kill)");

        await Cluster.WaitForListAsync<V1Pod>("default", "app=nginx",
            all => all.Count(p => p.IsRunningAndReady() && p.Spec.NodeName != victim) == 3, TimeSpan.FromMinutes(2));
        await Cluster.WaitForAsync<V1Deployment>("default", "nginx-deployment",
            d => d.Status?.AvailableReplicas == 3, TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task A_node_frozen_longer_than_the_downing_stable_after_is_downed_and_does_not_come_back_when_thawed()
    {
        await Cluster.ApplyFileAsync(Manifest);
        await Cluster.WaitForListAsync<V1Pod>("default", "app=nginx", all => all.Count(p => p.IsRunningAndReady()) == 3, TimeSpan.FromMinutes(2));

        await Cluster.FreezeNodeAsync("node-2");
        // kubeemu.downing.stable-after is 20 s in this profile: the member is removed long before the Node is Unknown.
        await Cluster.WaitForNodeReadyAsync("node-2", "Unknown", TimeSpan.FromMinutes(2));
        Assert.DoesNotContain(Cluster.Processes, p => p.Name == "node-2");

        await Cluster.ThawNodeAsync("node-2");
        await Cluster.AdvanceAsync(TimeSpan.FromSeconds(60));

        var node = await Kubernetes.CoreV1.ReadNodeAsync("node-2");
        Assert.Equal("Unknown", node.ReadyStatus());
    }
}
