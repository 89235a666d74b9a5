using Akka.KubeEmu.Cluster.Membership;

namespace Akka.KubeEmu.Actors.Controllers.NodeLifecycle;

/// <summary>
/// What the controller knows about each node's heartbeats (the node lifecycle controller's
/// nodeHealthMap): the cluster membership of the process hosting it (fast signal) and when, by the
/// controller's own clock, it last saw the node's Lease renewed or its Ready heartbeat move
/// (Kubernetes' probe timestamp, kept for processes that live but stop heartbeating).
/// A heartbeat seen after the process turned unreachable outweighs that signal: a thawed process
/// posts its status before the failure detectors hear from it again, and its node must not flap
/// back to Unknown meanwhile.
/// Thread-safe: event handlers write it, syncs read it.
/// </summary>
public sealed class NodeHealthTracker
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, MemberHealthStatus> _members = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _unreachableSince = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Probe> _probes = new(StringComparer.Ordinal);

    public void OnMember(MemberHealth health, DateTimeOffset now)
    {
        var status = health.Status == MemberHealthStatus.Reachable ? MemberHealthStatus.Up : health.Status;
        lock (_lock)
        {
            if (status != MemberHealthStatus.Unreachable) _unreachableSince.Remove(health.Address);
            else if (!_unreachableSince.ContainsKey(health.Address)) _unreachableSince[health.Address] = now;
            _members[health.Address] = status;
        }
    }

    /// <summary>
    /// Lost as far as membership tells: the process is gone, or unreachable and no heartbeat of the
    /// node was observed since it became so.
    /// </summary>
    public bool LostByMembership(string node, string? address)
    {
        if (address is null) return false;
        lock (_lock)
        {
            if (!_members.TryGetValue(address, out var status)) return false;
            if (status == MemberHealthStatus.Removed) return true;
            if (status != MemberHealthStatus.Unreachable) return false;
            return !_probes.TryGetValue(node, out var p) || p.ObservedAt <= _unreachableSince[address];
        }
    }

    public MemberHealthStatus? Member(string? address)
    {
        if (address is null) return null;
        lock (_lock) return _members.TryGetValue(address, out var s) ? s : null;
    }

    /// <summary>Records a lease renewTime; returns whether it is a renewal not seen before (the probe time moved).</summary>
    public bool OnLease(string node, string? renewTime, DateTimeOffset now)
    {
        lock (_lock)
        {
            _probes.TryGetValue(node, out var p);
            if (p is not null && p.RenewTime == renewTime) return false;
            _probes[node] = (p ?? new Probe(now)) with { RenewTime = renewTime, ObservedAt = now };
            return true;
        }
    }

    /// <summary>Records the Ready condition's lastHeartbeatTime; a new one moves the probe time.</summary>
    public bool OnNodeStatus(string node, string? heartbeat, DateTimeOffset now)
    {
        lock (_lock)
        {
            _probes.TryGetValue(node, out var p);
            if (p is not null && p.Heartbeat == heartbeat) return false;
            _probes[node] = (p ?? new Probe(now)) with { Heartbeat = heartbeat, ObservedAt = now };
            return true;
        }
    }

    /// <summary>The last heartbeat as observed here; first sight counts, like the real controller's probe timestamp.</summary>
    public DateTimeOffset LastObserved(string node, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (!_probes.TryGetValue(node, out var p)) _probes[node] = p = new Probe(now);
            return p.ObservedAt;
        }
    }

    public void Forget(string node)
    {
        lock (_lock) _probes.Remove(node);
    }

    private sealed record Probe(DateTimeOffset ObservedAt, string? RenewTime = null, string? Heartbeat = null);
}
