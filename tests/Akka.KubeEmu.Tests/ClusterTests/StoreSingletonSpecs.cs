using Akka.Actor;
using Akka.Cluster;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Singletons;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Cluster.Bootstrap;
using Akka.KubeEmu.Cluster.Serialization;
using Kit = Akka.TestKit.Xunit2.TestKit;
using Xunit;

namespace Akka.KubeEmu.Tests.ClusterTests;

/// <summary>The Store singleton under its back-off supervisor, reached through its proxy, handed over when its member leaves.</summary>
public sealed class StoreSingletonSpecs : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly ClusterFixture _cluster = new();

    [Fact]
    public void Through_the_proxy_requests_reach_the_supervised_store_and_replies_and_watches_come_from_the_store_actor()
    {
        var controlPlane = _cluster.Start(ClusterRoles.ControlPlane, null, withStore: true);
        using var kit = new Kit(controlPlane);
        ControlPlaneSingletons.StartStore(controlPlane, new StoreSettings(), TimeProvider.System);
        var store = ControlPlaneSingletons.StoreProxy(controlPlane);

        var storeActor = CreateNamespace(kit, store);
        Assert.Equal($"/user/{ControlPlaneSingletons.StoreName}/singleton/{ControlPlaneSingletons.StoreName}", storeActor.Path.ToStringWithoutAddress());

        var watcher = kit.CreateTestProbe();
        store.Tell(new WatchObjects("configmaps", "w", "default"), watcher.Ref);
        watcher.ExpectMsg<WatchAccepted>(TimeSpan.FromSeconds(10));
        Assert.Equal(storeActor, watcher.LastSender);
        store.Tell(new CreateObject("configmaps", ConfigMap("cm")), kit.TestActor);
        kit.ExpectMsg<StoreObject>(TimeSpan.FromSeconds(10));
        Assert.Equal("ADDED", watcher.ExpectMsg<WatchEvents>(TimeSpan.FromSeconds(10)).Events.Single().Type);
    }

    [Fact]
    public void When_its_member_leaves_the_store_hands_over_with_every_acknowledged_write()
    {
        var first = _cluster.Start(ClusterRoles.ControlPlane, null, withStore: true);
        var firstAddress = Akka.Cluster.Cluster.Get(first).SelfAddress;
        var second = _cluster.Start(ClusterRoles.ControlPlane, firstAddress, withStore: true);
        using var kit = new Kit(second);
        kit.AwaitAssert(() => Assert.Equal(2, Akka.Cluster.Cluster.Get(second).State.Members.Count(m => m.Status == MemberStatus.Up)),
            Patience, TimeSpan.FromMilliseconds(200));
        ControlPlaneSingletons.StartStore(first, new StoreSettings(), TimeProvider.System);
        ControlPlaneSingletons.StartStore(second, new StoreSettings(), TimeProvider.System);
        var store = ControlPlaneSingletons.StoreProxy(second);
        Assert.Equal(firstAddress, CreateNamespace(kit, store).Path.Address);

        const int writes = 200;
        for (var i = 0; i < writes; i++) store.Tell(new CreateObject("configmaps", ConfigMap($"cm-{i:D2}")), kit.TestActor);
        Akka.Cluster.Cluster.Get(first).Leave(firstAddress);

        // Each write is answered by the old store, refused by it while it stops (503), or lost in the move (no answer).
        var acknowledged = new List<string>();
        while (kit.ReceiveOne(TimeSpan.FromSeconds(10)) is { } reply)
        {
            if (reply is StoreObject o) acknowledged.Add(KubeObject.Name(KubeObject.Parse(o.Object.Utf8)));
            else Assert.Equal(503, Assert.IsType<StoreFailure>(reply).Status.Code);
        }
        Assert.NotEmpty(acknowledged);

        kit.AwaitAssert(() =>
        {
            store.Tell(new ListObjects("configmaps", "default"), kit.TestActor);
            var list = kit.ExpectMsg<StoreList>(TimeSpan.FromSeconds(2));
            Assert.NotEqual(firstAddress, kit.LastSender.Path.Address);
            var names = list.Items.Select(i => KubeObject.Name(KubeObject.Parse(i.Utf8))).ToHashSet();
            Assert.Superset(acknowledged.ToHashSet(), names);
        }, Patience, TimeSpan.FromMilliseconds(500));
    }

    /// <summary>Creates the default namespace once the proxy finds the store; returns who answered.</summary>
    private static IActorRef CreateNamespace(Kit kit, IActorRef store)
    {
        IActorRef answeredBy = ActorRefs.Nobody;
        kit.AwaitAssert(() =>
        {
            // A probe per attempt: answers to attempts the proxy buffered arrive late, and must not
            // be taken for answers to later requests.
            var attempt = kit.CreateTestProbe();
            store.Tell(new CreateObject("namespaces", RawJson.FromString("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"default"}}""")), attempt.Ref);
            var reply = attempt.ExpectMsg<object>(TimeSpan.FromSeconds(2));
            Assert.True(reply is StoreObject or StoreFailure { Status.Code: 409 }, $"{reply}");
            answeredBy = attempt.LastSender;
        }, Patience, TimeSpan.FromMilliseconds(500));
        return answeredBy;
    }

    private static RawJson ConfigMap(string name) =>
        RawJson.FromString($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","namespace":"default"}}""");

    public void Dispose() => _cluster.Dispose();
}
