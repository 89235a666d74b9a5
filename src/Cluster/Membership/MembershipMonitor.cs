using Akka.Actor;
using Akka.Cluster;

namespace Akka.KubeEmu.Cluster.Membership;

/// <summary>
/// Turns Akka cluster membership events into <see cref="MemberHealth"/> signals for one
/// subscriber (its parent unless told otherwise). The current state is replayed first, member by
/// member, followed by <see cref="MembershipSynced"/>.
/// <para>
/// Signals name a member by its address, which a process restarted on the same port keeps. Akka
/// may publish the new incarnation's MemberUp before the old one's MemberRemoved (both in one
/// gossip diff, a restart under load): what is said of an older incarnation once a newer one is Up
/// is dropped, or the subscriber would take the running process for removed for good.
/// </para>
/// </summary>
public sealed class MembershipMonitor : ReceiveActor
{
    private readonly IActorRef _subscriber;
    private readonly Dictionary<Address, long> _incarnations = [];

    public MembershipMonitor(IActorRef? subscriber)
    {
        _subscriber = subscriber ?? Context.Parent;
        Receive<ClusterEvent.CurrentClusterState>(Replay);
        Receive<ClusterEvent.MemberUp>(e => Signal(e.Member, MemberHealthStatus.Up));
        Receive<ClusterEvent.MemberWeaklyUp>(e => Signal(e.Member, MemberHealthStatus.Up));
        Receive<ClusterEvent.UnreachableMember>(e => Signal(e.Member, MemberHealthStatus.Unreachable));
        Receive<ClusterEvent.ReachableMember>(e => Signal(e.Member, MemberHealthStatus.Reachable));
        Receive<ClusterEvent.MemberRemoved>(e => Signal(e.Member, MemberHealthStatus.Removed));
        Receive<ClusterEvent.MemberDowned>(e => Signal(e.Member, MemberHealthStatus.Removed));
        Receive<ClusterEvent.MemberExited>(e => Signal(e.Member, MemberHealthStatus.Removed));
        Receive<ClusterEvent.IMemberEvent>(_ => { });
    }

    public static Props Props(IActorRef? subscriber = null) => Akka.Actor.Props.Create(() => new MembershipMonitor(subscriber));

    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    private void Replay(ClusterEvent.CurrentClusterState state)
    {
        // A removed incarnation before a running one of the same address.
        foreach (var member in state.Members.OrderBy(m => m.Status is MemberStatus.Up or MemberStatus.WeaklyUp or MemberStatus.Joining ? 1 : 0))
        {
            var status = member.Status switch
            {
                MemberStatus.Down or MemberStatus.Exiting or MemberStatus.Removed => MemberHealthStatus.Removed,
                _ when state.Unreachable.Contains(member) => MemberHealthStatus.Unreachable,
                _ => MemberHealthStatus.Up,
            };
            Signal(member, status);
        }
        _subscriber.Tell(MembershipSynced.Instance);
    }

    private void Signal(Member member, MemberHealthStatus status)
    {
        var uid = member.UniqueAddress.Uid;
        if (_incarnations.TryGetValue(member.Address, out var latest) && latest != uid && status != MemberHealthStatus.Up) return;
        if (status == MemberHealthStatus.Up) _incarnations[member.Address] = uid;
        else if (status == MemberHealthStatus.Removed) _incarnations.Remove(member.Address);
        _subscriber.Tell(new MemberHealth(member.Address.ToString(), member.Roles.ToArray(), status));
    }
}
