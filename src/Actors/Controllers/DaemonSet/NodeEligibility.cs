using Akka.KubeEmu.Actors.Scheduling.Plugins;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.DaemonSet;

/// <summary>
/// NodeShouldRunDaemonPod: whether a DaemonSet wants a pod on a node, asked of the pod the node would
/// get (the template with the daemon tolerations):
/// <list type="bullet">
/// <item>ShouldRun: the template's nodeName (if any) is the node, its node selector and required node
/// affinity match the node's labels and name, and it tolerates every NoSchedule and NoExecute taint;</item>
/// <item>ShouldContinueRunning: a pod already there may stay: the same, except that untolerated
/// NoSchedule taints do not count (only an untolerated NoExecute taint drives a daemon pod away).</item>
/// </list>
/// Readiness, conditions and cordoning do not matter: daemon pods tolerate them.
/// </summary>
public static class NodeEligibility
{
    public readonly record struct Verdict(bool ShouldRun, bool ShouldContinueRunning);

    public static Verdict ShouldRun(V1Node node, V1DaemonSet ds)
    {
        var spec = PodSpecFor(ds);
        var nodeName = node.Metadata?.Name ?? "";
        if (!string.IsNullOrEmpty(spec.NodeName) && spec.NodeName != nodeName) return new Verdict(false, false);
        if (!NodeAffinity.Matches(spec, node)) return new Verdict(false, false);

        var taints = node.Spec?.Taints ?? [];
        if (!HasUntolerated(taints, spec, effect => effect is "NoSchedule" or "NoExecute")) return new Verdict(true, true);
        return new Verdict(false, !HasUntolerated(taints, spec, effect => effect == "NoExecute"));
    }

    /// <summary>NewPod's spec: the template's, with the tolerations every daemon pod gets.</summary>
    private static V1PodSpec PodSpecFor(V1DaemonSet ds)
    {
        var template = ds.Spec?.Template?.Spec;
        var spec = new V1PodSpec
        {
            NodeName = template?.NodeName,
            NodeSelector = template?.NodeSelector,
            Affinity = template?.Affinity,
            HostNetwork = template?.HostNetwork,
            Tolerations = template?.Tolerations?.ToList() ?? [],
        };
        DaemonPods.AddOrUpdateTolerations(spec);
        return spec;
    }

    /// <summary>FindMatchingUntoleratedTaint among the taints whose effect <paramref name="considered"/> accepts.</summary>
    private static bool HasUntolerated(IEnumerable<V1Taint> taints, V1PodSpec spec, Func<string?, bool> considered) =>
        taints.Any(t => considered(t.Effect)
                        && !(spec.Tolerations ?? []).Any(tol => TaintToleration.Tolerates(tol, t.Key, t.Value, t.Effect)));

    /// <summary>
    /// shouldIgnoreNodeUpdate, narrowed to what <see cref="ShouldRun"/> reads: a heartbeat (condition
    /// times, resources, images) changes neither labels, taints, the name nor which conditions are True.
    /// </summary>
    public static bool SameForDaemons(V1Node old, V1Node cur) =>
        SameMap(old.Metadata?.Labels, cur.Metadata?.Labels)
        && old.Metadata?.Name == cur.Metadata?.Name
        && old.Spec?.Unschedulable == cur.Spec?.Unschedulable
        && SameTaints(old.Spec?.Taints, cur.Spec?.Taints)
        && TrueConditions(old).SetEquals(TrueConditions(cur));

    private static HashSet<string> TrueConditions(V1Node node) =>
        (node.Status?.Conditions ?? []).Where(c => c.Status == "True").Select(c => c.Type).ToHashSet(StringComparer.Ordinal);

    private static bool SameTaints(IList<V1Taint>? a, IList<V1Taint>? b)
    {
        var left = a ?? [];
        var right = b ?? [];
        return left.Count == right.Count
               && left.Zip(right).All(p => p.Item1.Key == p.Item2.Key && p.Item1.Value == p.Item2.Value && p.Item1.Effect == p.Item2.Effect);
    }

    private static bool SameMap(IDictionary<string, string>? a, IDictionary<string, string>? b)
    {
        if ((a?.Count ?? 0) != (b?.Count ?? 0)) return false;
        if (a is null || b is null) return true;
        return a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);
    }
}
