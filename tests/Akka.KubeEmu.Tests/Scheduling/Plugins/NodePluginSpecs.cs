using Akka.KubeEmu.Actors.Scheduling;
using Akka.KubeEmu.Actors.Scheduling.Framework;
using Akka.KubeEmu.Actors.Scheduling.Plugins;
using k8s.Models;
using Xunit;
using static Akka.KubeEmu.Tests.Scheduling.SchedulingFixtures;

namespace Akka.KubeEmu.Tests.Scheduling.Plugins;

/// <summary>The single-node plugins, table-driven as node_ports_test.go, fit_test.go, balanced_allocation_test.go, taint_toleration_test.go and node_affinity_test.go are.</summary>
public sealed class NodePluginSpecs
{
    private static V1ContainerPort Port(int hostPort, string protocol = "TCP", string? ip = null) =>
        new() { ContainerPort = 80, HostPort = hostPort, Protocol = protocol, HostIP = ip };

    public static TheoryData<string, V1ContainerPort[], V1ContainerPort[], bool> PortCases => new()
    {
        { "nothing asked", [], [Port(8080)], true },
        { "other port", [Port(8080)], [Port(9090)], true },
        { "same port, same protocol", [Port(8080)], [Port(8080)], false },
        { "same port, other protocol", [Port(8080, "UDP")], [Port(8080)], true },
        { "same port, other host IPs", [Port(8080, ip: "127.0.0.1")], [Port(8080, ip: "127.0.0.2")], true },
        { "0.0.0.0 overlaps a given IP", [Port(8080)], [Port(8080, ip: "127.0.0.1")], false },
        { "a given IP overlaps 0.0.0.0", [Port(8080, ip: "127.0.0.1")], [Port(8080)], false },
    };

    [Theory]
    [MemberData(nameof(PortCases))]
    public void NodePorts_rejects_a_host_port_already_held(string name, V1ContainerPort[] wanted, V1ContainerPort[] held, bool fits)
    {
        var snapshot = Snapshot([MakeNode("n1")], [Pod("holder", node: "n1", ports: held)]);
        var status = new NodePorts().Filter(PodInfo.From(Pod("p", ports: wanted)), snapshot.Get("n1")!);
        Assert.True(fits == status.IsSuccess, name);
        if (!fits)
        {
            Assert.Equal(Code.Unschedulable, status.Code);
            Assert.Equal(["node(s) didn't have free ports for the requested pod ports"], status.Reasons);
        }
    }

    [Fact]
    public void NodeResourcesFit_counts_init_containers_and_overhead_and_names_every_short_resource()
    {
        var node = Snapshot([MakeNode("n1", cpu: "2", memory: "1Gi", pods: 2)], [Pod("a", cpu: "1", node: "n1")]).Get("n1")!;
        var pod = Pod("p", cpu: "500m", memory: "100Mi");
        // The init container needs more than the app: the pod needs the larger of the two.
        pod.Spec.InitContainers = [new V1Container { Name = "init", Image = "busybox", Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1500m") } } }];
        Assert.Equal(["Insufficient cpu"], new NodeResourcesFit().Filter(PodInfo.From(pod), node).Reasons);

        var small = Pod("q", cpu: "500m", memory: "900Mi");
        small.Spec.Overhead = new Dictionary<string, ResourceQuantity> { ["memory"] = new("200Mi") };
        Assert.Equal(["Insufficient memory"], new NodeResourcesFit().Filter(PodInfo.From(small), node).Reasons);

        node.AddPod(PodInfo.From(Pod("b", node: "n1")));
        var both = new NodeResourcesFit().Filter(PodInfo.From(Pod("r", cpu: "2", memory: "2Gi")), node);
        Assert.Equal(["Too many pods", "Insufficient cpu", "Insufficient memory"], both.Reasons);
        Assert.Equal(Code.Unschedulable, both.Code);
    }

    [Fact]
    public void LeastAllocated_prefers_the_emptier_node_and_BalancedAllocation_the_balanced_one()
    {
        // fit_test.go's "nothing scheduled, resources requested, differently sized nodes".
        var snapshot = Snapshot([MakeNode("n1", cpu: "4", memory: "10000"), MakeNode("n2", cpu: "6", memory: "10000")]);
        var pod = PodInfo.From(Pod("p", cpu: "3", memory: "5000"));
        // n1: cpu (4000-3000)*100/4000 = 25, memory 50 -> 37; n2: cpu 50, memory 50 -> 50.
        Assert.Equal([37L, 50L], Scores(new NodeResourcesFit(), pod, snapshot));
        // Balanced: n1 fractions 0.75 / 0.5 -> std 0.125 -> 87; n2 0.5 / 0.5 -> 100.
        Assert.Equal([87L, 100L], Scores(new NodeResourcesBalancedAllocation(), pod, snapshot));
    }

    [Fact]
    public void TaintToleration_scores_fewer_intolerable_PreferNoSchedule_taints_higher()
    {
        var prefer = new V1Taint { Key = "foo", Value = "bar", Effect = "PreferNoSchedule" };
        var other = new V1Taint { Key = "baz", Value = "qux", Effect = "PreferNoSchedule" };
        var snapshot = Snapshot([MakeNode("clean"), MakeNode("one", taints: [prefer]), MakeNode("two", taints: [prefer, other])]);
        Assert.Equal([100L, 50L, 0L], Scores(new TaintToleration(), PodInfo.From(Pod("p")), snapshot));
        var tolerant = Pod("t", tolerations: [new V1Toleration { Key = "foo", OperatorProperty = "Equal", Value = "bar", Effect = "PreferNoSchedule" }]);
        Assert.Equal([100L, 100L, 0L], Scores(new TaintToleration(), PodInfo.From(tolerant), snapshot));
    }

    [Fact]
    public void TaintToleration_filter_names_the_first_untolerated_taint()
    {
        var node = Snapshot([MakeNode("n", taints: [new V1Taint { Key = "node-role", Value = "infra", Effect = "NoSchedule" }])]).Get("n")!;
        var status = new TaintToleration().Filter(PodInfo.From(Pod("p")), node);
        Assert.Equal(Code.UnschedulableAndUnresolvable, status.Code);
        Assert.Equal(["node(s) had untolerated taint {node-role: infra}"], status.Reasons);
    }

    [Fact]
    public void NodeAffinity_scores_the_weights_of_matching_preferred_terms_normalised()
    {
        var snapshot = Snapshot([MakeNode("a", labels: Labels("zone=a", "disk=ssd")), MakeNode("b", labels: Labels("zone=b")), MakeNode("c")]);
        var pod = Pod("p", affinity: new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                PreferredDuringSchedulingIgnoredDuringExecution =
                [
                    new V1PreferredSchedulingTerm { Preference = new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "zone", OperatorProperty = "In", Values = ["a", "b"] }] }, Weight = 2 },
                    new V1PreferredSchedulingTerm { Preference = new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "disk", OperatorProperty = "Exists" }] }, Weight = 6 },
                ],
            },
        });
        Assert.Equal([100L, 25L, 0L], Scores(new NodeAffinity(), PodInfo.From(pod), snapshot));
    }

    [Fact]
    public void NodeName_and_NodeUnschedulable_give_kube_schedulers_reasons()
    {
        var snapshot = Snapshot([MakeNode("a"), MakeNode("cordoned", unschedulable: true)]);
        Assert.Equal(["node(s) didn't match the requested node name"], new NodeName().Filter(PodInfo.From(Pod("p", node: "b")), snapshot.Get("a")!).Reasons);
        Assert.Equal(["node(s) were unschedulable"], new NodeUnschedulable().Filter(PodInfo.From(Pod("p")), snapshot.Get("cordoned")!).Reasons);
    }
}
