using Akka.Actor;
using Akka.KubeEmu.Cluster.Membership;

namespace Akka.KubeEmu.Host.VirtualTime;

/// <summary>
/// Akka cluster membership as the virtual-time cluster plays it: Akka.Cluster's gossip and failure
/// detector run on real time and cannot live on a virtual scheduler, so the kit says itself which
/// emulated process is Up, Unreachable or Reachable, and this actor tells every subscriber
/// (<see cref="MembershipFeed"/>, one per controller that asks) what MembershipMonitor would. It
/// also plays the cluster's downing: a member unreachable for stable-after without a break is
/// Removed, on the Akka scheduler, hence in virtual time.
/// </summary>
internal sealed class VirtualMembership : ReceiveActor, IWithTimers
{
    private readonly TimeSpan _stableAfter;
    private readonly Action<string> _onDowned;
    private readonly Dictionary<string, (IReadOnlyList<string> Roles, MemberHealthStatus Status)> _members = new(StringComparer.Ordinal);
    private readonly HashSet<IActorRef> _subscribers = [];

    /// <param name="stableAfter">The profile's kubeemu.downing.stable-after.</param>
    /// <param name="onDowned">Told the address of a member downed: its process shuts down, as run-coordinated-shutdown-when-down makes it.</param>
    public VirtualMembership(TimeSpan stableAfter, Action<string> onDowned)
    {
        _stableAfter = stableAfter;
        _onDowned = onDowned;
        Receive<Subscribe>(s =>
        {
            _subscribers.Add(s.Subscriber);
            Context.Watch(s.Subscriber);
            foreach (var (address, m) in _members) s.Subscriber.Tell(new MemberHealth(address, m.Roles, m.Status == MemberHealthStatus.Reachable ? MemberHealthStatus.Up : m.Status));
            s.Subscriber.Tell(MembershipSynced.Instance);
        });
        Receive<Unsubscribe>(u => _subscribers.Remove(u.Subscriber));
        Receive<Terminated>(t => _subscribers.Remove(t.ActorRef));
        Receive<Join>(j => Publish(j.Address, j.Roles, MemberHealthStatus.Up));
        Receive<Unreachable>(u =>
        {
            if (!_members.TryGetValue(u.Address, out var m) || m.Status == MemberHealthStatus.Unreachable) return;
            Publish(u.Address, m.Roles, MemberHealthStatus.Unreachable);
            Timers.StartSingleTimer(u.Address, new Down(u.Address), _stableAfter);
        });
        Receive<Reachable>(r =>
        {
            if (!_members.TryGetValue(r.Address, out var m) || m.Status != MemberHealthStatus.Unreachable) return;
            Timers.Cancel(r.Address);
            Publish(r.Address, m.Roles, MemberHealthStatus.Reachable);
        });
        Receive<Down>(d =>
        {
            if (!_members.Remove(d.Address, out var m)) return;
            foreach (var s in _subscribers) s.Tell(new MemberHealth(d.Address, m.Roles, MemberHealthStatus.Removed));
            _onDowned(d.Address);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(TimeSpan stableAfter, Action<string> onDowned) =>
        Akka.Actor.Props.Create(() => new VirtualMembership(stableAfter, onDowned));

    private void Publish(string address, IReadOnlyList<string> roles, MemberHealthStatus status)
    {
        _members[address] = (roles, status);
        foreach (var s in _subscribers) s.Tell(new MemberHealth(address, roles, status));
    }

    public sealed record Subscribe(IActorRef Subscriber);

    public sealed record Unsubscribe(IActorRef Subscriber);

    /// <summary>The process joined and is Up.</summary>
    public sealed record Join(string Address, IReadOnlyList<string> Roles);

    /// <summary>The failure detector would lose it now: killed, frozen or cut off.</summary>
    public sealed record Unreachable(string Address);

    /// <summary>It answers again (thawed or healed before it was downed).</summary>
    public sealed record Reachable(string Address);

    private sealed record Down(string Address);
}

/// <summary>
/// What a controller starts as its membership monitor in the virtual-time cluster: subscribes its
/// parent to <see cref="VirtualMembership"/> for as long as it lives (a restarted controller gets
/// the replay again, as from MembershipMonitor).
/// </summary>
internal sealed class MembershipFeed : ReceiveActor
{
    private readonly IActorRef _membership;
    private readonly IActorRef _subscriber;

    public MembershipFeed(IActorRef membership, IActorRef subscriber)
    {
        _membership = membership;
        _subscriber = subscriber;
    }

    public static Func<IActorRef, Props> Factory(IActorRef membership) =>
        subscriber => Props.Create(() => new MembershipFeed(membership, subscriber));

    protected override void PreStart() => _membership.Tell(new VirtualMembership.Subscribe(_subscriber));

    protected override void PostStop() => _membership.Tell(new VirtualMembership.Unsubscribe(_subscriber));
}
