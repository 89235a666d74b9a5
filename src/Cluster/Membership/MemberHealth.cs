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

/// <summary>
/// Sent once after the <see cref="MemberHealth"/> of every current member: from then on, an
/// address that has had no signal is not a member (its process is gone, e.g. removed before a
/// control-plane restart).
/// </summary>
public sealed record MembershipSynced
{
    public static readonly MembershipSynced Instance = new();
}
