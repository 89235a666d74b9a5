using Akka.KubeEmu.Cluster.Membership;

namespace Akka.KubeEmu.Actors.Controllers.NodeLifecycle;

/// <summary>
/// What the controller knows about each node's heartbeats: the cluster membership of the
/// process hosting it (fast signal) and when, by the controller's own clock, its Lease was
/// last seen renewed (Kubernetes' signal, kept for processes that live but stop heartbeating).
/// </summary>
public sealed class NodeHealthTracker
{
    private readonly Dictionary<string, MemberHealthStatus> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string? RenewTime, DateTimeOffset ObservedAt)> _probes = new(StringComparer.Ordinal);

    public void OnMember(MemberHealth health)
    {
        _members[health.Address] = health.Status == MemberHealthStatus.Reachable ? MemberHealthStatus.Up : health.Status;
    }

    public MemberHealthStatus? Member(string? address) =>
        address is not null && _members.TryGetValue(address, out var s) ? s : null;

    /// <summary>Records a lease renewTime; the probe time moves only when the renewal is new.</summary>
    public void OnLease(string node, string? renewTime, DateTimeOffset now)
    {
        if (_probes.TryGetValue(node, out var p) && p.RenewTime == renewTime) return;
        _probes[node] = (renewTime, now);
    }

    /// <summary>The last heartbeat as observed here; first sight counts, like the real controller's probe timestamp.</summary>
    public DateTimeOffset LastObserved(string node, DateTimeOffset now)
    {
        if (!_probes.TryGetValue(node, out var p)) _probes[node] = p = (null, now);
        return p.ObservedAt;
    }

    public void Forget(string node) => _probes.Remove(node);
}
