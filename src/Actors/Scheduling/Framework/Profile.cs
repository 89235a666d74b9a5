using Akka.KubeEmu.Actors.Scheduling.Plugins;

namespace Akka.KubeEmu.Actors.Scheduling.Framework;

/// <summary>
/// The default-scheduler profile (apis/config/v1 getDefaultPlugins): the plugins in kube-scheduler's
/// order, which decides which reason a node is counted under (the first filter to reject it),
/// and the score weights: TaintToleration 3, NodeAffinity 2, PodTopologySpread 2,
/// InterPodAffinity 2, NodeResourcesFit 1, NodeResourcesBalancedAllocation 1.
/// VolumeBinding's PreFilter and DefaultPreemption's PostFilter are called by the scheduler itself.
/// </summary>
public sealed class Profile
{
    private Profile(IReadOnlyList<IFilterPlugin> filters, IReadOnlyList<IScorePlugin> scorers, IReadOnlyList<ICyclePlugin> cyclePlugins)
    {
        Filters = filters;
        Scorers = scorers;
        CyclePlugins = cyclePlugins;
    }

    public IReadOnlyList<IFilterPlugin> Filters { get; }
    public IReadOnlyList<IScorePlugin> Scorers { get; }
    public IReadOnlyList<ICyclePlugin> CyclePlugins { get; }

    /// <param name="systemDefaultSpreading">PodTopologySpread's system default constraints for pods of a controller (as kube-scheduler's default profile).</param>
    /// <param name="volumeRestrictions">VolumeRestrictions (it reads the claims); none in specs that do not need it.</param>
    public static Profile Default(bool systemDefaultSpreading = false, IFilterPlugin? volumeRestrictions = null)
    {
        var taints = new TaintToleration();
        var nodeAffinity = new NodeAffinity();
        var fit = new NodeResourcesFit();
        var spread = new PodTopologySpread(systemDefaultSpreading);
        var interPod = new InterPodAffinity();
        return new Profile(
            [new NodeUnschedulable(), new NodeName(), taints, nodeAffinity, new NodePorts(), fit, .. (volumeRestrictions is null ? Array.Empty<IFilterPlugin>() : new[] { volumeRestrictions }), spread, interPod],
            [taints, nodeAffinity, fit, spread, interPod, new NodeResourcesBalancedAllocation()],
            [spread, interPod]);
    }
}
