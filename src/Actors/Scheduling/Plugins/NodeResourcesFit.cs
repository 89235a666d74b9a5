using Akka.KubeEmu.Actors.Scheduling.Framework;

namespace Akka.KubeEmu.Actors.Scheduling.Plugins;

/// <summary>
/// Filters nodes whose allocatable cannot hold the pod's requests (containers, init containers
/// and overhead: PodRequests) on top of what is already requested there, and scores the rest by
/// the default LeastAllocated strategy (cpu and memory, weight 1 each).
/// </summary>
public sealed class NodeResourcesFit : IFilterPlugin, IScorePlugin
{
    public const string TooManyPods = "Too many pods";

    public string Name => "NodeResourcesFit";

    public ClusterEvent RequeueOn => ClusterEvent.NodeAdd | ClusterEvent.NodeUpdate | ClusterEvent.PodDelete;

    public int Weight => 1;

    public FilterStatus Filter(PodInfo pod, NodeInfo node)
    {
        var allocatable = node.Allocatable;
        var want = pod.Requests;
        var used = node.Requested;
        var tooManyPods = node.PodCount + 1 > node.AllowedPodNumber;
        var cpu = want.MilliCpu > 0 && used.MilliCpu + want.MilliCpu > allocatable.MilliCpu;
        var memory = want.Memory > 0 && used.Memory + want.Memory > allocatable.Memory;
        var storage = want.EphemeralStorage > 0 && used.EphemeralStorage + want.EphemeralStorage > allocatable.EphemeralStorage;
        if (!(tooManyPods || cpu || memory || storage)) return FilterStatus.Success; // the common case allocates nothing
        var reasons = new List<string>(4);
        if (tooManyPods) reasons.Add(TooManyPods);
        if (cpu) reasons.Add("Insufficient cpu");
        if (memory) reasons.Add("Insufficient memory");
        if (storage) reasons.Add("Insufficient ephemeral-storage");
        return new FilterStatus(Code.Unschedulable, reasons);
    }

    /// <summary>leastResourceScorer: the free share of each resource after the pod, averaged (pods without requests count as small ones).</summary>
    public long Score(PodInfo pod, NodeInfo node)
    {
        var allocatable = node.Allocatable;
        var after = node.NonZeroRequested + pod.NonZeroRequests;
        return (LeastAllocated(after.MilliCpu, allocatable.MilliCpu) + LeastAllocated(after.Memory, allocatable.Memory)) / 2;
    }

    private static long LeastAllocated(long requested, long capacity) =>
        capacity <= 0 || requested > capacity ? 0 : (capacity - requested) * 100 / capacity;
}
