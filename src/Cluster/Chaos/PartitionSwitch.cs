using Akka.Actor;
using Akka.Event;
using Akka.Cluster;
using Akka.KubeEmu.Cluster.Bootstrap;
using Akka.KubeEmu.Cluster.Downing;
using Akka.Remote;
using Akka.Remote.Transport;

namespace Akka.KubeEmu.Cluster.Chaos;

/// <summary>
/// Cuts this process off from the others while a <see cref="PartitionOrder"/> for it is in force:
/// Akka's throttler adapter blackholes both directions of its associations with them (heartbeats
/// included, so both sides see each other unreachable, as with a pulled cable), and lets
/// everything through again when the order is gone or expired. The process keeps running
/// throughout. The order is read every <c>poll</c>: one stat of a small file. A process on the
/// side without the control plane whose control planes are still unreachable a stable-after
/// after the heal leaves: the other side has downed it meanwhile (and Akka's quarantine keeps it
/// from ever being told), so it exits as a downed process does, to be restarted as a new incarnation.
/// </summary>
public sealed class PartitionSwitch : ReceiveActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly RemoteTransport _transport = ((IRemoteActorRefProvider)((ExtendedActorSystem)Context.System).Provider).Transport;
    private readonly HashSet<Address> _blackholed = [];
    private readonly string _stateDir;
    private readonly string _process;
    private readonly TimeProvider _time;
    private readonly DowningSettings _settings;
    private PartitionOrder? _order;
    private bool _minority;

    public PartitionSwitch(string stateDir, string process, TimeSpan poll, TimeProvider time)
    {
        _settings = DowningSettings.From(Context.System.Settings.Config);
        _stateDir = stateDir;
        _process = process;
        _time = time;
        Receive<Tick>(_ => Check());
        Receive<RejoinCheck>(_ => LeaveIfDowned());
        Receive<Akka.Cluster.ClusterEvent.IMemberEvent>(_ => Apply());
        Receive<Akka.Cluster.ClusterEvent.CurrentClusterState>(_ => Apply());
        _poll = poll;
    }

    private readonly TimeSpan _poll;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string stateDir, string process, TimeSpan poll, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new PartitionSwitch(stateDir, process, poll, time));

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer(Tick.Instance, Tick.Instance, _poll);
        _cluster.Subscribe(Self, Akka.Cluster.ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(Akka.Cluster.ClusterEvent.IMemberEvent));
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Check()
    {
        var order = PartitionOrder.Read(_stateDir, _process, _time.GetUtcNow());
        if (Same(order, _order)) return;
        if (order is null && _order is not null && _minority)
        {
            // The side holding the control plane may have downed this process meanwhile (it was
            // unreachable there for stable-after) and then quarantined it, which this side is never
            // told. Not downed, the control planes are reachable again within a heartbeat or two.
            Timers.StartSingleTimer(RejoinCheck.Instance, RejoinCheck.Instance, _settings.StableAfter);
        }
        if (order is not null && _order is null) _log.Warning("Partitioned by kubeemu chaos: cut off from {0}{1}", order.From.Count == 0 ? "every other process" : string.Join(", ", order.From),
            order.Until is { } until ? $" until {until:O}" : "");
        if (order is null && _order is not null) _log.Warning("Partition healed: reachable to the other processes again");
        _order = order;
        Apply();
    }

    /// <summary>Blackholes the members the order names (members that join meanwhile too), lets the others through.</summary>
    private void Apply()
    {
        var cut = _order is null
            ? []
            : _cluster.State.Members
                .Where(m => m.Address != _cluster.SelfAddress)
                .Where(m => _order.From.Count == 0 || _order.From.Any(name => m.Roles.Contains(ClusterRoles.Process(name))))
                .Select(m => m.Address)
                .ToHashSet();
        foreach (var address in cut.Where(a => !_blackholed.Contains(a)).ToList())
        {
            _transport.ManagementCommand(new SetThrottle(address, ThrottleTransportAdapter.Direction.Both, Blackhole.Instance));
            _blackholed.Add(address);
        }
        foreach (var address in _blackholed.Where(a => !cut.Contains(a)).ToList())
        {
            _transport.ManagementCommand(new SetThrottle(address, ThrottleTransportAdapter.Direction.Both, Unthrottled.Instance));
            _blackholed.Remove(address);
        }
        if (_order is not null) _minority = Minority(cut);
    }

    private void LeaveIfDowned()
    {
        if (_order is not null) return;
        var state = _cluster.State;
        var controlPlanes = state.Members.Where(m => m.HasRole(_settings.ControlPlaneRole)).ToList();
        if (controlPlanes.Count > 0 && controlPlanes.All(m => !state.Unreachable.Contains(m))) return;
        _log.Warning("Partition healed {0:0.#} s ago, and the control planes are still unreachable: the side holding them has downed this process; leaving",
            _settings.StableAfter.TotalSeconds);
        _cluster.Down(_cluster.SelfAddress);
    }

    /// <summary>Whether the cut leaves this process on the side the downing rule makes wait (see ControlPlaneQuorum).</summary>
    private bool Minority(HashSet<Address> cut)
    {
        var controlPlanes = _cluster.State.Members.Where(m => m.HasRole(_settings.ControlPlaneRole)).OrderBy(m => m, Member.AgeOrdering).ToList();
        var reachable = controlPlanes.Count(m => !cut.Contains(m.Address));
        var oldestReachable = controlPlanes.Count > 0 && !cut.Contains(controlPlanes[0].Address);
        return ControlPlaneQuorum.Decide(controlPlanes.Count, reachable, oldestReachable) == DowningDecision.Wait;
    }

    private static bool Same(PartitionOrder? a, PartitionOrder? b) =>
        a is null || b is null ? a is null && b is null : a.Until == b.Until && a.From.SequenceEqual(b.From);

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed class RejoinCheck
    {
        public static readonly RejoinCheck Instance = new();
    }
}
