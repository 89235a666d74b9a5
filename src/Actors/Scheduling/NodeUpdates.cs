using k8s.Models;

namespace Akka.KubeEmu.Actors.Scheduling;

/// <summary>
/// kube-scheduler's nodeSchedulingPropertiesChange: which Node updates are cluster events that may
/// help an unschedulable pod. A change of allocatable, labels, taints, spec.unschedulable or of
/// a condition's status is; a heartbeat (lastHeartbeatTime, images, the status report) is not, so
/// thousands of nodes posting status never wake the unschedulable pods.
/// </summary>
public static class NodeUpdates
{
    public static bool ChangesSchedulingProperties(V1Node old, V1Node cur) =>
        (old.Spec?.Unschedulable ?? false) != (cur.Spec?.Unschedulable ?? false)
        || !SameQuantities(old.Status?.Allocatable, cur.Status?.Allocatable)
        || !SameMap(old.Metadata?.Labels, cur.Metadata?.Labels)
        || !SameTaints(old.Spec?.Taints, cur.Spec?.Taints)
        || !SameConditionStatuses(old.Status?.Conditions, cur.Status?.Conditions);

    private static bool SameQuantities(IDictionary<string, ResourceQuantity>? a, IDictionary<string, ResourceQuantity>? b)
    {
        if ((a?.Count ?? 0) != (b?.Count ?? 0)) return false;
        if (a is null || b is null) return true;
        foreach (var (k, v) in a)
            if (!b.TryGetValue(k, out var w) || v?.ToDecimal() != w?.ToDecimal()) return false;
        return true;
    }

    private static bool SameMap(IDictionary<string, string>? a, IDictionary<string, string>? b)
    {
        if ((a?.Count ?? 0) != (b?.Count ?? 0)) return false;
        if (a is null || b is null) return true;
        foreach (var (k, v) in a)
            if (!b.TryGetValue(k, out var w) || v != w) return false;
        return true;
    }

    private static bool SameTaints(IList<V1Taint>? a, IList<V1Taint>? b)
    {
        if ((a?.Count ?? 0) != (b?.Count ?? 0)) return false;
        if (a is null || b is null) return true;
        for (var i = 0; i < a.Count; i++)
            if (a[i].Key != b[i].Key || a[i].Value != b[i].Value || a[i].Effect != b[i].Effect || a[i].TimeAdded != b[i].TimeAdded)
                return false;
        return true;
    }

    // Conditions compared by type and status only: heartbeat and transition times are not scheduling properties.
    private static bool SameConditionStatuses(IList<V1NodeCondition>? a, IList<V1NodeCondition>? b)
    {
        static Dictionary<string, string> Strip(IList<V1NodeCondition>? conditions)
        {
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var c in conditions ?? []) map[c.Type] = c.Status;
            return map;
        }
        return SameMap(Strip(a), Strip(b));
    }
}
