using Akka.Actor;
using Akka.Cluster;
using Akka.KubeEmu.Cluster.Bootstrap;
using Akka.Remote;
using Akka.Remote.Transport;
using Kit = Akka.TestKit.Xunit2.TestKit;
using Xunit;

namespace Akka.KubeEmu.Tests.ClusterTests;

/// <summary>
/// Three control planes in one test process whose stable-after is far longer than the test: only
/// the proof that a process is gone (its port refuses connections) gets one downed in time.
/// </summary>
public sealed class ControlPlaneDowningSpecs : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private const string LongStableAfter = "kubeemu.downing.control-plane-stable-after = 120s\nkubeemu.downing.stable-after = 120s";
    private readonly ClusterFixture _cluster = new();

    /// <summary>
    /// A member that stops without leaving: no coordinated shutdown, so no graceful exit; its
    /// transport closes its port, as the kernel closes a killed process's.
    /// </summary>
    private const string Crashes = "akka.coordinated-shutdown.run-by-actor-system-terminate = off\nakka.cluster.run-coordinated-shutdown-when-down = off";

    /// <summary>The kit runs on the first (disposing it terminates that member).</summary>
    private (Kit Kit, ActorSystem First, ActorSystem Second, ActorSystem Third) ThreeControlPlanes(string thirdOverrides)
    {
        var first = _cluster.Start(ClusterRoles.ControlPlane, null, overrides: LongStableAfter);
        var seed = Akka.Cluster.Cluster.Get(first).SelfAddress;
        var second = _cluster.Start(ClusterRoles.ControlPlane, seed, overrides: LongStableAfter);
        var third = _cluster.Start(ClusterRoles.ControlPlane, seed, overrides: LongStableAfter + "\n" + thirdOverrides);
        var kit = new Kit(first);
        kit.AwaitAssert(() => Assert.Equal(3, Akka.Cluster.Cluster.Get(first).State.Members.Count(m => m.Status == MemberStatus.Up)),
            Patience, TimeSpan.FromMilliseconds(100));
        return (kit, first, second, third);
    }

    [Fact]
    public void A_control_plane_whose_process_is_gone_is_downed_and_removed_without_waiting_out_the_stable_after()
    {
        var (kit, first, _, third) = ThreeControlPlanes(Crashes);
        using var _ = kit;
        var gone = Akka.Cluster.Cluster.Get(third).SelfUniqueAddress;
        third.Terminate().Wait(Patience);

        kit.AwaitAssert(() => Assert.DoesNotContain(Akka.Cluster.Cluster.Get(first).State.Members, m => m.UniqueAddress == gone),
            TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_control_plane_that_is_only_silent_keeps_its_membership_for_the_stable_after()
    {
        var (kit, first, second, third) = ThreeControlPlanes("");
        using var _ = kit;
        var silent = Akka.Cluster.Cluster.Get(third);
        var transport = ((IRemoteActorRefProvider)((ExtendedActorSystem)third).Provider).Transport;
        var peers = new[] { first, second }.Select(s => Akka.Cluster.Cluster.Get(s).SelfAddress).ToList();
        foreach (var peer in peers)
            transport.ManagementCommand(new SetThrottle(peer, ThrottleTransportAdapter.Direction.Both, Blackhole.Instance)).Wait(Patience);

        // Heartbeats stop both ways, as for a frozen process or a pulled cable; its port still accepts.
        var cluster = Akka.Cluster.Cluster.Get(first);
        var downed = kit.CreateTestProbe();
        cluster.Subscribe(downed.Ref, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberDowned), typeof(ClusterEvent.MemberRemoved));
        kit.AwaitAssert(() => Assert.Contains(cluster.State.Unreachable, m => m.UniqueAddress == silent.SelfUniqueAddress),
            Patience, TimeSpan.FromMilliseconds(100));

        downed.ExpectNoMsg(TimeSpan.FromSeconds(3));
        Assert.Equal(MemberStatus.Up, cluster.State.Members.Single(m => m.UniqueAddress == silent.SelfUniqueAddress).Status);

        // Healed, so that every member can leave at the end of the test instead of waiting for the silent one.
        foreach (var peer in peers)
            transport.ManagementCommand(new SetThrottle(peer, ThrottleTransportAdapter.Direction.Both, Unthrottled.Instance)).Wait(Patience);
        kit.AwaitAssert(() => Assert.Empty(cluster.State.Unreachable), Patience, TimeSpan.FromMilliseconds(100));
    }

    public void Dispose() => _cluster.Dispose();
}
