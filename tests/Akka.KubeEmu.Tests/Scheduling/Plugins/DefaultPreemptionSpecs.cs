using Akka.KubeEmu.Actors.Scheduling;
using Akka.KubeEmu.Actors.Scheduling.Framework;
using Akka.KubeEmu.Actors.Scheduling.Plugins;
using k8s.Models;
using Xunit;
using static Akka.KubeEmu.Tests.Scheduling.SchedulingFixtures;

namespace Akka.KubeEmu.Tests.Scheduling.Plugins;

/// <summary>After defaultpreemption/default_preemption_test.go: victims, candidate choice and the messages when there is none.</summary>
public sealed class DefaultPreemptionSpecs
{
    private static readonly Profile Profile = Profile.Default();

    private static FilterStatus RunFilters(PodInfo pod, NodeInfo node)
    {
        foreach (var f in Profile.Filters)
            if (f.Filter(pod, node) is { IsSuccess: false } status) return status;
        return FilterStatus.Success;
    }

    private static DefaultPreemption.Result Preempt(V1Pod incoming, IEnumerable<V1Node> nodes, params V1Pod[] existing)
    {
        var snapshot = Snapshot(nodes, existing);
        var pod = PodInfo.From(incoming);
        foreach (var c in Profile.CyclePlugins) c.BeginCycle(pod, snapshot);
        var diagnosis = snapshot.Nodes.ToDictionary(n => n.Name, n => RunFilters(pod, n));
        Assert.All(diagnosis.Values, s => Assert.False(s.IsSuccess));
        return new DefaultPreemption().Preempt(pod, diagnosis, snapshot, RunFilters);
    }

    private static DateTime At(int minute) => new(2026, 11, 22, 12, minute, 0, DateTimeKind.Utc);

    [Fact]
    public void Only_the_lower_priority_pods_needed_are_victims_the_more_important_ones_are_reprieved()
    {
        var result = Preempt(Pod("high", cpu: "2", priority: 1000), [MakeNode("n1", cpu: "4")],
            Pod("low-1", cpu: "1", priority: 10, node: "n1"), Pod("low-2", cpu: "1", priority: 20, node: "n1"),
            Pod("mid", cpu: "2", priority: 500, node: "n1"));
        Assert.True(result.Found);
        Assert.Equal("n1", result.Node!.Name);
        // Removing both low pods frees 2 cpu; mid (more important) is given back first and stays.
        Assert.Equal(["low-1", "low-2"], result.Victims.Select(v => v.Name).Order());
    }

    [Fact]
    public void The_node_whose_most_important_victim_matters_least_wins()
    {
        var result = Preempt(Pod("high", cpu: "3", priority: 1000), [MakeNode("a", cpu: "4"), MakeNode("b", cpu: "4")],
            Pod("a-victim", cpu: "3", priority: 100, node: "a"), Pod("b-victim", cpu: "3", priority: 50, node: "b"));
        Assert.Equal("b", result.Node!.Name);
    }

    [Fact]
    public void With_equal_priorities_the_fewest_victims_then_the_youngest_work_is_disturbed()
    {
        var fewer = Preempt(Pod("high", cpu: "2", priority: 1000), [MakeNode("a", cpu: "2"), MakeNode("b", cpu: "2")],
            Pod("a1", cpu: "1", priority: 5, node: "a"), Pod("a2", cpu: "1", priority: 5, node: "b"), Pod("b1", cpu: "2", priority: 10, node: "b"));
        // a needs one victim of priority 5; b needs both (5 and 10): a's most important victim matters less.
        Assert.Equal("a", fewer.Node!.Name);

        var younger = Preempt(Pod("high", cpu: "2", priority: 1000), [MakeNode("a", cpu: "2"), MakeNode("b", cpu: "2")],
            Pod("old", cpu: "2", priority: 5, node: "a", started: At(1)), Pod("young", cpu: "2", priority: 5, node: "b", started: At(30)));
        Assert.Equal("b", younger.Node!.Name);
    }

    [Fact]
    public void No_lower_priority_pod_means_no_victims_and_unresolvable_nodes_are_not_helped()
    {
        var taint = new V1Taint { Key = "node-role", Value = "infra", Effect = "NoSchedule" };
        var result = Preempt(Pod("p", cpu: "2", priority: 0), [MakeNode("n1", cpu: "1"), MakeNode("n2", cpu: "1"), MakeNode("n3", taints: [taint])],
            Pod("peer", cpu: "500m", priority: 0, node: "n1"));
        Assert.False(result.Found);
        Assert.Equal("preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.", result.Message);
    }

    [Fact]
    public void A_node_too_small_even_when_emptied_says_what_is_short()
    {
        var result = Preempt(Pod("p", cpu: "8", priority: 100), [MakeNode("n1", cpu: "4")], Pod("low", cpu: "1", priority: 0, node: "n1"));
        Assert.Equal("preemption: 0/1 nodes are available: 1 Insufficient cpu.", result.Message);
    }

    [Fact]
    public void A_pod_with_preemptionPolicy_Never_preempts_nobody()
    {
        var result = Preempt(Pod("p", cpu: "2", priority: 1000, preemptionPolicy: "Never"), [MakeNode("n1", cpu: "2")],
            Pod("low", cpu: "2", priority: 0, node: "n1"));
        Assert.False(result.Found);
        Assert.Equal("preemption: not eligible due to preemptionPolicy=Never.", result.Message);
    }

    [Fact]
    public void Host_ports_can_be_freed_by_preemption()
    {
        var port = new V1ContainerPort { ContainerPort = 80, HostPort = 8080, Protocol = "TCP" };
        var result = Preempt(Pod("p", priority: 100, ports: [port]), [MakeNode("n1")], Pod("low", priority: 0, node: "n1", ports: [port]));
        Assert.Equal(["low"], result.Victims.Select(v => v.Name));
    }
}
