using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.KubeEmu.Cluster.Bootstrap;

namespace Akka.KubeEmu.Cluster.Downing;

/// <summary>
/// The downing actor every member runs; only the leader of a side acts. A member unreachable for
/// <see cref="DowningSettings.StableAfter"/> without a break is due; the leader applies
/// <see cref="ControlPlaneQuorum"/> to the due members: it downs them, or waits. Each member has
/// its own clock, so that another member's flapping (heartbeats late on a loaded machine) never
/// postpones the downing of a process that is really gone. An unreachable control plane whose
/// port refuses connections is gone for sure (<see cref="ProcessProbe"/>) and due at once: the
/// singletons it ran move without waiting out a stable-after meant for processes merely paused.
/// </summary>
public sealed class ControlPlaneDowning : ReceiveActor, IWithTimers
{
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly DowningSettings _settings;
    private static readonly TimeSpan ReprobeInterval = TimeSpan.FromSeconds(1);
    private readonly HashSet<UniqueAddress> _due = [];
    private bool _waiting;

    public ControlPlaneDowning(DowningSettings settings)
    {
        _settings = settings;
        Receive<ClusterEvent.CurrentClusterState>(s =>
        {
            foreach (var m in s.Unreachable) Unreachable(m);
        });
        Receive<ClusterEvent.UnreachableMember>(e => Unreachable(e.Member));
        Receive<ClusterEvent.ReachableMember>(e => Forget(e.Member));
        Receive<ClusterEvent.MemberRemoved>(e => Forget(e.Member));
        Receive<ClusterEvent.MemberJoined>(e => Replaces(e.Member));
        Receive<ClusterEvent.MemberWeaklyUp>(e => Replaces(e.Member));
        Receive<ClusterEvent.LeaderChanged>(_ => Decide());
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
        Receive<Stable>(s =>
        {
            _due.Add(s.Member);
            Decide();
        });
        Receive<Probed>(p => OnProbed(p.Member, p.Result));
        Receive<Reprobe>(p =>
        {
            if (Timers.IsTimerActive(p.Member)) Probe(p);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(DowningSettings settings) => Akka.Actor.Props.Create(() => new ControlPlaneDowning(settings));

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.LeaderChanged));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Unreachable(Member member)
    {
        if (!Timers.IsTimerActive(member.UniqueAddress) && !_due.Contains(member.UniqueAddress))
        {
            Timers.StartSingleTimer(member.UniqueAddress, new Stable(member.UniqueAddress), _settings.For(member));
            if (_settings.Probes(member)) Probe(new Reprobe(member.UniqueAddress));
        }
    }

    private void Probe(Reprobe probe) =>
        ProcessProbe.Probe(probe.Member.Address, _settings.ControlPlaneProbeTimeout)
            .PipeTo(Self, success: r => new Probed(probe.Member, r));

    /// <summary>
    /// Only a refusal counts, and only while the member is still unreachable and not yet due. Until
    /// then the port is probed again every second: a process frozen or cut off first may die later.
    /// </summary>
    private void OnProbed(UniqueAddress member, ProcessProbeResult result)
    {
        if (!Timers.IsTimerActive(member)) return;
        if (result != ProcessProbeResult.Gone)
        {
            var again = new Reprobe(member);
            Timers.StartSingleTimer(again, again, ReprobeInterval);
            return;
        }
        _log.Info("{0} refuses connections: its process is gone, due for downing without waiting out the stable-after", member.Address);
        Timers.Cancel(member);
        _due.Add(member);
        Decide();
    }

    /// <summary>
    /// A process restarted under a new address while its former incarnation is still unreachable:
    /// that one is gone for sure, so it is due at once (Akka does the same for a new incarnation on
    /// the same host and port). Without this the newcomer waits out stable-after to become Up.
    /// </summary>
    private void Replaces(Member joining)
    {
        if (ClusterRoles.ProcessOf(joining.Roles) is not { } process) return;
        var state = _cluster.State;
        var former = state.Unreachable
            .Where(m => m.UniqueAddress != joining.UniqueAddress && m.Roles.Contains(process) && m.Status != MemberStatus.Down)
            .ToList();
        if (former.Count == 0) return;
        foreach (var member in former)
        {
            _log.Info("{0} is {1} again at {2}: its former incarnation is due for downing", member.Address, process, joining.Address);
            Timers.Cancel(member.UniqueAddress);
            _due.Add(member.UniqueAddress);
        }
        Decide();
    }

    private void Forget(Member member)
    {
        Timers.Cancel(member.UniqueAddress);
        _due.Remove(member.UniqueAddress);
        if (_due.Count == 0) _waiting = false;
    }

    private void Decide()
    {
        var state = _cluster.State;
        if (_due.Count == 0 || state.Leader != _cluster.SelfAddress) return;
        var due = state.Unreachable.Where(m => _due.Contains(m.UniqueAddress) && m.Status != MemberStatus.Down).ToList();
        if (due.Count == 0) return;
        var controlPlanes = state.Members
            .Where(m => m.HasRole(_settings.ControlPlaneRole) && m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Leaving)
            .OrderBy(m => m, Member.AgeOrdering)
            .ToList();
        var reachable = controlPlanes.Count(m => !state.Unreachable.Contains(m));
        var oldestReachable = controlPlanes.Count > 0 && !state.Unreachable.Contains(controlPlanes[0]);
        if (ControlPlaneQuorum.Decide(controlPlanes.Count, reachable, oldestReachable) == DowningDecision.Wait)
        {
            if (!_waiting)
                _log.Warning("{0} of {1} control planes reachable from this side: downing nobody, waiting for {2} to come back",
                    reachable, controlPlanes.Count, string.Join(", ", due.Select(m => m.Address)));
            _waiting = true;
            return;
        }
        foreach (var member in due)
        {
            _log.Warning("Downing {0} [{1}]: unreachable (for {2}, or gone, or restarted elsewhere), and this side holds {3} of {4} control planes",
                member.Address, string.Join(",", member.Roles), _settings.For(member), reachable, controlPlanes.Count);
            _cluster.Down(member.Address);
        }
    }

    private sealed record Stable(UniqueAddress Member);

    private sealed record Probed(UniqueAddress Member, ProcessProbeResult Result);

    private sealed record Reprobe(UniqueAddress Member);
}
