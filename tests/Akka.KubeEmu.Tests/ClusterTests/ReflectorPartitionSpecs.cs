using Akka.Actor;
using Akka.Cluster;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Singletons;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Cluster.Bootstrap;
using Akka.KubeEmu.Cluster.Serialization;
using Akka.Remote;
using Akka.Remote.Transport;
using Kit = Akka.TestKit.Xunit2.TestKit;
using Xunit;

namespace Akka.KubeEmu.Tests.ClusterTests;

/// <summary>
/// A reflector in a node process watching the Store of a control plane, across a partition that
/// heals before anyone is downed: Akka.Remote drops what the Store sends meanwhile.
/// </summary>
public sealed class ReflectorPartitionSpecs : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private const string NoDowning = "kubeemu.downing.control-plane-stable-after = 120s\nkubeemu.downing.stable-after = 120s";
    private readonly ClusterFixture _cluster = new();

    [Fact]
    public async Task An_event_sent_while_the_stores_member_was_unreachable_is_seen_once_it_is_reachable_again()
    {
        var controlPlane = _cluster.Start(ClusterRoles.ControlPlane, null, withStore: true, overrides: NoDowning);
        var controlPlaneAddress = Akka.Cluster.Cluster.Get(controlPlane).SelfAddress;
        var node = _cluster.Start(ClusterRoles.Node, controlPlaneAddress, overrides: NoDowning);
        using var kit = new Kit(node);
        var nodeCluster = Akka.Cluster.Cluster.Get(node);
        kit.AwaitAssert(() => Assert.Equal(2, nodeCluster.State.Members.Count(m => m.Status == MemberStatus.Up)), Patience, TimeSpan.FromMilliseconds(100));
        ControlPlaneSingletons.StartStore(controlPlane, new StoreSettings(), TimeProvider.System);
        var writer = ControlPlaneSingletons.StoreProxy(controlPlane, "writer-proxy");
        Write(kit, writer, "namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"default"}}""");

        var informer = kit.CreateTestProbe();
        node.ActorOf(Reflector.Props(ControlPlaneSingletons.StoreProxy(node), new ReflectorSpec("cms", "configmaps", "default"), target: informer.Ref));
        informer.ExpectMsg<ReflectorReplace>(Patience);
        Write(kit, writer, "configmaps", ConfigMap("before"));
        Assert.Contains("before", informer.ExpectMsg<ReflectorEvents>(Patience).Events.Single().Object.ToString());

        var transport = ((IRemoteActorRefProvider)((ExtendedActorSystem)node).Provider).Transport;
        await transport.ManagementCommand(new SetThrottle(controlPlaneAddress, ThrottleTransportAdapter.Direction.Both, Blackhole.Instance)).WaitAsync(Patience);
        kit.AwaitAssert(() => Assert.Contains(nodeCluster.State.Unreachable, m => m.Address == controlPlaneAddress), Patience, TimeSpan.FromMilliseconds(100));
        Write(kit, writer, "configmaps", ConfigMap("during"));
        informer.ExpectNoMsg(TimeSpan.FromMilliseconds(500));

        await transport.ManagementCommand(new SetThrottle(controlPlaneAddress, ThrottleTransportAdapter.Direction.Both, Unthrottled.Instance)).WaitAsync(Patience);
        var seen = new List<string>();
        kit.AwaitAssert(() =>
        {
            if (informer.ReceiveOne(TimeSpan.FromMilliseconds(200)) is ReflectorEvents e)
                seen.AddRange(e.Events.Select(ev => ev.Object.ToString()));
            Assert.Contains(seen, o => o.Contains("\"during\""));
        }, Patience, TimeSpan.FromMilliseconds(10));
    }

    [Fact]
    public async Task An_event_lost_in_a_partition_the_node_never_noticed_is_seen_once_the_store_finds_the_node_reachable_again()
    {
        var controlPlane = _cluster.Start(ClusterRoles.ControlPlane, null, withStore: true, overrides: NoDowning);
        var controlPlaneAddress = Akka.Cluster.Cluster.Get(controlPlane).SelfAddress;
        // The node's failure detector tolerates a minute of silence: only the control plane's side
        // finds the other unreachable, as in a partition shorter than the node's detection.
        var node = _cluster.Start(ClusterRoles.Node, controlPlaneAddress,
            overrides: NoDowning + "\nakka.cluster.failure-detector.acceptable-heartbeat-pause = 60s");
        var nodeAddress = Akka.Cluster.Cluster.Get(node).SelfAddress;
        using var kit = new Kit(node);
        var nodeCluster = Akka.Cluster.Cluster.Get(node);
        var controlPlaneCluster = Akka.Cluster.Cluster.Get(controlPlane);
        kit.AwaitAssert(() => Assert.Equal(2, nodeCluster.State.Members.Count(m => m.Status == MemberStatus.Up)), Patience, TimeSpan.FromMilliseconds(100));
        ControlPlaneSingletons.StartStore(controlPlane, new StoreSettings(), TimeProvider.System);
        var writer = ControlPlaneSingletons.StoreProxy(controlPlane, "writer-proxy");
        Write(kit, writer, "namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"default"}}""");

        var informer = kit.CreateTestProbe();
        node.ActorOf(Reflector.Props(ControlPlaneSingletons.StoreProxy(node), new ReflectorSpec("cms", "configmaps", "default"), target: informer.Ref));
        informer.ExpectMsg<ReflectorReplace>(Patience);
        Write(kit, writer, "configmaps", ConfigMap("before"));
        Assert.Contains("before", informer.ExpectMsg<ReflectorEvents>(Patience).Events.Single().Object.ToString());

        var transport = ((IRemoteActorRefProvider)((ExtendedActorSystem)node).Provider).Transport;
        await transport.ManagementCommand(new SetThrottle(controlPlaneAddress, ThrottleTransportAdapter.Direction.Both, Blackhole.Instance)).WaitAsync(Patience);
        kit.AwaitAssert(() => Assert.Contains(controlPlaneCluster.State.Unreachable, m => m.Address == nodeAddress), Patience, TimeSpan.FromMilliseconds(100));
        Write(kit, writer, "configmaps", ConfigMap("during"));
        informer.ExpectNoMsg(TimeSpan.FromMilliseconds(500));

        await transport.ManagementCommand(new SetThrottle(controlPlaneAddress, ThrottleTransportAdapter.Direction.Both, Unthrottled.Instance)).WaitAsync(Patience);
        kit.AwaitAssert(() => Assert.DoesNotContain(controlPlaneCluster.State.Unreachable, m => m.Address == nodeAddress), Patience, TimeSpan.FromMilliseconds(100));
        Assert.DoesNotContain(nodeCluster.State.Unreachable, m => m.Address == controlPlaneAddress);
        var seen = new List<string>();
        kit.AwaitAssert(() =>
        {
            if (informer.ReceiveOne(TimeSpan.FromMilliseconds(200)) is ReflectorEvents e)
                seen.AddRange(e.Events.Select(ev => ev.Object.ToString()));
            Assert.Contains(seen, o => o.Contains("\"during\""));
        }, Patience, TimeSpan.FromMilliseconds(10));
    }

    private static string ConfigMap(string name) =>
        $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","namespace":"default"}}""";

    private static void Write(Kit kit, IActorRef store, string resource, string json)
    {
        var attempt = kit.CreateTestProbe();
        store.Tell(new CreateObject(resource, RawJson.FromString(json)), attempt.Ref);
        Assert.IsType<StoreObject>(attempt.ExpectMsg<object>(Patience));
    }

    public void Dispose() => _cluster.Dispose();
}
