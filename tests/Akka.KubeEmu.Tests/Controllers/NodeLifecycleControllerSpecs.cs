using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.NodeLifecycle;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Actors.Timing;
using Akka.KubeEmu.Cluster.Membership;
using Akka.KubeEmu.Tests.Store;
using Akka.KubeEmu.Tests.Support;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers;

public sealed class NodeLifecycleControllerSpecs : StoreTestBase
{
    private const string Address = "akka.tcp://kubeemu@127.0.0.1:5001";

    public NodeLifecycleControllerSpecs() : base(new TempDir()) { }

    private static Akka.KubeEmu.Cluster.Serialization.RawJson ReadyNode(string name) => Json($$$"""
        {"apiVersion":"v1","kind":"Node","metadata":{"name":"{{{name}}}","annotations":{"kubeemu.io/akka-address":"{{{Address}}}"}},
         "spec":{},
         "status":{"conditions":[
           {"type":"MemoryPressure","status":"False","reason":"KubeletHasSufficientMemory","lastHeartbeatTime":"2026-11-22T12:00:00Z","lastTransitionTime":"2026-11-22T12:00:00Z"},
           {"type":"Ready","status":"True","reason":"KubeletReady","message":"kubelet is posting ready status","lastHeartbeatTime":"2026-11-22T12:00:00Z","lastTransitionTime":"2026-11-22T12:00:00Z"}]}}
        """);

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
        var controller = Sys.ActorOf(NodeLifecycleController.Props(store, TimingProfile.Fast with { NodeMonitorGracePeriod = TimeSpan.FromHours(1) }, Time));
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
    public void A_node_whose_kubelet_posts_Ready_again_loses_its_taints()
    {
        var store = StartStore();
        Ok(store, new CreateObject("nodes", ReadyNode("node-1")));
        var controller = Sys.ActorOf(NodeLifecycleController.Props(store, TimingProfile.Fast with { NodeMonitorGracePeriod = TimeSpan.FromHours(1) }, Time));
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
    public void Without_membership_news_a_lease_not_renewed_within_the_grace_period_marks_the_node_Unknown()
    {
        var store = StartStore();
        Ok(store, new CreateObject("nodes", ReadyNode("node-1")));
        Sys.ActorOf(NodeLifecycleController.Props(store, TimingProfile.Fast, Time));
        Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("True", Condition(Ok(store, new GetObject("nodes", "", "node-1")), "Ready", "status"));

        AwaitAssert(() =>
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal("Unknown", Condition(Ok(store, new GetObject("nodes", "", "node-1")), "Ready", "status"));
        }, TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(300));
    }
}
