using Akka.KubeEmu.Cluster.Downing;
using Xunit;

namespace Akka.KubeEmu.Tests.ClusterTests;

public sealed class ControlPlaneQuorumSpecs
{
    [Theory]
    // One control plane: its side downs a killed or cut-off node process; the nodes' side waits
    // when it is the control plane that is gone, instead of downing itself.
    [InlineData(1, 1, true, DowningDecision.DownUnreachable)]
    [InlineData(1, 0, false, DowningDecision.Wait)]
    // Three: the side with two of them wins, the side with one waits; never both.
    [InlineData(3, 3, true, DowningDecision.DownUnreachable)]
    [InlineData(3, 2, false, DowningDecision.DownUnreachable)]
    [InlineData(3, 1, true, DowningDecision.Wait)]
    [InlineData(3, 0, false, DowningDecision.Wait)]
    // A tie goes to the side with the oldest control plane (the one hosting the singletons).
    [InlineData(2, 1, true, DowningDecision.DownUnreachable)]
    [InlineData(2, 1, false, DowningDecision.Wait)]
    [InlineData(4, 2, true, DowningDecision.DownUnreachable)]
    [InlineData(4, 2, false, DowningDecision.Wait)]
    // No control plane known at all: nobody is entitled to down anybody.
    [InlineData(0, 0, false, DowningDecision.Wait)]
    public void The_side_holding_a_majority_of_the_control_planes_downs_the_other(int controlPlanes, int reachable, bool oldestReachable, DowningDecision expected) =>
        Assert.Equal(expected, ControlPlaneQuorum.Decide(controlPlanes, reachable, oldestReachable));
}
