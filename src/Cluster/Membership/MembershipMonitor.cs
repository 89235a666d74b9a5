using Akka.Actor;
using Akka.Cluster;

namespace Akka.KubeEmu.Cluster.Membership;

/// <summary>
/// Turns Akka cluster membership events into <see cref="MemberHealth"/> signals for one
/// subscriber (its parent unless told otherwise). The current state is replayed first, member by
/// member, followed by <see cref="MembershipSynced"/>.
/// </summary>
public sealed class MembershipMonitor : ReceiveActor
{
    private readonly IActorRef _subscriber;

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
        foreach (var member in state.Members)
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

    private void Signal(Member member, MemberHealthStatus status) =>
        _subscriber.Tell(new MemberHealth(member.Address.ToString(), member.Roles.ToArray(), status));
}
