using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Store;
using Akka.KubeEmu.Tests.Support;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Informers;

public sealed class SharedInformerSpecs : StoreTestBase
{
    public SharedInformerSpecs() : base(new TempDir()) { }

    [Fact]
    public void Handlers_see_the_list_then_every_change_after_the_cache_holds_it()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        Ok(store, new CreateObject("namespaces", Namespace("other")));
        Ok(store, new CreateObject("configmaps", ConfigMap("a")));
        Ok(store, new CreateObject("configmaps", ConfigMap("b", "other")));
        var factory = new SharedInformerFactory(Sys, "test", store, Time);
        var informer = factory.For<V1ConfigMap>();
        Assert.Same(informer, factory.For<V1ConfigMap>());
        informer.AddEventHandler(TestActor);

        var listed = ExpectMsg<InformerEvents>();
        Assert.Equal(["a", "b"], listed.Changes.Select(c => ((V1ConfigMap)c.New!).Metadata.Name).Order());
        Assert.All(listed.Changes, c => Assert.Null(c.Old));
        ExpectMsg<InformerSynced>();
        Assert.True(informer.HasSynced);
        Assert.Equal("b", Assert.Single(informer.Indexer.InNamespace("other")).Metadata.Name);

        Ok(store, new UpdateObject("configmaps", ConfigMap("a", data: "changed")));
        var updated = Assert.Single(ExpectMsg<InformerEvents>().Changes);
        Assert.Equal("v", ((V1ConfigMap)updated.Old!).Data["k"]);
        Assert.Equal("changed", ((V1ConfigMap)updated.New!).Data["k"]);
        // The cache held the change before the handler heard of it.
        Assert.Equal("changed", informer.Indexer.Get("default/a")!.Data["k"]);

        Ok(store, new DeleteObject("configmaps", "other", "b"));
        var deleted = Assert.Single(ExpectMsg<InformerEvents>().Changes);
        Assert.Equal(("b", null), (((V1ConfigMap)deleted.Old!).Metadata.Name, deleted.New));
        Assert.Null(informer.Indexer.Get("other/b"));
        Assert.Empty(informer.Indexer.InNamespace("other"));
    }

    [Fact]
    public void A_second_factory_of_the_process_takes_the_objects_the_first_decoded()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        Ok(store, new CreateObject("configmaps", ConfigMap("a")));
        Ok(store, new CreateObject("configmaps", ConfigMap("b", data: "w")));
        // The controller manager's factory and the scheduler's, each with its own list and watch; the
        // second lists after the first has decoded (two decoding the same bytes at once both decode).
        var first = new SharedInformerFactory(Sys, "first", store, Time).For<V1ConfigMap>();
        first.AddEventHandler(TestActor);
        ExpectMsg<InformerEvents>();
        ExpectMsg<InformerSynced>();
        var second = new SharedInformerFactory(Sys, "second", store, Time).For<V1ConfigMap>();
        second.AddEventHandler(TestActor);
        var listed = ExpectMsg<InformerEvents>();
        ExpectMsg<InformerSynced>();

        Assert.Equal(2, listed.Changes.Count);
        Assert.All(listed.Changes, c => Assert.Same(first.Indexer.Get(KubeModels.Key((V1ConfigMap)c.New!)), c.New));
        Assert.Equal("w", second.Indexer.Get("default/b")!.Data["k"]);
    }

    [Fact]
    public void Equal_bytes_that_are_not_the_same_array_are_decoded_anew()
    {
        var bytes = ConfigMap("a").Utf8.ToArray();
        var decoded = new V1ConfigMap();
        DecodedObjects.Remember(bytes, decoded);
        Assert.True(DecodedObjects.TryGet<V1ConfigMap>(bytes, out var same));
        Assert.Same(decoded, same);
        Assert.False(DecodedObjects.TryGet<V1ConfigMap>(bytes.ToArray(), out _));
        Assert.False(DecodedObjects.TryGet<V1Pod>(bytes, out _));
    }

    [Fact]
    public void A_handler_added_late_gets_the_cache_replayed_and_all_handlers_share_one_watch()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        Ok(store, new CreateObject("configmaps", ConfigMap("a")));
        var informer = new SharedInformerFactory(Sys, "test", store, Time).For<V1ConfigMap>();
        informer.AddEventHandler(TestActor);
        ExpectMsg<InformerEvents>();
        ExpectMsg<InformerSynced>();

        var late = CreateTestProbe();
        informer.AddEventHandler(late);
        Assert.Equal("a", ((V1ConfigMap)Assert.Single(late.ExpectMsg<InformerEvents>().Changes).New!).Metadata.Name);
        late.ExpectMsg<InformerSynced>();

        Ok(store, new CreateObject("configmaps", ConfigMap("c")));
        Assert.Equal("c", ((V1ConfigMap)Assert.Single(ExpectMsg<InformerEvents>().Changes).New!).Metadata.Name);
        Assert.Equal("c", ((V1ConfigMap)Assert.Single(late.ExpectMsg<InformerEvents>().Changes).New!).Metadata.Name);
    }

    [Fact]
    public void Pods_are_indexed_by_node_and_by_controlling_owner_with_orphans_per_namespace()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        Ok(store, new CreateObject("pods", Json("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"owned","namespace":"default",
              "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs","uid":"rs-uid","controller":true}]},
             "spec":{"nodeName":"node-1","containers":[{"name":"c","image":"nginx"}]}}
            """)));
        Ok(store, new CreateObject("pods", Json("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"orphan","namespace":"default"},"spec":{"containers":[{"name":"c","image":"nginx"}]}}
            """)));
        var informer = new SharedInformerFactory(Sys, "test", store, Time).For<V1Pod>();
        informer.AddEventHandler(TestActor);
        ExpectMsg<InformerEvents>();
        ExpectMsg<InformerSynced>();

        Assert.Equal("owned", Assert.Single(informer.Indexer.ByIndex(Indexers.NodeName, "node-1")).Metadata.Name);
        Assert.Equal("owned", Assert.Single(informer.Indexer.ByIndex(Indexers.ControllerUid, "rs-uid")).Metadata.Name);
        Assert.Equal("owned", Assert.Single(informer.Indexer.ByIndex(Indexers.OwnerUid, "rs-uid")).Metadata.Name);
        Assert.Equal("orphan", Assert.Single(informer.Indexer.ByIndex(Indexers.ControllerUid, Indexers.Orphans("default"))).Metadata.Name);
    }
}
