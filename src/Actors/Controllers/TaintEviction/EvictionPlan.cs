using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.TaintEviction;

/// <summary>
/// When a pod must leave a node with NoExecute taints (pkg/controller/tainteviction): at once
/// if some taint is not tolerated, after the shortest tolerationSeconds counted from the
/// taint's timeAdded if all are tolerated for a while, never if all are tolerated forever.
/// </summary>
public static class EvictionPlan
{
    /// <returns>null: no eviction; otherwise the moment to evict.</returns>
    public static DateTimeOffset? EvictAt(V1Pod pod, IReadOnlyList<V1Taint> noExecuteTaints, DateTimeOffset now)
    {
        if (noExecuteTaints.Count == 0) return null;
        var tolerations = pod.Spec?.Tolerations ?? [];
        DateTimeOffset? earliest = null;
        foreach (var taint in noExecuteTaints)
        {
            var matching = tolerations.Where(t => Tolerates(t, taint)).ToArray();
            if (matching.Length == 0) return now;
            if (matching.Any(t => t.TolerationSeconds is null)) continue; // tolerated forever by at least one toleration
            var added = taint.TimeAdded is { } t ? Utc(t) : now;
            var at = added.AddSeconds(Math.Max(0, matching.Min(m => m.TolerationSeconds!.Value)));
            if (earliest is null || at < earliest) earliest = at;
        }
        return earliest;
    }

    public static IReadOnlyList<V1Taint> NoExecuteTaints(V1Node? node) =>
        node?.Spec?.Taints?.Where(t => t.Effect == "NoExecute").ToArray() ?? [];

    /// <summary>The NoExecute taints of two versions of a node are the same (taints, values and times).</summary>
    public static bool SameTaints(IReadOnlyList<V1Taint> a, IReadOnlyList<V1Taint> b)
    {
        if (a.Count != b.Count) return false;
        for (var i = 0; i < a.Count; i++)
            if (a[i].Key != b[i].Key || a[i].Value != b[i].Value || a[i].Effect != b[i].Effect || a[i].TimeAdded != b[i].TimeAdded)
                return false;
        return true;
    }

    /// <summary>The pods' tolerations are the same.</summary>
    public static bool SameTolerations(IList<V1Toleration>? a, IList<V1Toleration>? b)
    {
        if ((a?.Count ?? 0) != (b?.Count ?? 0)) return false;
        if (a is null || b is null) return true;
        for (var i = 0; i < a.Count; i++)
            if (a[i].Key != b[i].Key || a[i].OperatorProperty != b[i].OperatorProperty || a[i].Value != b[i].Value
                || a[i].Effect != b[i].Effect || a[i].TolerationSeconds != b[i].TolerationSeconds)
                return false;
        return true;
    }

    private static DateTimeOffset Utc(DateTime t) =>
        t.Kind == DateTimeKind.Local ? new DateTimeOffset(t.ToUniversalTime()) : new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc));

    private static bool Tolerates(V1Toleration toleration, V1Taint taint)
    {
        if (!string.IsNullOrEmpty(toleration.Effect) && toleration.Effect != "NoExecute") return false;
        if (!string.IsNullOrEmpty(toleration.Key) && toleration.Key != taint.Key) return false;
        return toleration.OperatorProperty switch
        {
            "Exists" => true,
            null or "" or "Equal" => (toleration.Value ?? "") == (taint.Value ?? ""),
            _ => false,
        };
    }
}
