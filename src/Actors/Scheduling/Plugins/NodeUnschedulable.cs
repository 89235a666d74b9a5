using Akka.KubeEmu.Actors.Scheduling.Framework;

namespace Akka.KubeEmu.Actors.Scheduling.Plugins;

/// <summary>Rejects cordoned nodes (spec.unschedulable) unless the pod tolerates the unschedulable taint.</summary>
public sealed class NodeUnschedulable : IFilterPlugin
{
    public const string ErrReasonUnschedulable = "node(s) were unschedulable";

    public string Name => "NodeUnschedulable";

    public ClusterEvent RequeueOn => ClusterEvent.NodeAdd | ClusterEvent.NodeUpdate;

    public FilterStatus Filter(PodInfo pod, NodeInfo node)
    {
        if (node.Node.Spec?.Unschedulable != true) return FilterStatus.Success;
        var tolerated = pod.Pod.Spec?.Tolerations?.Any(t =>
            TaintToleration.Tolerates(t, "node.kubernetes.io/unschedulable", null, "NoSchedule")) == true;
        return tolerated ? FilterStatus.Success : FilterStatus.Unresolvable(ErrReasonUnschedulable);
    }
}
