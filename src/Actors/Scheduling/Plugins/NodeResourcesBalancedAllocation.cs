using Akka.KubeEmu.Actors.Scheduling.Framework;

namespace Akka.KubeEmu.Actors.Scheduling.Plugins;

/// <summary>
/// Favours nodes whose cpu and memory would be used in equal shares with the pod:
/// score = (1 - standard deviation of the two fractions) * 100, with the actual requests.
/// </summary>
public sealed class NodeResourcesBalancedAllocation : IScorePlugin
{
    public string Name => "NodeResourcesBalancedAllocation";

    public ClusterEvent RequeueOn => ClusterEvent.None;

    public int Weight => 1;

    public long Score(PodInfo pod, NodeInfo node)
    {
        var allocatable = node.Allocatable;
        var after = node.Requested + pod.Requests;
        var cpu = Fraction(after.MilliCpu, allocatable.MilliCpu);
        var memory = Fraction(after.Memory, allocatable.Memory);
        // With two resources the standard deviation is half their difference.
        var std = Math.Abs(cpu - memory) / 2;
        return (long)((1 - std) * ScoreNormalizer.MaxNodeScore);
    }

    private static double Fraction(long requested, long capacity) =>
        capacity <= 0 ? 0 : Math.Min(1, (double)requested / capacity);
}
