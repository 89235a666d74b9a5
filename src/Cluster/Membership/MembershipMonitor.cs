using Akka.Actor;
using Akka.Cluster;

namespace Akka.KubeEmu.Cluster.Membership;

/// <summary>
/// Turns Akka cluster membership events into <see cref="MemberHealth"/> signals for one
/// subscriber (its parent unless told otherwise). The current state is replayed first.
/// </summary>
public sealed class MembershipMonitor : ReceiveActor
{
    private readonly IActorRef _subscriber;

    public MembershipMonitor(IActorRef? subscriber)
    {
        _subscriber = subscriber ?? Context.Parent;
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
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    private void Signal(Member member, MemberHealthStatus status) =>
        _subscriber.Tell(new MemberHealth(member.Address.ToString(), member.Roles.ToArray(), status));
}
