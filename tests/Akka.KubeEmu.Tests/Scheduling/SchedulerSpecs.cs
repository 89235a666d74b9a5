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
            var scheduledEvent = Obj(Assert.Single(events.Items));
            Assert.Equal("Successfully assigned default/db to big", KubeObject.ScalarAt(scheduledEvent, "message"));
            // About the pod, not about the Status the binding call answers with.
            Assert.Equal("Pod", KubeObject.ScalarAt(scheduledEvent, "involvedObject.kind"));
            Assert.Equal("v1", KubeObject.ScalarAt(scheduledEvent, "involvedObject.apiVersion"));
            Assert.Equal(KubeObject.Uid(pod), KubeObject.ScalarAt(scheduledEvent, "involvedObject.uid"));
            Assert.Equal("default-scheduler", KubeObject.ScalarAt(scheduledEvent, "source.component"));
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
                     "preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.",
            KubeObject.String(condition, "message"));

        Ok(store, new CreateObject("nodes", Node("n3", "4")));
        // The node added moves the pod back once its first back-off (1 s) is over.
        Time.Advance(TimeSpan.FromSeconds(1));
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

    private static JsonObject? PodScheduled(JsonObject pod) =>
        (pod["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().SingleOrDefault(c => KubeObject.String(c, "type") == "PodScheduled");

    [Fact]
    public void A_node_heartbeat_is_no_reason_to_try_an_unschedulable_pod_again()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        var node = Ok(store, new CreateObject("nodes", Node("n1", "1")));
        var metrics = new SchedulerMetrics();
        Sys.ActorOf(Scheduler.Props(store, Time, metrics: metrics), "scheduler");
        Ok(store, new CreateObject("pods", Pod("huge", "2")));
        AwaitPod(store, "huge", p => KubeObject.String(PodScheduled(p), "status") == "False");
        Assert.Equal(1, metrics.Unschedulable);

        // The kubelet posts its status: heartbeats, nothing a filter looks at.
        for (var i = 1; i <= 3; i++)
        {
            var ready = (KubeObject.At(node, "status.conditions") as JsonArray)![0]!.AsObject();
            ready["lastHeartbeatTime"] = KubeObject.Timestamp(Time.GetUtcNow().AddSeconds(10 * i));
            node = Ok(store, new UpdateObject("nodes", new(KubeObject.ToBytes(node)), "status"));
        }
        // Then its allocatable grows: that may help, and does.
        KubeObject.EnsureObject(KubeObject.EnsureObject(node, "status"), "allocatable")["cpu"] = "4";
        Ok(store, new UpdateObject("nodes", new(KubeObject.ToBytes(node)), "status"));
        Time.Advance(TimeSpan.FromSeconds(1));

        var pod = AwaitPod(store, "huge", p => KubeObject.ScalarAt(p, "spec.nodeName") is not null);
        Assert.Equal("n1", KubeObject.ScalarAt(pod, "spec.nodeName"));
        // Node events reach the scheduler in order: a heartbeat that woke the pod would have cost an attempt before the binding.
        Assert.Equal(1, metrics.Unschedulable);
        Assert.Equal(1, metrics.Scheduled);
    }

    [Fact]
    public void The_PodScheduled_False_condition_is_written_again_when_the_first_write_is_lost()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        Ok(store, new CreateObject("nodes", Node("n1", "1")));
        var probe = CreateTestProbe();
        var flaky = Sys.ActorOf(Controllers.FlakyStore.Props(store, m => m is UpdateObject { Resource: "pods", Subresource: "status" }, 1, probe));
        var metrics = new SchedulerMetrics();
        Sys.ActorOf(Scheduler.Props(flaky, Time, requestTimeout: TimeSpan.FromMilliseconds(500), metrics: metrics), "scheduler");

        Ok(store, new CreateObject("pods", Pod("huge", "2")));
        probe.ExpectMsg<Controllers.FlakyStore.Dropped>(TimeSpan.FromSeconds(10));
        var pod = AwaitPod(store, "huge", p => PodScheduled(p) is not null);
        Assert.Equal("Unschedulable", KubeObject.String(PodScheduled(pod), "reason"));
        Assert.StartsWith("0/1 nodes are available: 1 Insufficient cpu.", KubeObject.String(PodScheduled(pod), "message"));
        Assert.Equal(1, metrics.Unschedulable); // written again, not scheduled again
    }

    [Fact]
    public void Repeated_FailedScheduling_events_count_up_on_one_event_as_kubectl_describe_shows_them()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        var node = Ok(store, new CreateObject("nodes", Node("n1", "1")));
        var metrics = new SchedulerMetrics();
        Sys.ActorOf(Scheduler.Props(store, Time, metrics: metrics), "scheduler");
        Ok(store, new CreateObject("pods", Pod("huge", "2")));
        AwaitPod(store, "huge", p => KubeObject.String(PodScheduled(p), "status") == "False");

        // A new label may help (it does not): a second attempt, about the pod whose status changed meanwhile.
        KubeObject.EnsureObject(KubeObject.Metadata(node), "labels")["zone"] = "a";
        Ok(store, new UpdateObject("nodes", new(KubeObject.ToBytes(node))));
        // The retry waits out the pod's first back-off (1 s).
        Time.Advance(TimeSpan.FromSeconds(1));
        AwaitAssert(() => Assert.Equal(2, metrics.Unschedulable), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));

        AwaitAssert(() =>
        {
            store.Tell(new ListObjects("events", "default", FieldSelector: "involvedObject.name=huge,reason=FailedScheduling"), TestActor);
            var ev = Obj(Assert.Single(ExpectMsg<StoreList>().Items));
            Assert.Equal("2", KubeObject.ScalarAt(ev, "count"));
            Assert.Equal("Warning", KubeObject.String(ev, "type"));
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
    }
}
