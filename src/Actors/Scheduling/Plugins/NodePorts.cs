using Akka.KubeEmu.Actors.Scheduling.Framework;

namespace Akka.KubeEmu.Actors.Scheduling.Plugins;

/// <summary>
/// A pod's hostPorts must be free on the node: the same protocol and port on the same host IP,
/// or on 0.0.0.0 which overlaps every address, conflict. Preemption can free them.
/// </summary>
public sealed class NodePorts : IFilterPlugin
{
    public const string ErrReason = "node(s) didn't have free ports for the requested pod ports";

    public string Name => "NodePorts";

    // isSchedulableAfterPodDeleted: only a pod leaving frees a port.
    public ClusterEvent RequeueOn => ClusterEvent.NodeAdd | ClusterEvent.PodDelete;

    public FilterStatus Filter(PodInfo pod, NodeInfo node)
    {
        foreach (var port in pod.HostPorts)
            if (node.PortInUse(port)) return FilterStatus.Unschedulable(ErrReason);
        return FilterStatus.Success;
    }
}
