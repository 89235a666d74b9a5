using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.ReplicaSet;

/// <summary>
/// Which pods a ReplicaSet deletes first when it scales down (pkg/controller's ActivePodsWithRanks
/// and the ReplicaSet controller's getPodsToDelete), with the PodDeletionCost and LogarithmicScaleDown
/// behaviour of Kubernetes v1.32 (both on). Pure: the caller passes the clock.
/// </summary>
public static class PodDeletionOrder
{
    /// <summary>Pods with a lower cost are deleted first (an int32; anything unparsable counts as 0).</summary>
    public const string DeletionCostAnnotation = "controller.kubernetes.io/pod-deletion-cost";

    /// <summary>
    /// The <paramref name="diff"/> pods of <paramref name="pods"/> to delete. The rank of a pod is the
    /// number of active <paramref name="related"/> pods on its node (pods of every ReplicaSet with the
    /// same controller): pods on crowded nodes go first.
    /// </summary>
    public static IReadOnlyList<V1Pod> PodsToDelete(IReadOnlyList<V1Pod> pods, IReadOnlyList<V1Pod> related, int diff, DateTimeOffset now)
    {
        if (diff >= pods.Count) return pods.ToArray();
        return Sort(pods, RanksByRelatedPodsOnSameNode(pods, related), now).Take(diff).ToArray();
    }

    /// <summary>getPodsRankedByRelatedPodsOnSameNode: for each pod, the active related pods on its node.</summary>
    public static int[] RanksByRelatedPodsOnSameNode(IReadOnlyList<V1Pod> pods, IReadOnlyList<V1Pod> related)
    {
        var onNode = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var pod in related)
            if (PodStates.IsActive(pod))
                onNode[Node(pod)] = onNode.GetValueOrDefault(Node(pod)) + 1;
        return pods.Select(p => onNode.GetValueOrDefault(Node(p))).ToArray();
    }

    /// <summary>The pods in deletion order (first = deleted first); <paramref name="ranks"/> parallel to <paramref name="pods"/>.</summary>
    public static IReadOnlyList<V1Pod> Sort(IReadOnlyList<V1Pod> pods, IReadOnlyList<int> ranks, DateTimeOffset? now)
    {
        var ranked = pods.Select((p, i) => (Pod: p, Rank: ranks[i])).ToArray();
        var comparer = Comparer<(V1Pod Pod, int Rank)>.Create((a, b) =>
            Less(a.Pod, a.Rank, b.Pod, b.Rank, now) ? -1 : Less(b.Pod, b.Rank, a.Pod, a.Rank, now) ? 1 : 0);
        return ranked.OrderBy(r => r, comparer).Select(r => r.Pod).ToArray();
    }

    /// <summary>
    /// ActivePodsWithRanks.Less: true when <paramref name="a"/> should be deleted before <paramref name="b"/>.
    /// <list type="number">
    /// <item>unassigned before assigned;</item>
    /// <item>Pending before Unknown before Running;</item>
    /// <item>not ready before ready;</item>
    /// <item>lower pod-deletion-cost first;</item>
    /// <item>higher rank (more related pods on the same node) first;</item>
    /// <item>both ready: ready for less time first;</item>
    /// <item>more container restarts first;</item>
    /// <item>newer first.</item>
    /// </list>
    /// Times (6 and 8) compare on a log2 scale of their age at <paramref name="now"/>: equally old
    /// pods within a power of two are ordered by uid, which spreads deletions pseudo-randomly.
    /// Without <paramref name="now"/> they compare exactly.
    /// </summary>
    public static bool Less(V1Pod a, int rankA, V1Pod b, int rankB, DateTimeOffset? now)
    {
        var nodeA = Node(a);
        var nodeB = Node(b);
        if (nodeA != nodeB && (nodeA.Length == 0 || nodeB.Length == 0)) return nodeA.Length == 0;

        var phaseA = PhaseOrdinal(a);
        var phaseB = PhaseOrdinal(b);
        if (phaseA != phaseB) return phaseA < phaseB;

        var readyA = PodStates.IsReady(a);
        var readyB = PodStates.IsReady(b);
        if (readyA != readyB) return !readyA;

        var costA = DeletionCost(a);
        var costB = DeletionCost(b);
        if (costA != costB) return costA < costB;

        if (rankA != rankB) return rankA > rankB;

        if (readyA && readyB)
        {
            var sinceA = PodStates.ReadySince(a);
            var sinceB = PodStates.ReadySince(b);
            if (sinceA != sinceB) return NewerFirst(a, sinceA, b, sinceB, now);
        }

        var restartsA = PodStates.MaxContainerRestarts(a);
        var restartsB = PodStates.MaxContainerRestarts(b);
        if (restartsA != restartsB) return restartsA > restartsB;

        var createdA = PodStates.Utc(a.Metadata?.CreationTimestamp);
        var createdB = PodStates.Utc(b.Metadata?.CreationTimestamp);
        if (createdA != createdB) return NewerFirst(a, createdA, b, createdB, now);
        return false;
    }

    /// <summary>controller.kubernetes.io/pod-deletion-cost as GetDeletionCostFromPodAnnotations reads it.</summary>
    public static int DeletionCost(V1Pod pod)
    {
        if (pod.Metadata?.Annotations?.TryGetValue(DeletionCostAnnotation, out var value) != true || string.IsNullOrEmpty(value)) return 0;
        // "+10" and "008" are not valid: only '-', a lone "0" or 1-9 may start the value.
        var first = value[0];
        if (!(first == '-' || value == "0" || first is >= '1' and <= '9')) return 0;
        return int.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var cost) ? cost : 0;
    }

    private static string Node(V1Pod pod) => pod.Spec?.NodeName ?? "";

    private static int PhaseOrdinal(V1Pod pod) => pod.Status?.Phase switch
    {
        "Unknown" => 1,
        "Running" => 2,
        _ => 0,
    };

    /// <summary>Unknown (zero) times first, then the more recent; on the log scale ties go to the lower uid.</summary>
    private static bool NewerFirst(V1Pod a, DateTimeOffset? timeA, V1Pod b, DateTimeOffset? timeB, DateTimeOffset? now)
    {
        if (timeA is null || timeB is null) return timeA is null;
        if (now is null) return timeA > timeB;
        var diff = LogRank(now.Value - timeA.Value) - LogRank(now.Value - timeB.Value);
        if (diff == 0) return string.CompareOrdinal(a.Metadata?.Uid, b.Metadata?.Uid) < 0;
        return diff < 0;
    }

    /// <summary>floor(log2(age in nanoseconds)), -1 for an age that is not positive (logarithmicRankDiff).</summary>
    private static long LogRank(TimeSpan age) => age.Ticks > 0 ? (long)Math.Log2(age.Ticks * 100.0) : -1;
}
