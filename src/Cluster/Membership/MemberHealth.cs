namespace Akka.KubeEmu.Cluster.Membership;

public enum MemberHealthStatus
{
    /// <summary>The member joined and is Up (or WeaklyUp).</summary>
    Up,
    /// <summary>The failure detector lost it.</summary>
    Unreachable,
    /// <summary>It was unreachable and answers again.</summary>
    Reachable,
    /// <summary>It left, was downed or removed: the process is gone for good.</summary>
    Removed,
}

/// <summary>
/// The one signal the cluster layer gives the Kubernetes layer: a process (an Akka address)
/// changed health. The NodeLifecycleController maps addresses to Nodes.
/// </summary>
public sealed record MemberHealth(string Address, IReadOnlyList<string> Roles, MemberHealthStatus Status);
