using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.Bootstrap;
using Akka.KubeEmu.Actors.Node;
using Akka.KubeEmu.Actors.Node.Runtime;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Actors.Timing;
using Akka.KubeEmu.Cluster.Serialization;
using Akka.KubeEmu.Tests.Store;
using Akka.KubeEmu.Tests.Support;
using Xunit;

namespace Akka.KubeEmu.Tests.Node;

/// <summary>A NodeHost (NodeAgent + Kubelet) against a real Store: what `kubectl get nodes/pods` would show.</summary>
public sealed class NodeSideSpecs : StoreTestBase
{
    private static readonly TimingProfile Timing = TimingProfile.Fast with
    {
        PodStartupDelay = TimeSpan.FromMilliseconds(50),
        ImagePullDelay = TimeSpan.FromMilliseconds(50),
    };

    public NodeSideSpecs() : base(new TempDir()) { }

    private Akka.Actor.IActorRef StartCluster()
    {
        var store = StartStore();
        foreach (var ns in SystemNamespaces.Names) Ok(store, new CreateObject("namespaces", new RawJson(KubeObject.ToBytes(SystemNamespaces.Namespace(ns)))));
        Sys.ActorOf(NodeHost.Props(new NodeHostSettings(store, [NodeSpec.For("node-1")], NodeCapacity.Default with { Cpu = "2" }, Timing,
            TimeProvider.System, "akka.tcp://kubeemu@127.0.0.1:5555", ImageCatalog.LoadDefault())), "node-host");
        return store;
    }

    private JsonObject Await(Akka.Actor.IActorRef store, string resource, string ns, string name, Func<JsonObject, bool> condition, int seconds = 10)
    {
        JsonObject? found = null;
        AwaitAssert(() =>
        {
            store.Tell(new GetObject(resource, ns, name), TestActor);
            var reply = ExpectMsg<object>();
            Assert.IsType<StoreObject>(reply);
            found = Obj(((StoreObject)reply).Object);
            Assert.True(condition(found), found.ToJsonString());
        }, TimeSpan.FromSeconds(seconds), TimeSpan.FromMilliseconds(100));
        return found!;
    }

    private static string? Condition(JsonObject o, string type) =>
        (KubeObject.At(o, "status.conditions") as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => KubeObject.String(c, "type") == type) is { } c
            ? KubeObject.String(c, "status") : null;

    private static RawJson Pod(string name, string containers, string extra = "") => Json($$$"""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"{{{name}}}","namespace":"default"{{{extra}}}},
         "spec":{"nodeName":"node-1","restartPolicy":"Always","terminationGracePeriodSeconds":2,"containers":{{{containers}}}},
         "status":{"phase":"Pending"}}
        """);

    [Fact]
    public void The_node_registers_Ready_with_its_capacity_labels_address_annotation_and_a_lease()
    {
        var store = StartCluster();
        var node = Await(store, "nodes", "", "node-1", n => Condition(n, "Ready") == "True");
        Assert.Equal("2", KubeObject.ScalarAt(node, "status.allocatable.cpu"));
        Assert.Equal("110", KubeObject.ScalarAt(node, "status.capacity.pods"));
        Assert.Equal("node-1", KubeObject.Labels(node)["kubernetes.io/hostname"]);
        Assert.Equal("linux", KubeObject.Labels(node)["kubernetes.io/os"]);
        Assert.Equal("akka.tcp://kubeemu@127.0.0.1:5555", KubeObject.StringMap(KubeObject.At(node, "metadata.annotations"))["kubeemu.io/akka-address"]);
        Assert.Equal("10.244.1.0/24", KubeObject.ScalarAt(node, "spec.podCIDR"));

        var first = Await(store, "leases.coordination.k8s.io", "kube-node-lease", "node-1", _ => true);
        Await(store, "leases.coordination.k8s.io", "kube-node-lease", "node-1",
            l => KubeObject.ScalarAt(l, "spec.renewTime") != KubeObject.ScalarAt(first, "spec.renewTime"));
    }

    [Fact]
    public void A_bound_pod_runs_with_an_ip_and_the_kubelet_events_then_leaves_on_graceful_delete()
    {
        var store = StartCluster();
        Await(store, "nodes", "", "node-1", n => Condition(n, "Ready") == "True");
        Ok(store, new CreateObject("pods", Pod("web", """[{"name":"web","image":"nginx"}]""")));

        var pod = Await(store, "pods", "default", "web", p => KubeObject.ScalarAt(p, "status.phase") == "Running" && Condition(p, "Ready") == "True");
        Assert.Equal("10.244.1.2", KubeObject.ScalarAt(pod, "status.podIP"));
        Assert.Equal("172.18.0.3", KubeObject.ScalarAt(pod, "status.hostIP"));
        var container = pod["status"]!["containerStatuses"]![0]!;
        Assert.True(container["ready"]!.GetValue<bool>());
        Assert.StartsWith("containerd://", container["containerID"]!.GetValue<string>());
        Assert.Equal("docker.io/library/nginx:latest", container["image"]!.GetValue<string>());

        AwaitAssert(() =>
        {
            store.Tell(new ListObjects("events", "default", FieldSelector: "involvedObject.name=web"), TestActor);
            var reasons = ExpectMsg<StoreList>().Items.Select(i => KubeObject.ScalarAt(Obj(i), "reason")).ToHashSet();
            Assert.Superset(new HashSet<string?> { "Pulling", "Pulled", "Created", "Started" }, reasons);
        }, TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));

        Ok(store, new DeleteObject("pods", "default", "web"));
        AwaitAssert(() => Assert.Equal(404, Fails(store, new GetObject("pods", "default", "web")).Code), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void An_unknown_tag_of_a_listed_image_fails_to_pull_then_backs_off()
    {
        var store = StartCluster();
        Ok(store, new CreateObject("pods", Pod("broken", """[{"name":"web","image":"nginx:1.91"}]""")));
        var pod = Await(store, "pods", "default", "broken",
            p => KubeObject.ScalarAt(p, "status.containerStatuses") is null && KubeObject.At(p, "status.containerStatuses") is JsonArray a
                 && KubeObject.ScalarAt(a[0], "state.waiting.reason") == "ImagePullBackOff");
        Assert.Equal("Back-off pulling image \"nginx:1.91\"", KubeObject.ScalarAt(pod["status"]!["containerStatuses"]![0], "state.waiting.message"));
        Assert.Equal("Pending", KubeObject.ScalarAt(pod, "status.phase"));
    }

    [Fact]
    public void A_failing_command_under_restartPolicy_Never_ends_the_pod_Failed_with_its_exit_code()
    {
        var store = StartCluster();
        Ok(store, new CreateObject("pods", Json("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"job","namespace":"default"},
             "spec":{"nodeName":"node-1","restartPolicy":"Never","containers":[{"name":"c","image":"busybox","command":["sh","-c","sleep 0.2; exit 3"]}]},
             "status":{"phase":"Pending"}}
            """)));
        var pod = Await(store, "pods", "default", "job", p => KubeObject.ScalarAt(p, "status.phase") == "Failed");
        var terminated = KubeObject.At(pod["status"]!["containerStatuses"]![0], "state.terminated")!;
        Assert.Equal(3, terminated["exitCode"]!.GetValue<int>());
        Assert.Equal("Error", terminated["reason"]!.GetValue<string>());
    }

    [Fact]
    public void A_container_that_keeps_exiting_goes_into_CrashLoopBackOff_with_restarts_counted()
    {
        var store = StartCluster();
        Ok(store, new CreateObject("pods", Pod("crasher", """[{"name":"c","image":"busybox","command":["false"]}]""")));
        var pod = Await(store, "pods", "default", "crasher",
            p => KubeObject.ScalarAt(p["status"]?["containerStatuses"]?[0], "state.waiting.reason") == "CrashLoopBackOff");
        var status = pod["status"]!["containerStatuses"]![0]!;
        Assert.Equal(1, status["restartCount"]!.GetValue<int>());
        Assert.Equal(1, KubeObject.At(status, "lastState.terminated.exitCode")!.GetValue<int>());
        Assert.StartsWith("back-off 10s restarting failed container=c pod=crasher_default(", KubeObject.ScalarAt(status, "state.waiting.message"));
    }

    [Fact]
    public void A_node_the_controller_marked_Unknown_is_set_Ready_again_by_its_agent()
    {
        var store = StartCluster();
        var node = Await(store, "nodes", "", "node-1", n => Condition(n, "Ready") == "True");
        var ready = (node["status"]!["conditions"] as JsonArray)!.OfType<JsonObject>().Single(c => KubeObject.String(c, "type") == "Ready");
        ready["status"] = "Unknown";
        ready["reason"] = "NodeStatusUnknown";
        Ok(store, new UpdateObject("nodes", new RawJson(KubeObject.ToBytes(node)), "status"));

        Await(store, "nodes", "", "node-1", n => Condition(n, "Ready") == "True");
    }

    [Fact]
    public void A_pod_asking_more_cpu_than_the_node_has_is_rejected_by_the_kubelet()
    {
        var store = StartCluster();
        Ok(store, new CreateObject("pods", Pod("greedy", """[{"name":"c","image":"nginx","resources":{"requests":{"cpu":"3"}}}]""")));
        var pod = Await(store, "pods", "default", "greedy", p => KubeObject.ScalarAt(p, "status.phase") == "Failed");
        Assert.Equal("OutOfcpu", KubeObject.ScalarAt(pod, "status.reason"));
        Assert.Equal("Pod was rejected: Node didn't have enough resource: cpu, requested: 3000, used: 0, capacity: 2000", KubeObject.ScalarAt(pod, "status.message"));
    }
}
