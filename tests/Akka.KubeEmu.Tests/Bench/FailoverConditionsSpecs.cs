using Akka.KubeEmu.Host.Bench;
using k8s.Models;
using Xunit;
using static Akka.KubeEmu.Host.Bench.FailoverConditions;

namespace Akka.KubeEmu.Tests.Bench;

public sealed class FailoverConditionsSpecs
{
    private static readonly IReadOnlyList<BenchDeployment> Web = [new("web-1", 2)];

    [Fact]
    public void A_node_is_NotReady_once_its_Ready_condition_is_Unknown_or_it_is_gone()
    {
        Assert.False(NotReady("node-1")(State([Node("node-1", "True")], [])));
        Assert.True(NotReady("node-1")(State([Node("node-1", "Unknown")], [])));
        Assert.True(NotReady("node-1")(State([], [])));
    }

    [Fact]
    public void Lost_pods_are_evicted_when_Terminating_and_collected_only_when_gone()
    {
        var lost = new Dictionary<string, string> { ["a"] = "uid-a" };
        var terminating = State([], [Pod("a", "uid-a", "node-1", terminating: true)]);
        Assert.True(Evicted(lost)(terminating));
        Assert.False(Collected(lost)(terminating));
        Assert.False(Evicted(lost)(State([], [Pod("a", "uid-a", "node-1")])));
        // A new pod of the same name is not the one lost.
        Assert.True(Collected(lost)(State([], [Pod("a", "uid-other", "node-2")])));
    }

    [Fact]
    public void Replacements_count_only_when_Running_Ready_not_Terminating_and_not_on_the_dead_node()
    {
        var created = State([], [Pod("x", "1", ""), Pod("y", "2", "node-2")]);
        Assert.True(Created(Web, "node-1")(created));
        Assert.False(Scheduled(Web, "node-1")(created));
        Assert.False(Replaced(Web, "node-1")(created));

        Assert.True(Replaced(Web, "node-1")(State([], [Pod("x", "1", "node-2", running: true), Pod("y", "2", "node-3", running: true)])));
        Assert.False(Replaced(Web, "node-1")(State([], [Pod("x", "1", "node-1", running: true), Pod("y", "2", "node-3", running: true)])));
        Assert.False(Replaced(Web, "node-1")(State([], [Pod("x", "1", "node-2", running: true, terminating: true), Pod("y", "2", "node-3", running: true)])));
    }

    [Fact]
    public void A_run_starts_only_from_untainted_Ready_nodes_and_exactly_the_replicas_running()
    {
        var pods = new[] { Pod("x", "1", "node-1", running: true), Pod("y", "2", "node-2", running: true) };
        Assert.True(Settled(Web, ["node-1", "node-2"])(State([Node("node-1", "True"), Node("node-2", "True")], pods)));
        Assert.False(Settled(Web, ["node-1", "node-2"])(State([Node("node-1", "True"), Node("node-2", "True", tainted: true)], pods)));
        Assert.False(Settled(Web, ["node-1", "node-2"])(State([Node("node-1", "True"), Node("node-2", "True")], [.. pods, Pod("z", "3", "node-1", terminating: true)])));
        Assert.True(Tainted("node-2")(State([Node("node-2", "Unknown", tainted: true)], [])));
    }

    [Fact]
    public void Pods_are_shared_over_at_most_three_Deployments_and_the_median_of_an_even_count_is_the_mean_of_the_middle_two()
    {
        Assert.Equal([10, 10, 10], FailoverWorkload.Plan(30).Select(d => d.Replicas));
        Assert.Equal([3, 3, 2], FailoverWorkload.Plan(8).Select(d => d.Replicas));
        Assert.Equal([1], FailoverWorkload.Plan(1).Select(d => d.Replicas));
        Assert.Equal(2.5, FailoverReport.Median([4, 1, 3, 2]));
        Assert.Equal(3, FailoverReport.Median([5, 3, 1]));
    }

    private static ClusterState State(IEnumerable<V1Node> nodes, IEnumerable<V1Pod> pods) =>
        new(nodes.ToDictionary(n => n.Metadata.Name), pods.ToDictionary(p => p.Metadata.Name));

    private static V1Node Node(string name, string ready, bool tainted = false) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1NodeSpec { Taints = tainted ? [new V1Taint { Key = "node.kubernetes.io/unreachable", Effect = "NoExecute" }] : null },
        Status = new V1NodeStatus { Conditions = [new V1NodeCondition { Type = "Ready", Status = ready }] },
    };

    private static V1Pod Pod(string name, string uid, string node, bool running = false, bool terminating = false) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name, Uid = uid, Labels = new Dictionary<string, string> { ["app"] = "web-1" },
            DeletionTimestamp = terminating ? DateTime.UtcNow : null,
        },
        Spec = new V1PodSpec { NodeName = node },
        Status = running
            ? new V1PodStatus { Phase = "Running", Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] }
            : new V1PodStatus { Phase = "Pending" },
    };
}
