using Akka.KubeEmu.Actors.Scheduling;
using Akka.KubeEmu.Actors.Scheduling.Framework;
using Akka.KubeEmu.Actors.Scheduling.Plugins;
using k8s.Models;
using Xunit;
using static Akka.KubeEmu.Tests.Scheduling.SchedulingFixtures;

namespace Akka.KubeEmu.Tests.Scheduling.Plugins;

/// <summary>After podtopologyspread/filtering_test.go and scoring_test.go: zone1 (n1, n2), zone2 (n3, n4).</summary>
public sealed class PodTopologySpreadSpecs
{
    private static readonly V1Node[] Nodes =
    [
        MakeNode("n1", labels: Labels("zone=zone1")), MakeNode("n2", labels: Labels("zone=zone1")),
        MakeNode("n3", labels: Labels("zone=zone2")), MakeNode("n4", labels: Labels("zone=zone2")),
    ];

    private static V1TopologySpreadConstraint Spread(string key, int maxSkew, string when = "DoNotSchedule", int? minDomains = null,
        string? nodeAffinityPolicy = null) =>
        new()
        {
            MaxSkew = maxSkew, TopologyKey = key, WhenUnsatisfiable = when, LabelSelector = new V1LabelSelector { MatchLabels = Labels("app=web") },
            MinDomains = minDomains, NodeAffinityPolicy = nodeAffinityPolicy,
        };

    private static V1Pod Web(string name, string? node = null, params V1TopologySpreadConstraint[] spread) =>
        Pod(name, labels: Labels("app=web"), node: node, spread: spread.Length == 0 ? null : spread);

    private static string Feasible(V1Pod incoming, IEnumerable<V1Node> nodes, params V1Pod[] existing)
    {
        var snapshot = Snapshot(nodes, existing);
        var plugin = new PodTopologySpread();
        var pod = PodInfo.From(incoming);
        Assert.True(plugin.BeginCycle(pod, snapshot).IsSuccess);
        return string.Join(",", snapshot.Nodes.Where(n => plugin.Filter(pod, n).IsSuccess).Select(n => n.Name));
    }

    [Fact]
    public void MaxSkew_1_over_zones_sends_the_pod_to_the_emptier_zone()
    {
        // zone1 holds 2 matching pods, zone2 1: placing in zone1 makes skew 3-1 = 2 > 1.
        Assert.Equal("n3,n4", Feasible(Web("p", spread: Spread("zone", 1)), Nodes,
            Web("a", "n1"), Web("b", "n2"), Web("c", "n3"), Pod("other", node: "n4")));
    }

    [Fact]
    public void A_node_without_the_topology_key_is_refused_as_missing_the_label()
    {
        var snapshot = Snapshot([..Nodes, MakeNode("bare")]);
        var plugin = new PodTopologySpread();
        var pod = PodInfo.From(Web("p", spread: Spread("zone", 1)));
        plugin.BeginCycle(pod, snapshot);
        var status = plugin.Filter(pod, snapshot.Get("bare")!);
        Assert.Equal(Code.UnschedulableAndUnresolvable, status.Code);
        Assert.Equal(["node(s) didn't match pod topology spread constraints (missing required label)"], status.Reasons);
    }

    [Fact]
    public void A_skew_too_large_is_refused_with_kube_schedulers_reason_and_may_be_helped_by_preemption()
    {
        var snapshot = Snapshot(Nodes, [Web("a", "n1")]);
        var plugin = new PodTopologySpread();
        var pod = PodInfo.From(Web("p", spread: Spread("kubernetes.io/hostname", 1)));
        plugin.BeginCycle(pod, snapshot);
        var status = plugin.Filter(pod, snapshot.Get("n1")!);
        Assert.Equal(Code.Unschedulable, status.Code);
        Assert.Equal(["node(s) didn't match pod topology spread constraints"], status.Reasons);
    }

    [Fact]
    public void MinDomains_counts_missing_domains_as_empty()
    {
        // Two pods per zone: balanced, so maxSkew 1 allows both zones... unless 3 domains are required: the minimum is then 0.
        var existing = new[] { Web("a", "n1"), Web("b", "n3") };
        Assert.Equal("n1,n2,n3,n4", Feasible(Web("p", spread: Spread("zone", 1)), Nodes, existing));
        Assert.Equal("", Feasible(Web("p", spread: Spread("zone", 1, minDomains: 3)), Nodes, existing));
    }

    [Fact]
    public void NodeAffinityPolicy_Honor_leaves_out_the_nodes_the_pod_cannot_go_to()
    {
        // zone2 is excluded by the pod's node selector: it is no domain, and zone1 alone sets the minimum
        // (the NodeAffinity filter, not this one, keeps the pod out of zone2).
        var existing = new[] { Web("a", "n1") };
        var honor = Web("p", spread: Spread("zone", 1));
        honor.Spec.NodeSelector = Labels("zone=zone1");
        Assert.Equal("n1,n2,n3,n4", Feasible(honor, Nodes, existing));
        var ignore = Web("p", spread: Spread("zone", 1, nodeAffinityPolicy: "Ignore"));
        ignore.Spec.NodeSelector = Labels("zone=zone1");
        // With zone2 counted (0 pods), zone1 would reach skew 2.
        Assert.Equal("n3,n4", Feasible(ignore, Nodes, existing));
    }

    [Fact]
    public void ScheduleAnyway_prefers_the_domain_with_fewer_matching_pods()
    {
        var snapshot = Snapshot(Nodes, [Web("a", "n1"), Web("b", "n1"), Web("c", "n2")]);
        var pod = PodInfo.From(Web("p", spread: Spread("kubernetes.io/hostname", 1, "ScheduleAnyway")));
        var scores = Scores(new PodTopologySpread(), pod, snapshot);
        Assert.True(scores[2] == 100 && scores[3] == 100, string.Join(",", scores));
        Assert.True(scores[0] < scores[1] && scores[1] < scores[2], string.Join(",", scores));
    }

    [Fact]
    public void A_pod_without_constraints_spreads_from_its_siblings_by_the_default_constraints()
    {
        var owner = new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = "web", Uid = "rs-uid", Controller = true };
        V1Pod Sibling(string name, string? node)
        {
            var p = Web(name, node);
            p.Metadata.OwnerReferences = [owner];
            return p;
        }
        var siblings = new[] { Sibling("a", "n1"), Sibling("b", "n1"), Sibling("c", "n2") };
        var snapshot = Snapshot(Nodes, siblings);
        var plugin = new PodTopologySpread(systemDefaults: true);
        var scores = Scores(plugin, PodInfo.From(Sibling("p", null)), snapshot);
        // zone2 is empty, n1 holds two: n3/n4 best, n1 worst.
        Assert.True(scores[2] == scores[3] && scores[3] > scores[1] && scores[1] > scores[0], string.Join(",", scores));
        // A pod without a controller gets no default spreading.
        Assert.All(Scores(plugin, PodInfo.From(Web("bare")), snapshot), s => Assert.Equal(0L, s));
    }
}
