using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Scheduling;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Store;
using Akka.KubeEmu.Tests.Support;
using Xunit;

namespace Akka.KubeEmu.Tests.Scheduling;

public sealed class SchedulerSpecs : StoreTestBase
{
    public SchedulerSpecs() : base(new TempDir()) { }

    private static Akka.KubeEmu.Cluster.Serialization.RawJson Node(string name, string cpu, string memory = "8Gi", string? taintKey = null) =>
        Json($$$"""
        {"apiVersion":"v1","kind":"Node","metadata":{"name":"{{{name}}}","labels":{"kubernetes.io/hostname":"{{{name}}}"}},
         "spec":{{{(taintKey is null ? "{}" : $$"""{"taints":[{"key":"{{taintKey}}","effect":"NoSchedule"}]}""")}}},
         "status":{"allocatable":{"cpu":"{{{cpu}}}","memory":"{{{memory}}}","pods":"110"},
                   "conditions":[{"type":"Ready","status":"True"}]}}
        """);

    private static Akka.KubeEmu.Cluster.Serialization.RawJson Pod(string name, string cpu) =>
        Json($$$$"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{{name}}}}","namespace":"default"},
         "spec":{"schedulerName":"default-scheduler","containers":[{"name":"c","image":"nginx","resources":{"requests":{"cpu":"{{{{cpu}}}}"}}}]}}
        """);

    private JsonObject AwaitPod(Akka.Actor.IActorRef store, string name, Func<JsonObject, bool> condition)
    {
        JsonObject? pod = null;
        AwaitAssert(() =>
        {
            pod = Ok(store, new GetObject("pods", "default", name));
            Assert.True(condition(pod));
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
        return pod!;
    }

    [Fact]
    public void Binds_a_pod_to_the_node_with_room_for_its_requests_and_records_Scheduled()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        Ok(store, new CreateObject("nodes", Node("small", "500m")));
        Ok(store, new CreateObject("nodes", Node("big", "4")));
        Sys.ActorOf(Scheduler.Props(store, Time), "scheduler");

        Ok(store, new CreateObject("pods", Pod("db", "1")));
        var pod = AwaitPod(store, "db", p => KubeObject.ScalarAt(p, "spec.nodeName") is not null);
        Assert.Equal("big", KubeObject.ScalarAt(pod, "spec.nodeName"));
        var scheduled = (pod["status"]!["conditions"] as JsonArray)!.OfType<JsonObject>().Single(c => KubeObject.String(c, "type") == "PodScheduled");
        Assert.Equal("True", KubeObject.String(scheduled, "status"));

        AwaitAssert(() =>
        {
            store.Tell(new ListObjects("events", "default", FieldSelector: "involvedObject.name=db,reason=Scheduled"), TestActor);
            var events = ExpectMsg<StoreList>();
            Assert.Equal("Successfully assigned default/db to big", KubeObject.ScalarAt(Obj(Assert.Single(events.Items)), "message"));
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_pod_no_node_can_hold_gets_the_kube_scheduler_message_and_is_retried_when_a_node_appears()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        Ok(store, new CreateObject("nodes", Node("n1", "1")));
        Ok(store, new CreateObject("nodes", Node("n2", "1", taintKey: "dedicated")));
        Sys.ActorOf(Scheduler.Props(store, Time), "scheduler");

        Ok(store, new CreateObject("pods", Pod("huge", "2")));
        var pod = AwaitPod(store, "huge", p => p["status"]?["conditions"] is JsonArray);
        var condition = (pod["status"]!["conditions"] as JsonArray)!.OfType<JsonObject>().Single();
        Assert.Equal("False", KubeObject.String(condition, "status"));
        Assert.Equal("Unschedulable", KubeObject.String(condition, "reason"));
        Assert.Equal("0/2 nodes are available: 1 Insufficient cpu, 1 node(s) had untolerated taint {dedicated: }. " +
                     "preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod., 1 Preemption is not helpful for scheduling.",
            KubeObject.String(condition, "message"));

        Ok(store, new CreateObject("nodes", Node("n3", "4")));
        pod = AwaitPod(store, "huge", p => KubeObject.ScalarAt(p, "spec.nodeName") is not null);
        Assert.Equal("n3", KubeObject.ScalarAt(pod, "spec.nodeName"));
    }

    [Fact]
    public void Assumed_pods_count_so_two_pods_do_not_squeeze_onto_one_full_node()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        Ok(store, new CreateObject("nodes", Node("a", "1")));
        Ok(store, new CreateObject("nodes", Node("b", "1")));
        Ok(store, new CreateObject("pods", Pod("p1", "800m")));
        Ok(store, new CreateObject("pods", Pod("p2", "800m")));
        Sys.ActorOf(Scheduler.Props(store, Time), "scheduler");

        var p1 = AwaitPod(store, "p1", p => KubeObject.ScalarAt(p, "spec.nodeName") is not null);
        var p2 = AwaitPod(store, "p2", p => KubeObject.ScalarAt(p, "spec.nodeName") is not null);
        Assert.NotEqual(KubeObject.ScalarAt(p1, "spec.nodeName"), KubeObject.ScalarAt(p2, "spec.nodeName"));
    }
}
