namespace Akka.KubeEmu.Cluster.Downing;

/// <summary>What the side of a split that is responsible for downing does with the other side.</summary>
public enum DowningDecision
{
    /// <summary>Down every unreachable member: this side holds the control plane.</summary>
    DownUnreachable,

    /// <summary>Down nobody and wait: this side may be the one cut off, or its control plane died.</summary>
    Wait,
}

/// <summary>
/// keep-majority counted over the control-plane members only, except that a side without that
/// majority waits instead of downing itself. A crashed sole control plane therefore leaves its
/// node processes running (as kubelets keep their pods running while the API server is away)
/// until it comes back as a new incarnation; a node process cut off or killed is downed by the
/// side holding the control plane; and two sides can never both win, because at most one holds a
/// majority of the control planes (on a tie, the side with the oldest of them).
/// </summary>
public static class ControlPlaneQuorum
{
    /// <param name="controlPlanes">Control-plane members known to this side (reachable or not).</param>
    /// <param name="reachable">Those of them this side reaches.</param>
    /// <param name="oldestReachable">Whether the oldest control plane is among the reachable ones.</param>
    public static DowningDecision Decide(int controlPlanes, int reachable, bool oldestReachable)
    {
        if (controlPlanes == 0 || reachable == 0) return DowningDecision.Wait;
        if (reachable * 2 > controlPlanes) return DowningDecision.DownUnreachable;
        return reachable * 2 == controlPlanes && oldestReachable ? DowningDecision.DownUnreachable : DowningDecision.Wait;
    }
}
