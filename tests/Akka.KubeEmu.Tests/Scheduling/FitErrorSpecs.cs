using Akka.KubeEmu.Actors.Scheduling;
using Akka.KubeEmu.Actors.Scheduling.Framework;
using Xunit;

namespace Akka.KubeEmu.Tests.Scheduling;

public sealed class FitErrorSpecs
{
    [Fact]
    public void Counts_reasons_over_nodes_and_adds_the_preemption_part()
    {
        var diagnosis = new Dictionary<string, FilterStatus>
        {
            ["node-1"] = FilterStatus.Unschedulable("Insufficient cpu"),
            ["node-2"] = FilterStatus.Unschedulable("Insufficient cpu"),
            ["node-3"] = FilterStatus.Unschedulable("Insufficient cpu"),
        };
        Assert.Equal(
            "0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.",
            new FitError(3, diagnosis, "preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.").Message);
    }

    [Fact]
    public void Without_a_PostFilter_message_the_filter_part_stands_alone()
    {
        var diagnosis = new Dictionary<string, FilterStatus> { ["a"] = FilterStatus.Unschedulable("Insufficient cpu") };
        Assert.Equal("0/1 nodes are available: 1 Insufficient cpu.", new FitError(1, diagnosis).Message);
    }

    [Fact]
    public void Sorts_entries_as_plain_strings_and_separates_unresolvable_nodes()
    {
        var diagnosis = new Dictionary<string, FilterStatus>
        {
            ["a"] = FilterStatus.Unschedulable("Insufficient cpu", "Insufficient memory"),
            ["b"] = FilterStatus.Unresolvable("node(s) had untolerated taint {node.kubernetes.io/unreachable: }"),
            ["c"] = FilterStatus.Unresolvable("node(s) had untolerated taint {node.kubernetes.io/unreachable: }"),
        };
        Assert.Equal(
            "0/3 nodes are available: 1 Insufficient cpu, 1 Insufficient memory, 2 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. " +
            "preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
            new FitError(3, diagnosis, "preemption: " + new FitError(3, new Dictionary<string, FilterStatus>
            {
                ["a"] = FilterStatus.Unresolvable("No preemption victims found for incoming pod"),
                ["b"] = FilterStatus.Unresolvable("Preemption is not helpful for scheduling"),
                ["c"] = FilterStatus.Unresolvable("Preemption is not helpful for scheduling"),
            }).Message).Message);
    }

    [Fact]
    public void An_empty_cluster_says_so()
    {
        Assert.Equal("no nodes available to schedule pods", new FitError(0, new Dictionary<string, FilterStatus>()).Message);
    }
}
