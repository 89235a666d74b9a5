using Akka.KubeEmu.Actors.Scheduling.Framework;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Scheduling.Plugins;

/// <summary>
/// Rejects nodes with a NoSchedule or NoExecute taint the pod does not tolerate; scores nodes by
/// how few PreferNoSchedule taints the pod does not tolerate (reversed and normalised).
/// </summary>
public sealed class TaintToleration : IFilterPlugin, IScorePlugin
{
    public string Name => "TaintToleration";

    public ClusterEvent RequeueOn => ClusterEvent.NodeAdd | ClusterEvent.NodeUpdate;

    // Filter and Score run for every node a pod is checked against: a node without taints (most of
    // them) costs no allocation, and taints are walked by index, not through a boxed enumerator.
    public FilterStatus Filter(PodInfo pod, NodeInfo node)
    {
        if (node.Node.Spec?.Taints is not { Count: > 0 } taints) return FilterStatus.Success;
        for (var i = 0; i < taints.Count; i++)
        {
            var taint = taints[i];
            if (taint.Effect is not ("NoSchedule" or "NoExecute")) continue;
            if (pod.Pod.Spec?.Tolerations?.Any(t => Tolerates(t, taint.Key, taint.Value, taint.Effect)) == true) continue;
            return FilterStatus.Unresolvable($"node(s) had untolerated taint {{{taint.Key}: {taint.Value}}}");
        }
        return FilterStatus.Success;
    }

    public int Weight => 3;

    public long Score(PodInfo pod, NodeInfo node)
    {
        if (node.Node.Spec?.Taints is not { Count: > 0 } taints) return 0;
        long intolerable = 0;
        for (var i = 0; i < taints.Count; i++)
        {
            var taint = taints[i];
            if (taint.Effect != "PreferNoSchedule") continue;
            // Only the tolerations meant for PreferNoSchedule (or for every effect) count here.
            if (pod.Pod.Spec?.Tolerations?.Any(t => t.Effect is null or "" or "PreferNoSchedule" && Tolerates(t, taint.Key, taint.Value, taint.Effect)) == true) continue;
            intolerable++;
        }
        return intolerable;
    }

    public void Normalize(PodInfo pod, long[] scores) => ScoreNormalizer.Default(scores, reverse: true);

    /// <summary>v1.Toleration.ToleratesTaint.</summary>
    public static bool Tolerates(V1Toleration t, string key, string? value, string effect)
    {
        if (!string.IsNullOrEmpty(t.Effect) && t.Effect != effect) return false;
        if (!string.IsNullOrEmpty(t.Key) && t.Key != key) return false;
        return t.OperatorProperty switch
        {
            "Exists" => true,
            null or "" or "Equal" => (t.Value ?? "") == (value ?? ""),
            _ => false,
        };
    }
}
