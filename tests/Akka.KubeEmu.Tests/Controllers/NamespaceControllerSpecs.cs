using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.Namespace;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Actors.Workqueue;
using Akka.KubeEmu.Tests.Store;
using Akka.KubeEmu.Tests.Support;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers;

public sealed class NamespaceControllerSpecs : StoreTestBase
{
    private const string Name = "namespace-controller";

    public NamespaceControllerSpecs() : base(new TempDir()) { }

    private static Akka.KubeEmu.Cluster.Serialization.RawJson Held(string name, string ns) => Json($$$"""
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}","namespace":"{{{ns}}}","finalizers":["example.com/hold"]},"data":{"k":"v"}}
        """);

    private bool Exists(IActorRef store, string resource, string ns, string name)
    {
        store.Tell(new GetObject(resource, ns, name), TestActor);
        return ExpectMsg<object>() is StoreObject;
    }

    private (IActorRef Store, WorkqueueMetrics Metrics) Start()
    {
        var store = StartStore();
        foreach (var ns in new[] { "team-a", "team-b" }) Ok(store, new CreateObject("namespaces", Namespace(ns)));
        var metrics = new WorkqueueMetrics(perKey: true);
        Sys.ActorOf(NamespaceController.Props(ControllerTestKit.Context(Sys, store, Time, metrics)));
        return (store, metrics);
    }

    [Fact]
    public void A_deleted_namespace_loses_its_content_and_then_goes()
    {
        var (store, metrics) = Start();
        Ok(store, new CreateObject("configmaps", ConfigMap("settings", "team-a")));
        Ok(store, new CreateObject("serviceaccounts", Json("""{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"default","namespace":"team-a"}}""")));
        Ok(store, new CreateObject("pods", Json("""{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"team-a"},"spec":{"containers":[{"name":"c","image":"nginx"}]}}""")));
        Ok(store, new CreateObject("configmaps", ConfigMap("untouched", "team-b")));

        var terminating = Ok(store, new DeleteObject("namespaces", "", "team-a"));
        Assert.Equal("Terminating", KubeObject.ScalarAt(terminating, "status.phase"));
        AwaitAssert(() =>
        {
            Time.Advance(TimeSpan.FromMilliseconds(100)); // back-off, should the content take more than one pass
            Assert.False(Exists(store, "namespaces", "", "team-a"));
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        Assert.False(Exists(store, "configmaps", "team-a", "settings"));
        Assert.False(Exists(store, "pods", "team-a", "p"));
        Assert.True(Exists(store, "configmaps", "team-b", "untouched"));
        // Namespaces nobody deletes are never looked at.
        Assert.Equal(0, metrics.Syncs(Name, "team-b"));
    }

    [Fact]
    public void Content_that_is_slow_to_go_holds_the_namespace_which_is_looked_at_again_after_a_back_off()
    {
        var (store, metrics) = Start();
        Ok(store, new CreateObject("configmaps", Held("held", "team-a")));
        Ok(store, new DeleteObject("namespaces", "", "team-a"));

        // The configmap is deleted but waits for its finalizer; the namespace waits for it.
        AwaitAssert(() =>
        {
            Time.Advance(TimeSpan.FromMilliseconds(100));
            Assert.NotNull(KubeObject.ScalarAt(Ok(store, new GetObject("configmaps", "team-a", "held")), "metadata.deletionTimestamp"));
            Assert.True(metrics.Syncs(Name, "team-a") >= 3);
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        var finalizers = KubeObject.At(Ok(store, new GetObject("namespaces", "", "team-a")), "spec.finalizers") as JsonArray;
        Assert.Equal(["kubernetes"], finalizers!.Select(f => KubeObject.ScalarText(f)));

        var held = Ok(store, new GetObject("configmaps", "team-a", "held"));
        KubeObject.Metadata(held)["finalizers"] = new JsonArray();
        Ok(store, new UpdateObject("configmaps", new(KubeObject.ToBytes(held))));
        AwaitAssert(() =>
        {
            Time.Advance(TimeSpan.FromMilliseconds(100));
            Assert.False(Exists(store, "namespaces", "", "team-a"));
        }, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100));
        Assert.Equal(0, metrics.Syncs(Name, "team-b"));
    }
}
