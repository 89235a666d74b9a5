using Akka.KubeEmu.Actors.Controllers.Deployment;
using Akka.KubeEmu.Actors.Controllers.ReplicaSet;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.DaemonSet;

/// <summary>What one rolling-update step does: pods to delete, nodes to give a new pod.</summary>
public sealed record RollingStep(IReadOnlyList<string> PodsToDelete, IReadOnlyList<string> NodesToCreate)
{
    public static readonly RollingStep None = new([], []);
}

/// <summary>
/// The DaemonSet's rollingUpdate (update.go) as a pure plan over the pods of each node. Without
/// surge, old pods are deleted while no more than maxUnavailable nodes are unavailable, and the
/// manage loop creates their successors; with surge, a new pod starts beside the old one on at most
/// maxSurge nodes, and the old one is deleted once the new one is available. An old pod that is not
/// available is replaced at once, whatever the limits.
/// </summary>
public static class RollingUpdate
{
    public const string Type = "RollingUpdate";

    public static bool IsRollingUpdate(V1DaemonSet ds) => (ds.Spec?.UpdateStrategy?.Type ?? Type) == Type;

    /// <summary>SurgeCount: maxSurge of <paramref name="desired"/> (percentages round up); 0 when not rolling.</summary>
    public static int SurgeCount(V1DaemonSet ds, int desired) =>
        IsRollingUpdate(ds) ? DeploymentUtil.ScaledValue(ds.Spec?.UpdateStrategy?.RollingUpdate?.MaxSurge, desired, roundUp: true) : 0;

    /// <summary>UnavailableCount: maxUnavailable of <paramref name="desired"/> (percentages round up too); 0 when not rolling.</summary>
    public static int UnavailableCount(V1DaemonSet ds, int desired) =>
        IsRollingUpdate(ds) ? DeploymentUtil.ScaledValue(ds.Spec?.UpdateStrategy?.RollingUpdate?.MaxUnavailable, desired, roundUp: true) : 0;

    /// <summary>AllowsSurge: more than one pod on a node is allowed during an update.</summary>
    public static bool AllowsSurge(V1DaemonSet ds)
    {
        try { return SurgeCount(ds, 1) > 0; }
        catch (FormatException) { return false; }
    }

    /// <param name="nodes">Every node, with whether the DaemonSet should run there.</param>
    /// <param name="nodeToDaemonPods">The DaemonSet's pods by target node (pods terminal and being deleted left out).</param>
    public static RollingStep Plan(V1DaemonSet ds, IReadOnlyList<(V1Node Node, bool ShouldRun)> nodes,
        IReadOnlyDictionary<string, List<V1Pod>> nodeToDaemonPods, string hash, DateTimeOffset now)
    {
        var byNode = new Dictionary<string, List<V1Pod>>(nodeToDaemonPods, StringComparer.Ordinal);
        var shouldRun = new Dictionary<string, bool>(StringComparer.Ordinal);
        var desired = 0;
        foreach (var (node, run) in nodes)
        {
            shouldRun[node.Metadata.Name] = run;
            if (!run) continue;
            desired++;
            byNode.TryAdd(node.Metadata.Name, []);
        }
        var maxSurge = SurgeCount(ds, desired);
        var maxUnavailable = UnavailableCount(ds, desired);
        // An impossible configuration (both 0, say after rounding) accepts unavailability, as Kubernetes does.
        if (desired > 0 && maxUnavailable == 0 && maxSurge == 0) maxUnavailable = 1;

        var minReady = ds.Spec?.MinReadySeconds ?? 0;
        var generation = DaemonPods.TemplateGeneration(ds);
        bool Available(V1Pod pod) => PodStates.IsAvailable(pod, minReady, now);
        // Go ranges over a map; a stable order here makes the choice of nodes reproducible.
        var ordered = byNode.OrderBy(p => p.Key, StringComparer.Ordinal).ToList();

        return maxSurge == 0
            ? WithoutSurge(ordered, hash, generation, maxUnavailable, Available)
            : WithSurge(ordered, shouldRun, desired, hash, generation, maxSurge, Available);
    }

    private static RollingStep WithoutSurge(List<KeyValuePair<string, List<V1Pod>>> byNode, string hash, long? generation,
        int maxUnavailable, Func<V1Pod, bool> available)
    {
        var numUnavailable = 0;
        var replacements = new List<string>();
        var candidates = new List<string>();
        foreach (var (_, pods) in byNode)
        {
            if (!FindUpdatedPodsOnNode(pods, hash, generation, out var newPod, out var oldPod))
            {
                // Excess pods: the manage loop prunes them; the node counts as unavailable meanwhile.
                numUnavailable++;
                continue;
            }
            switch (newPod, oldPod)
            {
                case (null, null) or (not null, not null):
                    numUnavailable++;
                    break;
                case (not null, null):
                    if (!available(newPod)) numUnavailable++;
                    break;
                default:
                    if (!available(oldPod!))
                    {
                        replacements.Add(oldPod!.Metadata.Name);
                        numUnavailable++;
                    }
                    else if (numUnavailable < maxUnavailable) candidates.Add(oldPod!.Metadata.Name);
                    break;
            }
        }
        var remaining = Math.Clamp(maxUnavailable - numUnavailable, 0, candidates.Count);
        return new RollingStep([.. replacements, .. candidates.Take(remaining)], []);
    }

    private static RollingStep WithSurge(List<KeyValuePair<string, List<V1Pod>>> byNode, Dictionary<string, bool> shouldRun, int desired,
        string hash, long? generation, int maxSurge, Func<V1Pod, bool> available)
    {
        var oldPodsToDelete = new List<string>();
        var shouldNotRunPodsToDelete = new List<string>();
        var candidateNewNodes = new List<string>();
        var allowedNewNodes = new List<string>();
        int numSurge = 0, numAvailable = 0;
        foreach (var (nodeName, pods) in byNode)
        {
            if (!FindUpdatedPodsOnNode(pods, hash, generation, out var newPod, out var oldPod))
            {
                numSurge++;
                continue;
            }
            // Availability counts on every node, also those the DaemonSet is leaving.
            if (oldPod is not null ? available(oldPod) : newPod is not null && available(newPod)) numAvailable++;

            if (oldPod is null) continue; // nothing to roll here: the manage loop creates or keeps the new pod
            var runsHere = shouldRun.GetValueOrDefault(nodeName);
            if (newPod is null)
            {
                if (!available(oldPod))
                {
                    if (!runsHere) oldPodsToDelete.Add(oldPod.Metadata.Name);
                    else allowedNewNodes.Add(nodeName);
                }
                else if (!runsHere) shouldNotRunPodsToDelete.Add(oldPod.Metadata.Name);
                else if (numSurge < maxSurge) candidateNewNodes.Add(nodeName);
                continue;
            }
            // Surged already: wait for the new pod, then let the old one go.
            if (!available(newPod)) numSurge++;
            else oldPodsToDelete.Add(oldPod.Metadata.Name);
        }

        // With surge the owner expects full availability: a pod on a node the DaemonSet is leaving
        // goes only once enough pods elsewhere are available.
        var deletable = Math.Min(numAvailable - desired, shouldNotRunPodsToDelete.Count);
        if (deletable > 0) oldPodsToDelete.AddRange(shouldNotRunPodsToDelete.Take(deletable));

        var remainingSurge = Math.Clamp(maxSurge - numSurge, 0, candidateNewNodes.Count);
        return new RollingStep(oldPodsToDelete, [.. allowedNewNodes, .. candidateNewNodes.Take(remainingSurge)]);
    }

    /// <summary>
    /// findUpdatedPodsOnNode: the node's one new and one old pod (not being deleted); false when
    /// there are more of either, which the manage loop resolves first.
    /// </summary>
    private static bool FindUpdatedPodsOnNode(List<V1Pod> pods, string hash, long? generation, out V1Pod? newPod, out V1Pod? oldPod)
    {
        newPod = null;
        oldPod = null;
        foreach (var pod in pods)
        {
            if (pod.Metadata.DeletionTimestamp is not null) continue;
            if (DaemonPods.IsUpdated(pod, hash, generation))
            {
                if (newPod is not null) return false;
                newPod = pod;
            }
            else
            {
                if (oldPod is not null) return false;
                oldPod = pod;
            }
        }
        return true;
    }
}
