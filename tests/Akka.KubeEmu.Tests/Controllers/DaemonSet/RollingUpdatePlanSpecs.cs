using Akka.KubeEmu.Actors.Controllers.DaemonSet;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.DaemonSet;

/// <summary>The rolling-update arithmetic and node verdicts on their own (update.go's rollingUpdate, NodeShouldRunDaemonPod).</summary>
public sealed class RollingUpdatePlanSpecs
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    private static V1DaemonSet Ds(string maxUnavailable = "1", string maxSurge = "0") => new()
    {
        Metadata = new V1ObjectMeta { Name = "agent", NamespaceProperty = "default" },
        Spec = new V1DaemonSetSpec
        {
            Template = new V1PodTemplateSpec { Spec = new V1PodSpec() },
            UpdateStrategy = new V1DaemonSetUpdateStrategy
            {
                Type = "RollingUpdate",
                RollingUpdate = new V1RollingUpdateDaemonSet { MaxUnavailable = maxUnavailable, MaxSurge = maxSurge },
            },
        },
    };

    private static V1Node Node(string name, params V1Taint[] taints) =>
        new() { Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string>() }, Spec = new V1NodeSpec { Taints = taints } };

    private static V1Pod Pod(string name, string node, string hash, bool ready) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Labels = new Dictionary<string, string> { [DaemonPods.HashLabel] = hash },
            CreationTimestamp = Now.UtcDateTime.AddMinutes(-10),
        },
        Spec = new V1PodSpec { NodeName = node },
        Status = new V1PodStatus
        {
            Phase = "Running",
            Conditions = [new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False", LastTransitionTime = Now.UtcDateTime.AddMinutes(-5) }],
        },
    };

    private static (List<(V1Node, bool)> Nodes, Dictionary<string, List<V1Pod>> Pods) Cluster(params (string Node, V1Pod[] Pods)[] nodes) =>
        (nodes.Select(n => (Node(n.Node), true)).ToList(), nodes.ToDictionary(n => n.Node, n => n.Pods.ToList()));

    [Fact]
    public void Without_surge_as_many_old_available_pods_go_as_max_unavailable_allows_a_percentage_rounding_up()
    {
        var (nodes, pods) = Cluster(("a", [Pod("a-old", "a", "old", true)]), ("b", [Pod("b-old", "b", "old", true)]), ("c", [Pod("c-old", "c", "old", true)]));
        Assert.Equal(["a-old"], RollingUpdate.Plan(Ds(), nodes, pods, "new", Now).PodsToDelete);
        // 50% of 3 nodes rounds up to 2.
        Assert.Equal(["a-old", "b-old"], RollingUpdate.Plan(Ds("50%"), nodes, pods, "new", Now).PodsToDelete);
        Assert.Empty(RollingUpdate.Plan(Ds(), nodes, pods, "new", Now).NodesToCreate);
    }

    [Fact]
    public void Without_surge_a_new_pod_not_yet_ready_uses_up_the_budget_but_an_unavailable_old_pod_is_replaced_anyway()
    {
        var (nodes, pods) = Cluster(("a", [Pod("a-new", "a", "new", false)]), ("b", [Pod("b-old", "b", "old", true)]), ("c", [Pod("c-old", "c", "old", false)]));
        Assert.Equal(["c-old"], RollingUpdate.Plan(Ds(), nodes, pods, "new", Now).PodsToDelete);
    }

    [Fact]
    public void With_surge_new_pods_start_on_max_surge_nodes_and_old_pods_go_once_their_successor_is_available()
    {
        var (nodes, pods) = Cluster(("a", [Pod("a-old", "a", "old", true)]), ("b", [Pod("b-old", "b", "old", true)]), ("c", [Pod("c-old", "c", "old", true)]));
        var first = RollingUpdate.Plan(Ds("0", "1"), nodes, pods, "new", Now);
        Assert.Equal(["a"], first.NodesToCreate);
        Assert.Empty(first.PodsToDelete);

        pods["a"].Add(Pod("a-new", "a", "new", false));
        var second = RollingUpdate.Plan(Ds("0", "1"), nodes, pods, "new", Now);
        Assert.Equal((0, 0), (second.PodsToDelete.Count, second.NodesToCreate.Count)); // waiting for a-new

        pods["a"][1] = Pod("a-new", "a", "new", true);
        var third = RollingUpdate.Plan(Ds("0", "1"), nodes, pods, "new", Now);
        Assert.Equal(["a-old"], third.PodsToDelete);
        // An available new pod no longer counts against the surge: the next node starts in the same step, as in Kubernetes.
        Assert.Equal(["b"], third.NodesToCreate);
    }

    [Fact]
    public void A_node_with_an_untolerated_NoSchedule_taint_keeps_its_pod_and_one_with_an_untolerated_NoExecute_taint_does_not()
    {
        var ds = Ds();
        Assert.Equal(new NodeEligibility.Verdict(true, true), NodeEligibility.ShouldRun(Node("a"), ds));
        Assert.Equal(new NodeEligibility.Verdict(false, true), NodeEligibility.ShouldRun(Node("a", new V1Taint { Key = "x", Effect = "NoSchedule" }), ds));
        Assert.Equal(new NodeEligibility.Verdict(false, false), NodeEligibility.ShouldRun(Node("a", new V1Taint { Key = "x", Effect = "NoExecute" }), ds));
        Assert.Equal(new NodeEligibility.Verdict(true, true), NodeEligibility.ShouldRun(Node("a", new V1Taint { Key = "x", Effect = "PreferNoSchedule" }), ds));
        // The taints every daemon pod tolerates.
        Assert.Equal(new NodeEligibility.Verdict(true, true), NodeEligibility.ShouldRun(Node("a",
            new V1Taint { Key = "node.kubernetes.io/unreachable", Effect = "NoExecute" }, new V1Taint { Key = "node.kubernetes.io/unschedulable", Effect = "NoSchedule" }), ds));
        ds.Spec.Template.Spec.NodeName = "b";
        Assert.Equal(new NodeEligibility.Verdict(false, false), NodeEligibility.ShouldRun(Node("a"), ds));
    }
}
