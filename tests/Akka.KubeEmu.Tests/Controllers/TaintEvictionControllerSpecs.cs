using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.TaintEviction;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Actors.Workqueue;
using Akka.KubeEmu.Tests.Store;
using Akka.KubeEmu.Tests.Support;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers;

public sealed class TaintEvictionControllerSpecs : StoreTestBase
{
    private const string Name = TaintEvictionController.ControllerName;

    public TaintEvictionControllerSpecs() : base(new TempDir()) { }

    private static Akka.KubeEmu.Cluster.Serialization.RawJson Pod(string name, string tolerations, string node = "node-1") => Json($$$"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"default"},
         "spec":{"nodeName":"{{{node}}}","containers":[{"name":"c","image":"nginx"}],"tolerations":{{{tolerations}}}}}
        """);

    private static Akka.KubeEmu.Cluster.Serialization.RawJson Node(string name) => Json($$$"""
        {"apiVersion":"v1","kind":"Node","metadata":{"name":"{{{name}}}"},"spec":{},
         "status":{"conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"2026-11-22T12:00:00Z","lastTransitionTime":"2026-11-22T12:00:00Z"}]}}
        """);

    private bool Deleting(Akka.Actor.IActorRef store, string pod) =>
        KubeObject.ScalarAt(Ok(store, new GetObject("pods", "default", pod)), "metadata.deletionTimestamp") is not null;

    [Fact]
    public void Pods_leave_a_lost_node_when_their_toleration_runs_out_and_forever_tolerant_pods_stay()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        var added = KubeObject.Timestamp(Time.GetUtcNow().AddSeconds(-29));
        Ok(store, new CreateObject("nodes", Json($$$"""
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"node-1"},
             "spec":{"taints":[{"key":"node.kubernetes.io/unreachable","effect":"NoExecute","timeAdded":"{{{added}}}"}]}}
            """)));
        Ok(store, new CreateObject("pods", Pod("intolerant", "[]")));
        Ok(store, new CreateObject("pods", Pod("thirty-seconds",
            """[{"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":30}]""")));
        Ok(store, new CreateObject("pods", Pod("forever", """[{"operator":"Exists"}]""")));
        Sys.ActorOf(TaintEvictionController.Props(ControllerTestKit.Context(Sys, store, Time)));

        // The pods are bound, so eviction marks them Terminating (graceful), as on a real lost node.
        AwaitAssert(() => Assert.True(Deleting(store, "intolerant")), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
        Assert.False(Deleting(store, "thirty-seconds"));
        // Its toleration runs out a second later (in virtual time).
        AwaitAssert(() =>
        {
            Time.Advance(TimeSpan.FromMilliseconds(250));
            Assert.True(Deleting(store, "thirty-seconds"));
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
        Assert.False(Deleting(store, "forever"));

        var intolerant = Ok(store, new GetObject("pods", "default", "intolerant"));
        var disruption = (KubeObject.At(intolerant, "status.conditions") as JsonArray)!.OfType<JsonObject>().Single(c => KubeObject.String(c, "type") == "DisruptionTarget");
        Assert.Equal("True", KubeObject.String(disruption, "status"));
        Assert.Equal("DeletionByTaintManager", KubeObject.String(disruption, "reason"));
        Assert.Equal("Taint manager: deleting due to NoExecute taint", KubeObject.String(disruption, "message"));
        AwaitAssert(() =>
        {
            store.Tell(new ListObjects("events", "default", FieldSelector: "reason=TaintManagerEviction,involvedObject.name=intolerant"), TestActor);
            var events = ExpectMsg<StoreList>();
            Assert.Equal("Marking for deletion Pod default/intolerant", KubeObject.ScalarAt(Obj(Assert.Single(events.Items)), "message"));
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_pod_whose_taint_goes_before_its_time_is_spared()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        var node = Ok(store, new CreateObject("nodes", Json($$$"""
            {"apiVersion":"v1","kind":"Node","metadata":{"name":"node-1"},
             "spec":{"taints":[{"key":"node.kubernetes.io/not-ready","effect":"NoExecute","timeAdded":"{{{KubeObject.Timestamp(Time.GetUtcNow())}}}"}]}}
            """)));
        Ok(store, new CreateObject("pods", Pod("patient",
            """[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}]""")));
        var metrics = new WorkqueueMetrics(perKey: true);
        Sys.ActorOf(TaintEvictionController.Props(ControllerTestKit.Context(Sys, store, Time, metrics)));
        AwaitAssert(() => Assert.Equal(1, metrics.Finished(Name)), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50));

        KubeObject.Metadata(node).Remove("resourceVersion");
        node["spec"] = new JsonObject();
        Ok(store, new UpdateObject("nodes", new(KubeObject.ToBytes(node))));
        AwaitAssert(() =>
        {
            store.Tell(new ListObjects("events", "default", FieldSelector: "reason=TaintManagerEviction,involvedObject.name=patient"), TestActor);
            Assert.Equal("Cancelling deletion of Pod default/patient", KubeObject.ScalarAt(Obj(Assert.Single(ExpectMsg<StoreList>().Items)), "message"));
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
        Assert.False(Deleting(store, "patient"));
    }

    [Fact]
    public void A_node_heartbeat_looks_at_no_pod_and_a_taint_looks_only_at_the_pods_of_its_node()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        var quiet = Ok(store, new CreateObject("nodes", Node("node-1")));
        var tainted = Ok(store, new CreateObject("nodes", Node("node-2")));
        foreach (var (pod, node) in new[] { ("a1", "node-1"), ("a2", "node-1"), ("b1", "node-2"), ("b2", "node-2") })
            Ok(store, new CreateObject("pods", Pod(pod, "[]", node)));
        var metrics = new WorkqueueMetrics(perKey: true);
        Sys.ActorOf(TaintEvictionController.Props(ControllerTestKit.Context(Sys, store, Time, metrics)));
        AwaitAssert(() => Assert.Equal(4, metrics.Finished(Name)), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(50));

        // node-1 posts its status (a heartbeat) twice; then node-2 gets a NoExecute taint nobody tolerates.
        for (var i = 1; i <= 2; i++)
        {
            var ready = (KubeObject.At(quiet, "status.conditions") as JsonArray)![0]!.AsObject();
            ready["lastHeartbeatTime"] = KubeObject.Timestamp(Time.GetUtcNow().AddSeconds(10 * i));
            quiet = Ok(store, new UpdateObject("nodes", new(KubeObject.ToBytes(quiet)), "status"));
        }
        KubeObject.EnsureObject(tainted, "spec")["taints"] = new JsonArray(new JsonObject { ["key"] = "example.com/drain", ["effect"] = "NoExecute" });
        Ok(store, new UpdateObject("nodes", new(KubeObject.ToBytes(tainted))));

        AwaitAssert(() => Assert.True(Deleting(store, "b1") && Deleting(store, "b2")), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));
        // Keys are synced in the order they were queued: node-1's pods would have gone before node-2's.
        Assert.Equal(1, metrics.Syncs(Name, "default/a1"));
        Assert.Equal(1, metrics.Syncs(Name, "default/a2"));
        Assert.False(Deleting(store, "a1"));
    }
}
