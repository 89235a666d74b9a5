using k8s.Models;

namespace Akka.KubeEmu.Host.Bench;

/// <summary>A Deployment the failover benchmark runs: its pods carry the label app=<see cref="Name"/>.</summary>
public sealed record BenchDeployment(string Name, int Replicas);

/// <summary>
/// The states a node failure goes through, as a user would judge them from `kubectl get nodes,pods`.
/// Pods are told apart by uid as well as by name, so a pod of the same name (there is none with
/// generated names, but a StatefulSet would have one) is not taken for the one lost.
/// </summary>
public static class FailoverConditions
{
    /// <summary>kubectl shows NotReady: the Ready condition is Unknown or False (or the Node is gone).</summary>
    public static Func<ClusterState, bool> NotReady(string node) => s => !s.Nodes.TryGetValue(node, out var n) || ReadyStatus(n) != "True";

    /// <summary>The node lifecycle controller's NoExecute taint for a lost node (unreachable, or not-ready) is on the Node: the tolerations' clock starts.</summary>
    public static Func<ClusterState, bool> Tainted(string node) =>
        s => s.Nodes.TryGetValue(node, out var n) && n.Spec?.Taints?.Any(t => t.Effect == "NoExecute" && t.Key is Unreachable or NotReadyTaint) == true;

    /// <summary>Every lost pod is marked for deletion (Terminating) or already gone.</summary>
    public static Func<ClusterState, bool> Evicted(IReadOnlyDictionary<string, string> lostUids) =>
        s => lostUids.All(l => !s.Pods.TryGetValue(l.Key, out var p) || p.Metadata.Uid != l.Value || p.Metadata.DeletionTimestamp is not null);

    /// <summary>Every lost pod is gone from the API (the pod garbage collector force-deletes them once their process left the cluster).</summary>
    public static Func<ClusterState, bool> Collected(IReadOnlyDictionary<string, string> lostUids) =>
        s => lostUids.All(l => !s.Pods.TryGetValue(l.Key, out var p) || p.Metadata.Uid != l.Value);

    /// <summary>Every Deployment has its replicas again as pods not Terminating and not on <paramref name="deadNode"/>: the ReplicaSet controller created the replacements.</summary>
    public static Func<ClusterState, bool> Created(IReadOnlyList<BenchDeployment> deployments, string deadNode) =>
        s => deployments.All(d => s.Pods.Values.Count(p => Owned(p, d) && p.Metadata.DeletionTimestamp is null && p.Spec.NodeName != deadNode) >= d.Replicas);

    /// <summary>As <see cref="Created"/>, and every one of them bound to a node: the scheduler placed the replacements.</summary>
    public static Func<ClusterState, bool> Scheduled(IReadOnlyList<BenchDeployment> deployments, string deadNode) =>
        s => deployments.All(d => s.Pods.Values.Count(p => Owned(p, d) && p.Metadata.DeletionTimestamp is null
                                                             && !string.IsNullOrEmpty(p.Spec.NodeName) && p.Spec.NodeName != deadNode) >= d.Replicas);

    /// <summary>Every Deployment has its replicas Running and Ready, none of them on <paramref name="deadNode"/> or Terminating.</summary>
    public static Func<ClusterState, bool> Replaced(IReadOnlyList<BenchDeployment> deployments, string deadNode) =>
        s => deployments.All(d => s.Pods.Values.Count(p => Serving(p, d) && p.Spec.NodeName != deadNode) >= d.Replicas);

    /// <summary>
    /// The state a run starts from: every Node Ready and untainted, exactly the wanted pods, all
    /// Running and Ready, nothing Terminating. A restarted node is back only once its taints are gone.
    /// </summary>
    public static Func<ClusterState, bool> Settled(IReadOnlyList<BenchDeployment> deployments, IReadOnlyCollection<string> nodes) =>
        s => nodes.All(n => s.Nodes.TryGetValue(n, out var node) && ReadyStatus(node) == "True" && (node.Spec?.Taints?.Count ?? 0) == 0)
             && s.Pods.Count == deployments.Sum(d => d.Replicas)
             && deployments.All(d => s.Pods.Values.Count(p => Serving(p, d)) == d.Replicas);

    /// <summary>Every node Ready: Deployments created before that would crowd onto the first node up.</summary>
    public static Func<ClusterState, bool> AllReady(IReadOnlyCollection<string> nodes) =>
        s => nodes.All(n => s.Nodes.TryGetValue(n, out var node) && ReadyStatus(node) == "True");

    /// <summary>Whether the Node is back: Ready, and the unreachable/not-ready taints the node lifecycle controller put on it removed.</summary>
    public static Func<ClusterState, bool> Rejoined(string node) =>
        s => s.Nodes.TryGetValue(node, out var n) && ReadyStatus(n) == "True" && (n.Spec?.Taints?.Count ?? 0) == 0;

    /// <summary>The pods on each node (not Terminating), for picking the busiest.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> PodsByNode(ClusterState s) =>
        s.Pods.Values.Where(p => p.Metadata.DeletionTimestamp is null && !string.IsNullOrEmpty(p.Spec.NodeName))
            .GroupBy(p => p.Spec.NodeName)
            .ToDictionary(g => g.Key, g => (IReadOnlyDictionary<string, string>)g.ToDictionary(p => p.Metadata.Name, p => p.Metadata.Uid));

    private const string Unreachable = "node.kubernetes.io/unreachable", NotReadyTaint = "node.kubernetes.io/not-ready";

    private static bool Owned(V1Pod p, BenchDeployment d) => p.Metadata.Labels?.TryGetValue("app", out var app) == true && app == d.Name;

    private static bool Serving(V1Pod p, BenchDeployment d) =>
        Owned(p, d) && p.Metadata.DeletionTimestamp is null && p.Status?.Phase == "Running"
        && p.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    private static string? ReadyStatus(V1Node n) => n.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status;
}
