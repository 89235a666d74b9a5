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
        using var s = new Scenario(_cluster, nodeOverrides: "");
        await s.Cut();
        s.Kit.AwaitAssert(() => Assert.Contains(s.NodeCluster.State.Unreachable, m => m.Address == s.ControlPlaneAddress), Patience, TimeSpan.FromMilliseconds(100));
        s.WriteAndMissIt("during");

        await s.Heal();
        s.AwaitSeen("during");
    }

    [Fact]
    public async Task An_event_lost_in_a_partition_the_node_never_noticed_is_seen_once_the_store_finds_the_node_reachable_again()
    {
        // The node's failure detector tolerates a minute of silence: only the control plane's side
        // finds the other unreachable, as in a partition shorter than the node's detection.
        using var s = new Scenario(_cluster, nodeOverrides: "akka.cluster.failure-detector.acceptable-heartbeat-pause = 60s");
        await s.Cut();
        s.Kit.AwaitAssert(() => Assert.Contains(s.ControlPlaneCluster.State.Unreachable, m => m.Address == s.NodeAddress), Patience, TimeSpan.FromMilliseconds(100));
        s.WriteAndMissIt("during");

        await s.Heal();
        s.Kit.AwaitAssert(() => Assert.DoesNotContain(s.ControlPlaneCluster.State.Unreachable, m => m.Address == s.NodeAddress), Patience, TimeSpan.FromMilliseconds(100));
        Assert.DoesNotContain(s.NodeCluster.State.Unreachable, m => m.Address == s.ControlPlaneAddress);
        s.AwaitSeen("during");
    }

    /// <summary>A control plane with the Store, a node process, and a reflector there watching configmaps ("before" seen).</summary>
    private sealed class Scenario : IDisposable
    {
        public Scenario(ClusterFixture cluster, string nodeOverrides)
        {
            var controlPlane = cluster.Start(ClusterRoles.ControlPlane, null, withStore: true, overrides: NoDowning);
            ControlPlaneAddress = Akka.Cluster.Cluster.Get(controlPlane).SelfAddress;
            ControlPlaneCluster = Akka.Cluster.Cluster.Get(controlPlane);
            var node = cluster.Start(ClusterRoles.Node, ControlPlaneAddress, overrides: NoDowning + "\n" + nodeOverrides);
            NodeCluster = Akka.Cluster.Cluster.Get(node);
            NodeAddress = NodeCluster.SelfAddress;
            Kit = new Kit(node);
            Kit.AwaitAssert(() => Assert.Equal(2, NodeCluster.State.Members.Count(m => m.Status == MemberStatus.Up)), Patience, TimeSpan.FromMilliseconds(100));
            ControlPlaneSingletons.StartStore(controlPlane, new StoreSettings(), TimeProvider.System);
            _writer = ControlPlaneSingletons.StoreProxy(controlPlane, "writer-proxy");
            Write(Kit, _writer, "namespaces", """{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"default"}}""");

            Informer = Kit.CreateTestProbe();
            node.ActorOf(Reflector.Props(ControlPlaneSingletons.StoreProxy(node), new ReflectorSpec("cms", "configmaps", "default"), target: Informer.Ref));
            Informer.ExpectMsg<ReflectorReplace>(Patience);
            Write(Kit, _writer, "configmaps", ConfigMap("before"));
            Assert.Contains("before", Informer.ExpectMsg<ReflectorEvents>(Patience).Events.Single().Object.ToString());
            _transport = ((IRemoteActorRefProvider)((ExtendedActorSystem)node).Provider).Transport;
        }

        private readonly IActorRef _writer;
        private readonly RemoteTransport _transport;

        public Kit Kit { get; }
        public Akka.TestKit.TestProbe Informer { get; }
        public Address ControlPlaneAddress { get; }
        public Address NodeAddress { get; }
        public Akka.Cluster.Cluster ControlPlaneCluster { get; }
        public Akka.Cluster.Cluster NodeCluster { get; }

        public Task Cut() => _transport.ManagementCommand(new SetThrottle(ControlPlaneAddress, ThrottleTransportAdapter.Direction.Both, Blackhole.Instance)).WaitAsync(Patience);

        public Task Heal() => _transport.ManagementCommand(new SetThrottle(ControlPlaneAddress, ThrottleTransportAdapter.Direction.Both, Unthrottled.Instance)).WaitAsync(Patience);

        public void WriteAndMissIt(string name)
        {
            Write(Kit, _writer, "configmaps", ConfigMap(name));
            Informer.ExpectNoMsg(TimeSpan.FromMilliseconds(500));
        }

        public void AwaitSeen(string name)
        {
            var seen = new List<string>();
            Kit.AwaitAssert(() =>
            {
                if (Informer.ReceiveOne(TimeSpan.FromMilliseconds(200)) is ReflectorEvents e)
                    seen.AddRange(e.Events.Select(ev => ev.Object.ToString()));
                Assert.Contains(seen, o => o.Contains($"\"{name}\""));
            }, Patience, TimeSpan.FromMilliseconds(10));
        }

        public void Dispose() => Kit.Dispose();
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
