using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.KubeEmu.Cluster.Bootstrap;
using Akka.KubeEmu.Cluster.FailureDetection;

namespace Akka.KubeEmu.Cluster.Downing;

/// <summary>
/// The downing actor every member runs; only the leader of a side acts. A member unreachable for
/// <see cref="DowningSettings.StableAfter"/> without a break is due; the leader applies
/// <see cref="ControlPlaneQuorum"/> to the due members: it downs them, or waits. Each member has
/// its own clock, so that another member's flapping (heartbeats late on a loaded machine) never
/// postpones the downing of a process that is really gone. An unreachable control plane whose
/// port refuses connections is gone for sure (<see cref="ProcessProbe"/>) and due at once: the
/// singletons it ran move without waiting out a stable-after meant for processes merely paused.
/// <para>
/// Control planes also probe each other's ports while reachable
/// (<see cref="DowningSettings.ControlPlaneWatchInterval"/>): a killed one is found before the
/// failure detector has missed enough heartbeats to call it unreachable (2-3 s). A member proven
/// gone counts as unreachable, and the oldest control plane left downs it (the one that takes
/// over the singletons; the leader may be the dead one, or a node process that does not watch).
/// </para>
/// </summary>
public sealed class ControlPlaneDowning : ReceiveActor, IWithTimers
{
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly DowningSettings _settings;
    private static readonly TimeSpan ReprobeInterval = TimeSpan.FromSeconds(1);
    private readonly HashSet<UniqueAddress> _due = [];
    private readonly HashSet<UniqueAddress> _gone = [];
    private readonly HashSet<UniqueAddress> _watchProbes = [];
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
        Receive<Watch>(_ => WatchControlPlanes());
        Receive<Probed>(p => OnProbed(p.Member, p.Result));
        Receive<Reprobe>(p =>
        {
            if (Timers.IsTimerActive(p.Member)) Probe(p);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(DowningSettings settings) => Akka.Actor.Props.Create(() => new ControlPlaneDowning(settings));

    protected override void PreStart()
    {
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.LeaderChanged));
        if (_settings.Watches(_cluster.SelfMember))
            Timers.StartPeriodicTimer(Watch.Instance, Watch.Instance, _settings.ControlPlaneWatchInterval);
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    /// <summary>
    /// Probes each other control plane that is up and reachable, one probe at a time per member. A
    /// port that accepts (a live process, frozen or not) leaves the member to the failure detector.
    /// One proven gone but not unreachable yet is marked gone again: a heartbeat it sent before it
    /// died, answered after the probe, takes the mark back.
    /// </summary>
    private void WatchControlPlanes()
    {
        var state = _cluster.State;
        foreach (var member in state.Members)
        {
            if (member.UniqueAddress == _cluster.SelfUniqueAddress || !_settings.Probes(member)) continue;
            if (_gone.Contains(member.UniqueAddress))
            {
                if (!state.Unreachable.Contains(member)) PauseAwareFailureDetector.MarkGone(_cluster.FailureDetector, member.Address);
                continue;
            }
            if (member.Status is not (MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Leaving) || state.Unreachable.Contains(member)) continue;
            if (_due.Contains(member.UniqueAddress) || Timers.IsTimerActive(member.UniqueAddress)) continue;
            if (_watchProbes.Add(member.UniqueAddress)) Probe(new Reprobe(member.UniqueAddress));
        }
    }

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
        if (_watchProbes.Remove(member) && !Timers.IsTimerActive(member))
        {
            if (result == ProcessProbeResult.Gone && !_due.Contains(member)) Gone(member, "its port refuses connections before it is unreachable");
            return;
        }
        if (!Timers.IsTimerActive(member)) return;
        if (result != ProcessProbeResult.Gone)
        {
            var again = new Reprobe(member);
            Timers.StartSingleTimer(again, again, ReprobeInterval);
            return;
        }
        Gone(member, "unreachable and its port refuses connections");
    }

    private void Gone(UniqueAddress member, string why)
    {
        // Removed, and its singletons moved, only once unreachable: say so without waiting for the heartbeats.
        var marked = PauseAwareFailureDetector.MarkGone(_cluster.FailureDetector, member.Address);
        _log.Info("{0}: {1}; its process is gone, due for downing without waiting out the stable-after{2}",
            member.Address, why, marked ? " (and unreachable from here)" : "");
        Timers.Cancel(member);
        _due.Add(member);
        _gone.Add(member);
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
        _gone.Remove(member.UniqueAddress);
        _watchProbes.Remove(member.UniqueAddress);
        if (_due.Count == 0) _waiting = false;
    }

    private void Decide()
    {
        var state = _cluster.State;
        if (_due.Count == 0) return;
        bool Lost(Member m) => state.Unreachable.Contains(m) || _gone.Contains(m.UniqueAddress);
        var controlPlanes = state.Members
            .Where(m => m.HasRole(_settings.ControlPlaneRole) && m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Leaving)
            .OrderBy(m => m, Member.AgeOrdering)
            .ToList();
        var oldestLeft = controlPlanes.FirstOrDefault(m => !Lost(m))?.Address;
        var due = state.Members
            .Where(m => _due.Contains(m.UniqueAddress) && m.Status != MemberStatus.Down && Lost(m))
            .Where(m => (_gone.Contains(m.UniqueAddress) ? oldestLeft : state.Leader) == _cluster.SelfAddress)
            .ToList();
        if (due.Count == 0) return;
        var reachable = controlPlanes.Count(m => !Lost(m));
        var oldestReachable = controlPlanes.Count > 0 && !Lost(controlPlanes[0]);
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

    private sealed class Watch
    {
        public static readonly Watch Instance = new();
    }
}
