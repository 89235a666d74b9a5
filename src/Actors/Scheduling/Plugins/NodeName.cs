using Akka.KubeEmu.Actors.Scheduling.Framework;

namespace Akka.KubeEmu.Actors.Scheduling.Plugins;

/// <summary>A pod that names its node (spec.nodeName) fits only there.</summary>
public sealed class NodeName : IFilterPlugin
{
    public const string ErrReason = "node(s) didn't match the requested node name";

    public string Name => "NodeName";

    public ClusterEvent RequeueOn => ClusterEvent.NodeAdd;

    public FilterStatus Filter(PodInfo pod, NodeInfo node) =>
        pod.NodeName is null || pod.NodeName == node.Name ? FilterStatus.Success : FilterStatus.Unresolvable(ErrReason);
}
