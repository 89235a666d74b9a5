using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.KubeEmu.Cluster.Bootstrap;

namespace Akka.KubeEmu.Actors.Singletons;

/// <summary>
/// Where the Store singleton runs as this process sees it: the oldest Up control plane (the member
/// ClusterSingletonProxy looks for it on), and whether that member is reachable. Null: none known yet.
/// </summary>
public sealed record StoreHost(UniqueAddress? Member, bool Reachable);

/// <summary>
/// Follows cluster membership and reachability and tells its parent each <see cref="StoreHost"/>
/// that differs from the last one. Counts members as ClusterSingletonProxy does (Up, and gone when
/// Exited or Removed), so that both agree on when the singleton has moved.
/// </summary>
public sealed class StoreHostTracker : ReceiveActor
{
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private ImmutableSortedSet<Member> _byAge = ImmutableSortedSet<Member>.Empty.WithComparer(Member.AgeOrdering);
    private ImmutableHashSet<UniqueAddress> _unreachable = [];
    private StoreHost? _last;

    public StoreHostTracker()
    {
        Receive<ClusterEvent.CurrentClusterState>(s =>
        {
            _byAge = _byAge.Clear().Union(s.Members.Where(m => m.Status == MemberStatus.Up && IsControlPlane(m)));
            _unreachable = [.. s.Unreachable.Select(m => m.UniqueAddress)];
            Publish();
        });
        Receive<ClusterEvent.MemberUp>(e => Change(() => { if (IsControlPlane(e.Member)) _byAge = _byAge.Remove(e.Member).Add(e.Member); }));
        Receive<ClusterEvent.MemberExited>(e => Change(() => _byAge = _byAge.Remove(e.Member)));
        Receive<ClusterEvent.MemberRemoved>(e => Change(() =>
        {
            _byAge = _byAge.Remove(e.Member);
            _unreachable = _unreachable.Remove(e.Member.UniqueAddress);
        }));
        Receive<ClusterEvent.UnreachableMember>(e => Change(() => _unreachable = _unreachable.Add(e.Member.UniqueAddress)));
        Receive<ClusterEvent.ReachableMember>(e => Change(() => _unreachable = _unreachable.Remove(e.Member.UniqueAddress)));
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
    }

    public static Props Props() => Akka.Actor.Props.Create(() => new StoreHostTracker());

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private static bool IsControlPlane(Member m) => m.HasRole(ClusterRoles.ControlPlane);

    private void Change(Action change)
    {
        change();
        Publish();
    }

    private void Publish()
    {
        var oldest = _byAge.FirstOrDefault()?.UniqueAddress;
        var host = new StoreHost(oldest, oldest is not null && !_unreachable.Contains(oldest));
        if (host == _last) return;
        _last = host;
        Context.Parent.Tell(host);
    }
}
