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
    private (Kit Kit, ActorSystem First, ActorSystem Second, ActorSystem Third) ThreeControlPlanes(string thirdOverrides, string everyOverrides = "")
    {
        var overrides = LongStableAfter + "\n" + everyOverrides;
        var first = _cluster.Start(ClusterRoles.ControlPlane, null, overrides: overrides);
        var seed = Akka.Cluster.Cluster.Get(first).SelfAddress;
        var second = _cluster.Start(ClusterRoles.ControlPlane, seed, overrides: overrides);
        var third = _cluster.Start(ClusterRoles.ControlPlane, seed, overrides: overrides + "\n" + thirdOverrides);
        var kit = new Kit(first);
        kit.AwaitAssert(() => Assert.Equal(3, Akka.Cluster.Cluster.Get(first).State.Members.Count(m => m.Status == MemberStatus.Up)),
            Patience, TimeSpan.FromMilliseconds(100));
        return (kit, first, second, third);
    }

    [Fact]
    public async Task A_silent_control_plane_keeps_its_membership_and_is_downed_without_the_stable_after_once_its_process_is_gone()
    {
        var (kit, first, second, third) = ThreeControlPlanes(Crashes);
        using var _ = kit;
        var silent = Akka.Cluster.Cluster.Get(third).SelfUniqueAddress;
        var transport = ((IRemoteActorRefProvider)((ExtendedActorSystem)third).Provider).Transport;
        foreach (var peer in new[] { first, second }.Select(s => Akka.Cluster.Cluster.Get(s).SelfAddress))
            await transport.ManagementCommand(new SetThrottle(peer, ThrottleTransportAdapter.Direction.Both, Blackhole.Instance)).WaitAsync(Patience);

        // Heartbeats stop both ways, as for a frozen process or a pulled cable; its port still accepts.
        var cluster = Akka.Cluster.Cluster.Get(first);
        var downed = kit.CreateTestProbe();
        cluster.Subscribe(downed.Ref, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.MemberDowned));
        kit.AwaitAssert(() => Assert.Contains(cluster.State.Unreachable, m => m.UniqueAddress == silent), Patience, TimeSpan.FromMilliseconds(100));
        downed.ExpectNoMsg(TimeSpan.FromSeconds(3));
        Assert.Equal(MemberStatus.Up, cluster.State.Members.Single(m => m.UniqueAddress == silent).Status);

        // Now it dies: its port closes, as the kernel closes a killed process's, and the next probe finds it gone.
        await third.Terminate().WaitAsync(Patience);
        kit.AwaitAssert(() => Assert.DoesNotContain(cluster.State.Members, m => m.UniqueAddress == silent),
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
    }

    /// <summary>
    /// The failure detector would take 20 s to suspect the killed member; the other control planes'
    /// watch of its port finds it gone, downs it and marks it unreachable, so it is removed (and
    /// the singletons it ran move) within about a second.
    /// </summary>
    [Fact]
    public async Task A_killed_control_plane_is_removed_before_the_failure_detector_would_suspect_it()
    {
        const string SlowDetector = "akka.cluster.failure-detector.acceptable-heartbeat-pause = 20s";
        var (kit, first, _, third) = ThreeControlPlanes(Crashes, SlowDetector);
        using var _ = kit;
        var killed = Akka.Cluster.Cluster.Get(third).SelfUniqueAddress;
        var cluster = Akka.Cluster.Cluster.Get(first);

        await third.Terminate().WaitAsync(Patience);
        kit.AwaitAssert(() => Assert.DoesNotContain(cluster.State.Members, m => m.UniqueAddress == killed),
            TimeSpan.FromSeconds(8), TimeSpan.FromMilliseconds(100));
    }

    public void Dispose() => _cluster.Dispose();
}
