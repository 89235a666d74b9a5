using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace Akka.KubeEmu.Cluster.Downing;

/// <summary>
/// The downing actor every member runs; only the leader of a side acts. Once membership and
/// reachability have not changed for <see cref="DowningSettings.StableAfter"/> and some members
/// are unreachable, the leader applies <see cref="ControlPlaneQuorum"/>: it downs them, or waits.
/// </summary>
public sealed class ControlPlaneDowning : ReceiveActor, IWithTimers
{
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly DowningSettings _settings;
    private bool _waiting;

    public ControlPlaneDowning(DowningSettings settings)
    {
        _settings = settings;
        Receive<ClusterEvent.IClusterDomainEvent>(_ => Changed());
        Receive<ClusterEvent.CurrentClusterState>(_ => Changed());
        Receive<Stable>(_ => Decide());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(DowningSettings settings) => Akka.Actor.Props.Create(() => new ControlPlaneDowning(settings));

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent), typeof(ClusterEvent.LeaderChanged));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    /// <summary>Any change starts the stable-after period again (Akka's SBR does the same).</summary>
    private void Changed()
    {
        if (_cluster.State.Unreachable.Count == 0)
        {
            Timers.Cancel("stable");
            _waiting = false;
            return;
        }
        Timers.StartSingleTimer("stable", Stable.Instance, _settings.StableAfter);
    }

    private void Decide()
    {
        var state = _cluster.State;
        if (state.Unreachable.Count == 0 || state.Leader != _cluster.SelfAddress) return;
        var controlPlanes = state.Members
            .Where(m => m.HasRole(_settings.ControlPlaneRole) && m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Leaving)
            .OrderBy(m => m, Member.AgeOrdering)
            .ToList();
        var reachable = controlPlanes.Count(m => !state.Unreachable.Contains(m));
        var oldestReachable = controlPlanes.Count > 0 && !state.Unreachable.Contains(controlPlanes[0]);
        if (ControlPlaneQuorum.Decide(controlPlanes.Count, reachable, oldestReachable) == DowningDecision.Wait)
        {
            if (!_waiting)
                _log.Warning("{0} of {1} control planes reachable from this side: downing nobody, waiting for the unreachable {2} to come back",
                    reachable, controlPlanes.Count, string.Join(", ", state.Unreachable.Select(m => m.Address)));
            _waiting = true;
            return;
        }
        foreach (var member in state.Unreachable.Where(m => m.Status != MemberStatus.Down))
        {
            _log.Warning("Downing {0} [{1}]: unreachable for {2}, and this side holds {3} of {4} control planes",
                member.Address, string.Join(",", member.Roles), _settings.StableAfter, reachable, controlPlanes.Count);
            _cluster.Down(member.Address);
        }
    }

    private sealed class Stable
    {
        public static readonly Stable Instance = new();
    }
}
