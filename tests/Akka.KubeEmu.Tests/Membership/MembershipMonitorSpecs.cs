using System.Collections.Immutable;
using System.Reflection;
using Akka.Actor;
using Akka.Cluster;
using Akka.KubeEmu.Cluster.Membership;
using Akka.Util;
using Xunit;

namespace Akka.KubeEmu.Tests.Membership;

/// <summary>
/// A node process restarted on the same port is a new incarnation at the same address: what Akka
/// says of the old one after the new one is Up must not reach the subscriber, which knows members
/// by address only (the node lifecycle controller kept a restarted node Unknown for good).
/// </summary>
public sealed class MembershipMonitorSpecs() : Akka.TestKit.Xunit2.TestKit("""
    akka.actor.provider = cluster
    akka.remote.dot-netty.tcp.hostname = 127.0.0.1
    akka.remote.dot-netty.tcp.port = 0
    akka.loglevel = WARNING
    """)
{
    private static readonly Address Node = new("akka.tcp", "kubeemu", "127.0.0.1", 4100);

    [Fact]
    public void The_old_incarnations_removal_published_after_the_new_ones_Up_is_dropped()
    {
        var monitor = Started();
        monitor.Tell(new ClusterEvent.MemberUp(Incarnation(2, MemberStatus.Up)));
        ExpectMsg<MemberHealth>(h => h.Status == MemberHealthStatus.Up && h.Address == Node.ToString());

        monitor.Tell(new ClusterEvent.UnreachableMember(Incarnation(1, MemberStatus.Down)));
        monitor.Tell(new ClusterEvent.MemberRemoved(Incarnation(1, MemberStatus.Removed), MemberStatus.Down));
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        // The running incarnation's own fate still gets through.
        monitor.Tell(new ClusterEvent.UnreachableMember(Incarnation(2, MemberStatus.Up)));
        ExpectMsg<MemberHealth>(h => h.Status == MemberHealthStatus.Unreachable);
    }

    [Fact]
    public void In_the_usual_order_the_removal_and_then_the_new_incarnation_both_get_through()
    {
        var monitor = Started();
        monitor.Tell(new ClusterEvent.MemberUp(Incarnation(1, MemberStatus.Up)));
        ExpectMsg<MemberHealth>(h => h.Status == MemberHealthStatus.Up);
        monitor.Tell(new ClusterEvent.MemberRemoved(Incarnation(1, MemberStatus.Removed), MemberStatus.Down));
        ExpectMsg<MemberHealth>(h => h.Status == MemberHealthStatus.Removed);
        monitor.Tell(new ClusterEvent.MemberUp(Incarnation(2, MemberStatus.Up)));
        ExpectMsg<MemberHealth>(h => h.Status == MemberHealthStatus.Up);
    }

    private IActorRef Started()
    {
        var monitor = Sys.ActorOf(MembershipMonitor.Props(TestActor));
        ExpectMsg<MembershipSynced>(); // this system never joins: an empty replay
        return monitor;
    }

    // Akka.Cluster builds its members internally (and its TestKit is not served here).
    private static Member Incarnation(int uid, MemberStatus status) =>
        (Member)typeof(Member).GetMethod("Create", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic,
            [typeof(UniqueAddress), typeof(int), typeof(MemberStatus), typeof(ImmutableHashSet<string>), typeof(AppVersion)])!
            .Invoke(null, [new UniqueAddress(Node, uid), 1, status, ImmutableHashSet.Create("node"), AppVersion.Zero])!;
}
