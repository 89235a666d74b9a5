using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Node.Agent;
using Xunit;

namespace Akka.KubeEmu.Tests.Node;

public sealed class NodeAgentSpecs : NodeTestBase
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void Node_registers_Ready_with_capacity_labels_and_the_Akka_address()
    {
        StartNodes("node-1");
        var node = Eventually(() => Get("nodes", "", "node-1") is { } n && NodeObject.IsReady(n) ? n : null, Minute, "node-1 Ready");

        var labels = KubeObject.Labels(node);
        Assert.Equal("node-1", labels["kubernetes.io/hostname"]);
        Assert.Equal("linux", labels["kubernetes.io/os"]);
        Assert.Equal("amd64", labels["kubernetes.io/arch"]);
        Assert.Equal("linux", labels["beta.kubernetes.io/os"]);
        Assert.Equal("amd64", labels["beta.kubernetes.io/arch"]);
        var annotations = KubeObject.StringMap(KubeObject.At(node, "metadata.annotations"));
        Assert.Equal("akka.tcp://kubeemu@127.0.0.1:4711", annotations[NodeObject.AkkaAddressAnnotation]);
        Assert.Equal("0", annotations["node.alpha.kubernetes.io/ttl"]);
        Assert.Equal("true", annotations["volumes.kubernetes.io/controller-managed-attach-detach"]);
        Assert.Equal("10.244.1.0/24", KubeObject.ScalarAt(node, "spec.podCIDR"));
        Assert.Equal("10.244.1.0/24", KubeObject.ScalarText((KubeObject.At(node, "spec.podCIDRs") as JsonArray)?[0]));

        Assert.Equal("4", KubeObject.ScalarAt(node, "status.capacity.cpu"));
        Assert.Equal("8Gi", KubeObject.ScalarAt(node, "status.capacity.memory"));
        Assert.Equal("110", KubeObject.ScalarAt(node, "status.capacity.pods"));
        Assert.Equal("100Gi", KubeObject.ScalarAt(node, "status.allocatable.ephemeral-storage"));
        Assert.Equal("0", KubeObject.ScalarAt(node, "status.allocatable.hugepages-2Mi"));
        Assert.Equal("10250", KubeObject.ScalarAt(node, "status.daemonEndpoints.kubeletEndpoint.Port"));
        Assert.Equal("v1.32.4", KubeObject.ScalarAt(node, "status.nodeInfo.kubeletVersion"));
        Assert.Equal("containerd://1.7.24", KubeObject.ScalarAt(node, "status.nodeInfo.containerRuntimeVersion"));
        Assert.Equal(32, KubeObject.ScalarAt(node, "status.nodeInfo.machineID")!.Length);
        var addresses = ((JsonArray)KubeObject.At(node, "status.addresses")!).OfType<JsonObject>()
            .ToDictionary(a => KubeObject.String(a, "type")!, a => KubeObject.String(a, "address"));
        Assert.Equal("127.0.1.3", addresses["InternalIP"]);
        Assert.Equal("node-1", addresses["Hostname"]);

        var conditions = ((JsonArray)KubeObject.At(node, "status.conditions")!).OfType<JsonObject>().ToArray();
        Assert.Equal(["MemoryPressure", "DiskPressure", "PIDPressure", "Ready"], conditions.Select(c => KubeObject.String(c, "type")));
        Assert.Equal(["False", "False", "False", "True"], conditions.Select(c => KubeObject.String(c, "status")));
        Assert.Equal("KubeletHasSufficientMemory", KubeObject.String(conditions[0], "reason"));
        Assert.Equal("kubelet has sufficient memory available", KubeObject.String(conditions[0], "message"));
        Assert.Equal("KubeletReady", KubeObject.String(conditions[3], "reason"));
        Assert.Equal("kubelet is posting ready status", KubeObject.String(conditions[3], "message"));

        var events = Eventually(() => EventsAbout("node-1") is { Count: >= 6 } e ? e : null, Minute, "the kubelet's start events");
        Assert.Equal(["Starting", "NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasSufficientPID", "NodeAllocatableEnforced", "NodeReady"],
            Reasons(events));
        Assert.Equal("Starting kubelet.", KubeObject.String(events[0], "message"));
        Assert.Equal("Node node-1 status is now: NodeHasSufficientMemory", KubeObject.String(events[1], "message"));
        Assert.Equal("Updated Node Allocatable limit across pods", KubeObject.String(events[4], "message"));
        Assert.Equal("Node node-1 status is now: NodeReady", KubeObject.String(events[5], "message"));
        Assert.All(events, e =>
        {
            Assert.Equal("kubelet", KubeObject.ScalarAt(e, "source.component"));
            Assert.Equal("node-1", KubeObject.ScalarAt(e, "source.host"));
            Assert.Equal("Node", KubeObject.ScalarAt(e, "involvedObject.kind"));
            Assert.Equal("node-1", KubeObject.ScalarAt(e, "involvedObject.uid"));
        });
    }

    [Fact]
    public void The_node_lease_is_created_and_renewed()
    {
        StartNodes("node-1");
        var lease = Eventually(() => Get(NodeLease.Resource, NodeLease.Namespace, "node-1"), Minute, "the lease");
        Assert.Equal("node-1", KubeObject.ScalarAt(lease, "spec.holderIdentity"));
        Assert.Equal(((long)Timing.NodeLeaseDuration.TotalSeconds).ToString(), KubeObject.ScalarAt(lease, "spec.leaseDurationSeconds"));
        var owner = (JsonObject)((JsonArray)KubeObject.At(lease, "metadata.ownerReferences")!)[0]!;
        Assert.Equal("Node", KubeObject.String(owner, "kind"));
        Assert.Equal(KubeObject.Uid(Get("nodes", "", "node-1")!), KubeObject.String(owner, "uid"));
        var first = KubeObject.ParseTimestamp(KubeObject.ScalarAt(lease, "spec.renewTime"))!.Value;

        var renewed = Eventually(() =>
            Get(NodeLease.Resource, NodeLease.Namespace, "node-1") is { } l
            && KubeObject.ParseTimestamp(KubeObject.ScalarAt(l, "spec.renewTime")) >= first + 3 * Timing.NodeLeaseRenewInterval ? l : null,
            TimeSpan.FromMinutes(5), "three renewals", TimeSpan.FromMilliseconds(200));
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$", KubeObject.ScalarAt(renewed, "spec.renewTime"));
    }

    [Fact]
    public void A_node_marked_Unknown_by_the_control_plane_is_set_Ready_again()
    {
        StartNodes("node-1");
        var ready = Eventually(() => Get("nodes", "", "node-1") is { } n && NodeObject.IsReady(n) ? n : null, Minute, "node-1 Ready");
        var readySince = Condition(ready, "Ready", "lastTransitionTime");
        Eventually(() => EventsAbout("node-1").Any(e => KubeObject.String(e, "reason") == "NodeReady"), Minute, "NodeReady event");
        Advance(TimeSpan.FromSeconds(5));

        // What the NodeLifecycleController does after node-monitor-grace-period without heartbeats.
        MarkUnknown("node-1");
        var again = Eventually(() => Get("nodes", "", "node-1") is { } n && NodeObject.IsReady(n) ? n : null, Minute, "node-1 Ready again");
        Assert.NotEqual(readySince, Condition(again, "Ready", "lastTransitionTime"));
        Assert.Equal("KubeletReady", Condition(again, "Ready", "reason"));
        Assert.Equal("False", Condition(again, "MemoryPressure"));
        var readyEvents = Eventually(() => EventsAbout("node-1").Where(e => KubeObject.String(e, "reason") == "NodeReady").ToArray() is var r
            && r.Sum(e => (int)e["count"]!) >= 2 ? r : null, Minute, "a second NodeReady event");
        Assert.NotEmpty(readyEvents);
    }

    [Fact]
    public void A_restarted_node_process_takes_over_its_Node_and_keeps_taints()
    {
        Create("nodes", new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject
            {
                ["name"] = "node-2",
                ["labels"] = new JsonObject { ["team"] = "blue" },
                ["annotations"] = new JsonObject { [NodeObject.AkkaAddressAnnotation] = "akka.tcp://kubeemu@127.0.0.1:1" },
            },
            ["spec"] = new JsonObject
            {
                ["taints"] = new JsonArray(new JsonObject { ["key"] = "node.kubernetes.io/unreachable", ["effect"] = "NoExecute" }),
            },
        });
        StartNodes("node-2");
        var node = Eventually(() => Get("nodes", "", "node-2") is { } n && NodeObject.IsReady(n) ? n : null, Minute, "node-2 Ready");
        Assert.Equal("akka.tcp://kubeemu@127.0.0.1:4711", KubeObject.StringMap(KubeObject.At(node, "metadata.annotations"))[NodeObject.AkkaAddressAnnotation]);
        Assert.Equal("blue", KubeObject.Labels(node)["team"]);
        Assert.Equal("node-2", KubeObject.Labels(node)["kubernetes.io/hostname"]);
        Assert.NotNull(KubeObject.At(node, "spec.taints"));
    }

    private void MarkUnknown(string name)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var node = Get("nodes", "", name)!;
            foreach (var c in ((JsonArray)KubeObject.At(node, "status.conditions")!).OfType<JsonObject>())
            {
                c["status"] = "Unknown";
                c["reason"] = "NodeStatusUnknown";
                c["message"] = "Kubelet stopped posting node status.";
                c["lastTransitionTime"] = KubeObject.Timestamp(Time.GetUtcNow());
            }
            if (Await(Client.Update("nodes", node, "status")).Ok) return;
        }
        throw new Xunit.Sdk.XunitException("could not mark the node Unknown");
    }
}
