using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.ReplicaSet;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.DaemonSet;

/// <summary>The counts of a DaemonSet's status (what `kubectl get ds` and `kubectl rollout status` read).</summary>
public sealed record DaemonSetCounts(
    int DesiredNumberScheduled,
    int CurrentNumberScheduled,
    int NumberMisscheduled,
    int NumberReady,
    int UpdatedNumberScheduled,
    int NumberAvailable,
    int NumberUnavailable)
{
    public static DaemonSetCounts Of(V1DaemonSetStatus? s) => new(
        s?.DesiredNumberScheduled ?? 0, s?.CurrentNumberScheduled ?? 0, s?.NumberMisscheduled ?? 0, s?.NumberReady ?? 0,
        s?.UpdatedNumberScheduled ?? 0, s?.NumberAvailable ?? 0, s?.NumberUnavailable ?? 0);
}

/// <summary>updateDaemonSetStatus: the counts, node by node, and the status written from them.</summary>
public static class DaemonSetStatuses
{
    /// <summary>
    /// For every node that should run the daemon: desired; with a pod there, current, and the oldest
    /// pod decides ready, available (ready for minReadySeconds) and updated (of the current revision).
    /// A node with a pod that should not run one counts as misscheduled. Unavailable is desired minus available.
    /// </summary>
    public static DaemonSetCounts Calculate(V1DaemonSet ds, IEnumerable<V1Node> nodes, IReadOnlyDictionary<string, List<V1Pod>> nodeToDaemonPods,
        string hash, DateTimeOffset now)
    {
        int desired = 0, current = 0, misscheduled = 0, ready = 0, updated = 0, available = 0;
        var minReady = ds.Spec?.MinReadySeconds ?? 0;
        var generation = DaemonPods.TemplateGeneration(ds);
        foreach (var node in nodes)
        {
            var shouldRun = NodeEligibility.ShouldRun(node, ds).ShouldRun;
            var scheduled = nodeToDaemonPods.TryGetValue(node.Metadata.Name, out var pods) && pods.Count > 0;
            if (!shouldRun)
            {
                if (scheduled) misscheduled++;
                continue;
            }
            desired++;
            if (!scheduled) continue;
            current++;
            var oldest = pods!.Order(DaemonPods.ByCreationTimestampAndPhase).First();
            if (PodStates.IsReady(oldest))
            {
                ready++;
                if (PodStates.IsAvailable(oldest, minReady, now)) available++;
            }
            if (DaemonPods.IsUpdated(oldest, hash, generation)) updated++;
        }
        return new DaemonSetCounts(desired, current, misscheduled, ready, updated, available, desired - available);
    }

    /// <summary>A copy of the DaemonSet with these counts (and observedGeneration when the sync observed a generation).</summary>
    public static V1DaemonSet WithCounts(V1DaemonSet ds, DaemonSetCounts counts, long? observedGeneration)
    {
        var copy = KubeModels.Clone(ds);
        var status = copy.Status ??= new V1DaemonSetStatus();
        if (observedGeneration is { } generation) status.ObservedGeneration = generation;
        status.DesiredNumberScheduled = counts.DesiredNumberScheduled;
        status.CurrentNumberScheduled = counts.CurrentNumberScheduled;
        status.NumberMisscheduled = counts.NumberMisscheduled;
        status.NumberReady = counts.NumberReady;
        // omitempty in apps/v1: zero counts are left out, as a real server shows them.
        status.UpdatedNumberScheduled = counts.UpdatedNumberScheduled == 0 ? null : counts.UpdatedNumberScheduled;
        status.NumberAvailable = counts.NumberAvailable == 0 ? null : counts.NumberAvailable;
        status.NumberUnavailable = counts.NumberUnavailable == 0 ? null : counts.NumberUnavailable;
        return copy;
    }

    /// <summary>storeDaemonSetStatus's check: nothing to write when the counts are the same and the generation observed.</summary>
    public static bool UpToDate(V1DaemonSet ds, DaemonSetCounts counts) =>
        DaemonSetCounts.Of(ds.Status) == counts && (ds.Status?.ObservedGeneration ?? 0) >= (ds.Metadata.Generation ?? 0);
}
