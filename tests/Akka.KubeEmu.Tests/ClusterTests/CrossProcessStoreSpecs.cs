using Akka.Actor;
using Akka.Cluster;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Singletons;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Actors.Timing;
using Akka.KubeEmu.Cluster.Bootstrap;
using Akka.KubeEmu.Cluster.Serialization;
using Xunit;

namespace Akka.KubeEmu.Tests.ClusterTests;

/// <summary>A node member reaches the Store singleton on a control-plane member through its proxy, over Akka.Remote.</summary>
public sealed class CrossProcessStoreSpecs : IDisposable
{
    private readonly ClusterFixture _cluster = new();

    [Fact]
    public void A_node_member_writes_and_watches_through_the_singleton_proxy()
    {
        var controlPlane = _cluster.Start(ClusterRoles.ControlPlane, null, withStore: true);
        var node = _cluster.Start(ClusterRoles.Node, Akka.Cluster.Cluster.Get(controlPlane).SelfAddress);
        using var kit = new Akka.TestKit.Xunit2.TestKit(node);
        kit.AwaitAssert(() => Assert.Equal(2, Akka.Cluster.Cluster.Get(node).State.Members.Count(m => m.Status == MemberStatus.Up)),
            TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(200));

        ControlPlaneSingletons.Start(controlPlane, TimingProfile.Fast, TimeProvider.System);
        var store = ControlPlaneSingletons.StoreProxy(node);

        var watcher = kit.CreateTestProbe();
        kit.AwaitAssert(() =>
        {
            // A probe per attempt: the proxy buffers while it looks for the singleton, and the late
            // answers to earlier attempts must not be taken for the answers to later requests.
            var attempt = kit.CreateTestProbe();
            store.Tell(new GetObject("namespaces", "", "default"), attempt.Ref);
            attempt.ExpectMsg<StoreObject>(TimeSpan.FromSeconds(2));
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));

        store.Tell(new WatchObjects("configmaps", "remote-watch", "default", FieldSelector: "metadata.name=remote"), watcher.Ref);
        watcher.ExpectMsg<WatchAccepted>(TimeSpan.FromSeconds(10));
        store.Tell(new CreateObject("configmaps", RawJson.FromString("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"remote","namespace":"default"}}""")), kit.TestActor);
        var created = KubeObject.Parse(kit.ExpectMsg<StoreObject>(TimeSpan.FromSeconds(10)).Object.Utf8);
        Assert.Equal("remote", KubeObject.Name(created));

        var events = watcher.ExpectMsg<WatchEvents>(TimeSpan.FromSeconds(10));
        Assert.Equal("ADDED", events.Events.Single().Type);
        Assert.Equal(KubeObject.Uid(created), KubeObject.Uid(KubeObject.Parse(events.Events[0].Object.Utf8)));
    }

    public void Dispose() => _cluster.Dispose();
}
