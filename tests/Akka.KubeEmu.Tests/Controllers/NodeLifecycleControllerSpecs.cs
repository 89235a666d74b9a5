using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.NodeLifecycle;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Actors.Timing;
using Akka.KubeEmu.Actors.Workqueue;
using Akka.KubeEmu.Cluster.Membership;
using Akka.KubeEmu.Tests.Store;
using Akka.KubeEmu.Tests.Support;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers;

public sealed class NodeLifecycleControllerSpecs : StoreTestBase
{
    private const string Address = "akka.tcp://kubeemu@127.0.0.1:5001";
    private const string OtherAddress = "akka.tcp://kubeemu@127.0.0.1:5002";

    public NodeLifecycleControllerSpecs() : base(new TempDir()) { }

    private static Akka.KubeEmu.Cluster.Serialization.RawJson ReadyNode(string name, string address = Address) => Json($$$"""
        {"apiVersion":"v1","kind":"Node","metadata":{"name":"{{{name}}}","annotations":{"kubeemu.io/akka-address":"{{{address}}}"}},
         "spec":{},
         "status":{"conditions":[
           {"type":"MemoryPressure","status":"False","reason":"KubeletHasSufficientMemory","lastHeartbeatTime":"2026-11-22T12:00:00Z","lastTransitionTime":"2026-11-22T12:00:00Z"},
           {"type":"Ready","status":"True","reason":"KubeletReady","message":"kubelet is posting ready status","lastHeartbeatTime":"2026-11-22T12:00:00Z","lastTransitionTime":"2026-11-22T12:00:00Z"}]}}
        """);

    private static Akka.KubeEmu.Cluster.Serialization.RawJson ReadyPod(string name, string node) => Json($$$"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"default"},
         "spec":{"nodeName":"{{{node}}}","containers":[{"name":"c","image":"nginx"}]},
         "status":{"phase":"Running","conditions":[
           {"type":"Ready","status":"True","lastTransitionTime":"2026-11-22T12:00:00Z"},
           {"type":"ContainersReady","status":"True","lastTransitionTime":"2026-11-22T12:00:00Z"}]}}
        """);

    private static Akka.KubeEmu.Cluster.Serialization.RawJson Lease(string node, DateTimeOffset renewed) => Json($$$"""
        {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"{{{node}}}","namespace":"kube-node-lease"},
         "spec":{"holderIdentity":"{{{node}}}","leaseDurationSeconds":40,"renewTime":"{{{KubeObject.MicroTimestamp(renewed)}}}"}}
        """);

    private IActorRef StartController(IActorRef store, TimingProfile timing, WorkqueueMetrics? metrics = null, IActorRef? api = null) =>
        Sys.ActorOf(NodeLifecycleController.Props(ControllerTestKit.Context(Sys, store, Time, metrics, api, TimeSpan.FromSeconds(1)), timing));

    private static string? Condition(JsonObject node, string type, string field) =>
        (node["status"]!["conditions"] as JsonArray)!.OfType<JsonObject>().Where(c => KubeObject.String(c, "type") == type)
        .Select(c => KubeObject.String(c, field)).FirstOrDefault();

    private static IEnumerable<string> Taints(JsonObject node) =>
        (KubeObject.At(node, "spec.taints") as JsonArray)?.OfType<JsonObject>()
        .Select(t => $"{KubeObject.String(t, "key")}:{KubeObject.String(t, "effect")}") ?? [];

    [Fact]
    public void An_unreachable_process_makes_its_node_Unknown_and_tainted_at_once()
    {
        var store = StartStore();
        Ok(store, new CreateObject("nodes", ReadyNode("node-1")));
        var controller = StartController(store, TimingProfile.Fast with { NodeMonitorGracePeriod = TimeSpan.FromHours(1) });
        controller.Tell(new MemberHealth(Address, ["node"], MemberHealthStatus.Up), TestActor);

        controller.Tell(new MemberHealth(Address, ["node"], MemberHealthStatus.Unreachable), TestActor);
        AwaitAssert(() =>
        {
            var node = Ok(store, new GetObject("nodes", "", "node-1"));
            Assert.Equal("Unknown", Condition(node, "Ready", "status"));
            Assert.Equal("NodeStatusUnknown", Condition(node, "Ready", "reason"));
            Assert.Equal("Kubelet stopped posting node status.", Condition(node, "Ready", "message"));
            Assert.Equal("Unknown", Condition(node, "MemoryPressure", "status"));
            Assert.Equal(["node.kubernetes.io/unreachable:NoExecute", "node.kubernetes.io/unreachable:NoSchedule"], Taints(node).Order());
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_cordoned_node_gets_the_unschedulable_taint_and_loses_it_on_uncordon()
    {
        var store = StartStore();
        Ok(store, new CreateObject("nodes", ReadyNode("node-1")));
        StartController(store, TimingProfile.Fast with { NodeMonitorGracePeriod = TimeSpan.FromHours(1) });

        // kubectl cordon: a patch of spec.unschedulable.
        var node = Ok(store, new GetObject("nodes", "", "node-1"));
        KubeObject.EnsureObject(node, "spec")["unschedulable"] = true;
        Ok(store, new UpdateObject("nodes", new(KubeObject.ToBytes(node))));
        AwaitAssert(() => Assert.Equal(["node.kubernetes.io/unschedulable:NoSchedule"], Taints(Ok(store, new GetObject("nodes", "", "node-1")))),
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));

        // kubectl uncordon: the user's own taints stay, the controller's goes.
        node = Ok(store, new GetObject("nodes", "", "node-1"));
        node["spec"]!.AsObject().Remove("unschedulable");
        (node["spec"]!["taints"] as JsonArray)!.Add(new JsonObject { ["key"] = "dedicated", ["value"] = "infra", ["effect"] = "NoSchedule" });
        Ok(store, new UpdateObject("nodes", new(KubeObject.ToBytes(node))));
        AwaitAssert(() => Assert.Equal(["dedicated:NoSchedule"], Taints(Ok(store, new GetObject("nodes", "", "node-1")))),
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_node_whose_kubelet_posts_Ready_again_loses_its_taints()
    {
        var store = StartStore();
        Ok(store, new CreateObject("nodes", ReadyNode("node-1")));
        var controller = StartController(store, TimingProfile.Fast with { NodeMonitorGracePeriod = TimeSpan.FromHours(1) });
        controller.Tell(new MemberHealth(Address, ["node"], MemberHealthStatus.Unreachable), TestActor);
        AwaitAssert(() => Assert.NotEmpty(Taints(Ok(store, new GetObject("nodes", "", "node-1")))), TimeSpan.FromSeconds(10));

        controller.Tell(new MemberHealth(Address, ["node"], MemberHealthStatus.Reachable), TestActor);
        var node = Ok(store, new GetObject("nodes", "", "node-1"));
        var ready = (node["status"]!["conditions"] as JsonArray)!.OfType<JsonObject>().First(c => KubeObject.String(c, "type") == "Ready");
        ready["status"] = "True";
        Ok(store, new UpdateObject("nodes", new(KubeObject.ToBytes(node)), "status"));

        AwaitAssert(() => Assert.Empty(Taints(Ok(store, new GetObject("nodes", "", "node-1")))), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_thawed_process_posting_Ready_before_it_is_reachable_again_stays_Ready()
    {
        var store = StartStore();
        Ok(store, new CreateObject("nodes", ReadyNode("node-1")));
        var controller = StartController(store, TimingProfile.Fast with { NodeMonitorGracePeriod = TimeSpan.FromHours(1) });
        controller.Tell(new MemberHealth(Address, ["node"], MemberHealthStatus.Unreachable), TestActor);
        AwaitAssert(() => Assert.Equal("Unknown", Condition(Ok(store, new GetObject("nodes", "", "node-1")), "Ready", "status")),
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));

        // The kubelet's status comes through while the failure detectors still count the process unreachable.
        Time.Advance(TimeSpan.FromSeconds(1));
        var node = Ok(store, new GetObject("nodes", "", "node-1"));
        var ready = (node["status"]!["conditions"] as JsonArray)!.OfType<JsonObject>().First(c => KubeObject.String(c, "type") == "Ready");
        ready["status"] = "True";
        ready["lastHeartbeatTime"] = "2026-11-22T12:01:00Z";
        Ok(store, new UpdateObject("nodes", new(KubeObject.ToBytes(node)), "status"));
        AwaitAssert(() => Assert.Empty(Taints(Ok(store, new GetObject("nodes", "", "node-1")))), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));

        Assert.Equal("True", Condition(Ok(store, new GetObject("nodes", "", "node-1")), "Ready", "status"));

        // Unreachable again later, with no heartbeat since: Unknown again.
        controller.Tell(new MemberHealth(Address, ["node"], MemberHealthStatus.Reachable), TestActor);
        Time.Advance(TimeSpan.FromSeconds(1));
        controller.Tell(new MemberHealth(Address, ["node"], MemberHealthStatus.Unreachable), TestActor);
        AwaitAssert(() => Assert.Equal("Unknown", Condition(Ok(store, new GetObject("nodes", "", "node-1")), "Ready", "status")),
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Without_membership_news_a_lease_not_renewed_within_the_grace_period_marks_the_node_Unknown()
    {
        var store = StartStore();
        Ok(store, new CreateObject("nodes", ReadyNode("node-1")));
        StartController(store, TimingProfile.Fast);
        Time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("True", Condition(Ok(store, new GetObject("nodes", "", "node-1")), "Ready", "status"));

        // node-monitor-grace-period is 50 s.
        AwaitAssert(() =>
        {
            Time.Advance(TimeSpan.FromSeconds(10));
            Assert.Equal("Unknown", Condition(Ok(store, new GetObject("nodes", "", "node-1")), "Ready", "status"));
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void Lease_renewals_keep_a_Ready_node_Ready_past_its_grace_period_without_a_sync_each()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("kube-node-lease")));
        Ok(store, new CreateObject("nodes", ReadyNode("node-1")));
        Ok(store, new CreateObject("nodes", ReadyNode("node-2", OtherAddress)));
        var metrics = new WorkqueueMetrics(perKey: true);
        StartController(store, TimingProfile.Fast with { NodeMonitorGracePeriod = TimeSpan.FromSeconds(10) }, metrics);
        AwaitAssert(() => Assert.True(metrics.Finished(NodeLifecycleController.ControllerName) >= 2), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));

        // node-1's kubelet renews its lease every second for three grace periods; node-2 says nothing.
        // Virtual time moves on only once the Store has sent each renewal to its watchers (the controller
        // included): a busy machine must not let the clock outrun the controller's view of the renewals.
        var observer = CreateTestProbe();
        store.Tell(new WatchObjects("leases.coordination.k8s.io", "observer", "kube-node-lease"), observer);
        observer.ExpectMsg<WatchAccepted>();
        var lease = Ok(store, new CreateObject("leases.coordination.k8s.io", Lease("node-1", Time.GetUtcNow())));
        for (var i = 1; i <= 30; i++)
        {
            var sent = KubeObject.ResourceVersion(lease);
            observer.FishForMessage<WatchEvents>(e => e.Events.Any(ev => ev.ResourceVersion() == sent));
            Time.Advance(TimeSpan.FromSeconds(1));
            KubeObject.EnsureObject(lease, "spec")["renewTime"] = KubeObject.MicroTimestamp(Time.GetUtcNow());
            lease = Ok(store, new UpdateObject("leases.coordination.k8s.io", new(KubeObject.ToBytes(lease))));
        }

        AwaitAssert(() => Assert.Equal("Unknown", Condition(Ok(store, new GetObject("nodes", "", "node-2")), "Ready", "status")),
            TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(50));
        Assert.Equal("True", Condition(Ok(store, new GetObject("nodes", "", "node-1")), "Ready", "status"));
        // Looked at when each grace period ran out (and found renewed), not at each of the 31 renewals.
        Assert.InRange(metrics.Syncs(NodeLifecycleController.ControllerName, "node-1"), 2, 6);
    }

    [Fact]
    public void The_pods_of_a_lost_node_are_marked_NotReady_through_the_API_and_a_failed_write_is_retried()
    {
        var store = StartStore();
        Ok(store, new CreateObject("namespaces", Namespace("default")));
        Ok(store, new CreateObject("nodes", ReadyNode("node-1")));
        Ok(store, new CreateObject("nodes", ReadyNode("node-2", OtherAddress)));
        Ok(store, new CreateObject("pods", ReadyPod("web-1", "node-1")));
        Ok(store, new CreateObject("pods", ReadyPod("web-2", "node-1")));
        Ok(store, new CreateObject("pods", ReadyPod("elsewhere", "node-2")));
        // The first pod status write is lost: its request times out.
        var probe = CreateTestProbe();
        var flaky = Sys.ActorOf(FlakyStore.Props(store, m => m is UpdateObject { Resource: "pods", Subresource: "status" }, 1, probe));
        var controller = StartController(store, TimingProfile.Fast with { NodeMonitorGracePeriod = TimeSpan.FromHours(1) }, api: flaky);

        controller.Tell(new MemberHealth(Address, ["node"], MemberHealthStatus.Unreachable), TestActor);
        probe.ExpectMsg<FlakyStore.Dropped>(TimeSpan.FromSeconds(10));
        AwaitAssert(() =>
        {
            Time.Advance(TimeSpan.FromMilliseconds(200)); // the retry's back-off runs in virtual time
            foreach (var name in new[] { "web-1", "web-2" })
            {
                var pod = Ok(store, new GetObject("pods", "default", name));
                Assert.Equal("False", Condition(pod, "Ready", "status"));
                Assert.Equal("True", Condition(pod, "ContainersReady", "status"));
            }
        }, TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(100));
        Assert.Equal("True", Condition(Ok(store, new GetObject("pods", "default", "elsewhere")), "Ready", "status"));

        AwaitAssert(() =>
        {
            store.Tell(new ListObjects("events", "default", FieldSelector: "reason=NodeNotReady"), TestActor);
            var events = ExpectMsg<StoreList>().Items.Select(Obj).Where(e => KubeObject.ScalarAt(e, "involvedObject.kind") == "Pod").ToArray();
            Assert.Equal(["web-1", "web-2"], events.Select(e => KubeObject.ScalarAt(e, "involvedObject.name")).Order());
            Assert.All(events, e =>
            {
                Assert.Equal("Node is not ready", KubeObject.String(e, "message"));
                Assert.Equal("Warning", KubeObject.String(e, "type"));
                Assert.Equal("node-controller", KubeObject.ScalarAt(e, "source.component"));
            });
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
    }
}
