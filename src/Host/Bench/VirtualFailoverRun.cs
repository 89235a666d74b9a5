using Akka.KubeEmu.Host.VirtualTime;
using k8s;
using k8s.Models;
using static Akka.KubeEmu.Host.Bench.FailoverConditions;

namespace Akka.KubeEmu.Host.Bench;

/// <summary>
/// <see cref="FailoverRun"/> in virtual time: the same conditions, checked on a fresh list of the
/// Nodes and the workload's pods after every step of the clock, each phase timed at the first step
/// that shows it, against a deadline in virtual time.
/// </summary>
public sealed class VirtualFailoverRun(VirtualCluster cluster, IKubernetes api, IReadOnlyList<BenchDeployment> deployments, TimeSpan timeout)
{
    public IReadOnlyList<BenchDeployment> Deployments => deployments;

    /// <summary>Moves virtual time until <paramref name="condition"/> holds, up to the phase timeout.</summary>
    public async Task<ClusterState> Until(Func<ClusterState, bool> condition, string what, CancellationToken ct)
    {
        var from = cluster.Clock.Now;
        while (true)
        {
            var state = await Read(ct);
            if (condition(state)) return state;
            if (cluster.Clock.Now - from > timeout) throw new TimeoutException($"{what}: not within {timeout.TotalSeconds:F0} s of virtual time");
            await cluster.Clock.Advance(cluster.Clock.Step, ct);
        }
    }

    public Task<ClusterState> Settle(CancellationToken ct) =>
        Until(Settled(deployments, cluster.NodeNames), "the cluster settled (every node Ready and untainted, every replica Running and Ready)", ct);

    public async Task<VirtualFailoverResult> Measure(int run, CancellationToken ct)
    {
        var state = await Settle(ct);
        var (victim, lost) = PodsByNode(state).MaxBy(n => n.Value.Count);
        var lastSignOfLife = await LastSignOfLife(victim, ct);
        var phases = new (string Name, Func<ClusterState, bool> Condition)[]
        {
            ("NotReady", NotReady(victim)), ("tainted", Tainted(victim)), ("evicted", Evicted(lost)), ("created", Created(deployments, victim)),
            ("scheduled", Scheduled(deployments, victim)), ("running", Replaced(deployments, victim)), ("gone", Collected(lost)),
        };
        var reached = new Dictionary<string, TimeSpan>();
        V1Node? lostNode = null;

        var killedAt = cluster.Clock.Now;
        cluster.Kill(victim);
        while (reached.Count < phases.Length)
        {
            state = await Read(ct);
            foreach (var (name, condition) in phases)
                if (!reached.ContainsKey(name) && condition(state))
                {
                    reached[name] = cluster.Clock.Now - killedAt;
                    if (name == "tainted") lostNode = state.Nodes[victim];
                }
            if (reached.Count == phases.Length) break;
            if (cluster.Clock.Now - killedAt > timeout)
                throw new TimeoutException($"{string.Join(", ", phases.Where(p => !reached.ContainsKey(p.Name)).Select(p => p.Name))} of {victim}: not within {timeout.TotalSeconds:F0} s of virtual time");
            await cluster.Clock.Advance(cluster.Clock.Step, ct);
        }

        var restartedAt = cluster.Clock.Now;
        cluster.Restart(victim);
        await Until(Rejoined(victim), $"{victim} Ready and untainted after its restart", ct);
        var rejoin = cluster.Clock.Now - restartedAt;

        var unknownAt = Utc(lostNode!.Status.Conditions.First(c => c.Type == "Ready").LastTransitionTime!.Value);
        var taintedAt = Utc(lostNode.Spec.Taints.First(t => t.Effect == "NoExecute").TimeAdded!.Value);
        var evictedAt = killedAt + reached["evicted"];
        return new VirtualFailoverResult(
            new FailoverResult(run, victim, lost.Count, reached["NotReady"], reached["tainted"], reached["evicted"], reached["created"],
                reached["scheduled"], reached["running"], reached["gone"], rejoin),
            unknownAt - lastSignOfLife, evictedAt - taintedAt, evictedAt - lastSignOfLife);
    }

    /// <summary>The later of the node's Lease renewal and its Ready heartbeat.</summary>
    private async Task<DateTimeOffset> LastSignOfLife(string node, CancellationToken ct)
    {
        var lease = await api.CoordinationV1.ReadNamespacedLeaseAsync(node, "kube-node-lease", cancellationToken: ct);
        var heartbeat = (await api.CoreV1.ReadNodeAsync(node, cancellationToken: ct)).Status.Conditions.First(c => c.Type == "Ready").LastHeartbeatTime;
        var renewed = lease.Spec.RenewTime;
        return Utc((renewed ?? DateTime.MinValue) > (heartbeat ?? DateTime.MinValue) ? renewed!.Value : heartbeat!.Value);
    }

    private async Task<ClusterState> Read(CancellationToken ct)
    {
        var nodes = await api.CoreV1.ListNodeAsync(cancellationToken: ct);
        var pods = await api.CoreV1.ListNamespacedPodAsync(FailoverWorkload.Namespace, cancellationToken: ct);
        return new ClusterState(nodes.Items.ToDictionary(n => n.Metadata.Name, StringComparer.Ordinal),
            pods.Items.ToDictionary(p => p.Metadata.Name, StringComparer.Ordinal));
    }

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
}
