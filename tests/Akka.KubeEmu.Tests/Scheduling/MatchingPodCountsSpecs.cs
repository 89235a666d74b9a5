using Akka.KubeEmu.Actors.Api.Selectors;
using Akka.KubeEmu.Actors.Scheduling;
using Akka.KubeEmu.Actors.Scheduling.Framework;
using Akka.KubeEmu.Actors.Scheduling.Plugins;
using k8s.Models;
using Xunit;
using static Akka.KubeEmu.Tests.Scheduling.SchedulingFixtures;

namespace Akka.KubeEmu.Tests.Scheduling;

/// <summary>
/// The cache's matching pods per node, counted once then kept up to date: after every change the
/// counts, and what PodTopologySpread decides from them, are those of a count made from scratch.
/// zone1 (n1, n2), zone2 (n3, n4).
/// </summary>
public sealed class MatchingPodCountsSpecs
{
    private static readonly LabelSelector WebSelector = LabelSelector.Parse("app=web");

    private static V1Node[] Nodes() =>
    [
        MakeNode("n1", labels: Labels("zone=zone1")), MakeNode("n2", labels: Labels("zone=zone1")),
        MakeNode("n3", labels: Labels("zone=zone2")), MakeNode("n4", labels: Labels("zone=zone2")),
    ];

    private static V1Pod Web(string name, string? node = null, string ns = "default", params V1TopologySpreadConstraint[] spread) =>
        Pod(name, labels: Labels("app=web"), node: node, ns: ns, spread: spread.Length == 0 ? null : spread);

    private static V1TopologySpreadConstraint Spread(string key, int maxSkew = 1, int? minDomains = null, string? nodeAffinityPolicy = null,
        string? nodeTaintsPolicy = null, IList<string>? matchLabelKeys = null) => new()
    {
        MaxSkew = maxSkew, TopologyKey = key, WhenUnsatisfiable = "DoNotSchedule", MinDomains = minDomains,
        LabelSelector = new V1LabelSelector { MatchLabels = Labels("app=web") },
        NodeAffinityPolicy = nodeAffinityPolicy, NodeTaintsPolicy = nodeTaintsPolicy, MatchLabelKeys = matchLabelKeys,
    };

    private static int[] PerNode(Snapshot snapshot, string ns = "default", LabelSelector? selector = null)
    {
        var counts = snapshot.MatchingPodCounts.For(ns, selector ?? WebSelector, snapshot.Nodes);
        return snapshot.Nodes.Select(counts.On).ToArray();
    }

    private static string Feasible(Snapshot snapshot, V1Pod incoming)
    {
        var plugin = new PodTopologySpread();
        var pod = PodInfo.From(incoming);
        Assert.True(plugin.BeginCycle(pod, snapshot).IsSuccess);
        return string.Join(",", snapshot.Nodes.Where(n => plugin.Filter(pod, n).IsSuccess).Select(n => n.Name));
    }

    // The same decision from a snapshot built from scratch with the live one's nodes and pods.
    private static void AssertSameAsRecount(Snapshot live, V1Pod incoming, string expected)
    {
        var fresh = new Snapshot();
        foreach (var n in live.Nodes) fresh.Add(n.Node);
        foreach (var n in live.Nodes)
            foreach (var p in n.Pods) fresh.Get(n.Name)!.AddPod(p);
        Assert.Equal(Feasible(fresh, incoming), Feasible(live, incoming));
        Assert.Equal(expected, Feasible(live, incoming));
    }

    [Fact]
    public void Counts_follow_pods_added_bound_and_deleted()
    {
        var snapshot = Snapshot(Nodes(), [Web("a", "n1")]);
        Assert.Equal([1, 0, 0, 0], PerNode(snapshot));
        snapshot.Get("n3")!.AddPod(PodInfo.From(Web("b", "n3")));
        snapshot.Get("n3")!.AddPod(PodInfo.From(Web("c", "n3")));
        Assert.Equal([1, 0, 2, 0], PerNode(snapshot));
        snapshot.Get("n3")!.RemovePod("default/b");
        snapshot.Get("n1")!.RemovePod("default/a");
        Assert.Equal([0, 0, 1, 0], PerNode(snapshot));
        // Removing what is not there changes nothing.
        snapshot.Get("n1")!.RemovePod("default/a");
        Assert.Equal([0, 0, 1, 0], PerNode(snapshot));
    }

    [Fact]
    public void A_pod_whose_labels_change_is_counted_by_its_new_labels()
    {
        var snapshot = Snapshot(Nodes(), [Web("a", "n1")]);
        Assert.Equal([1, 0, 0, 0], PerNode(snapshot));
        snapshot.Get("n1")!.AddPod(PodInfo.From(Pod("a", labels: Labels("app=db"), node: "n1")));
        Assert.Equal([0, 0, 0, 0], PerNode(snapshot));
        snapshot.Get("n1")!.AddPod(PodInfo.From(Web("a", "n1")));
        Assert.Equal([1, 0, 0, 0], PerNode(snapshot));
    }

    [Fact]
    public void A_terminating_pod_no_longer_counts()
    {
        var snapshot = Snapshot(Nodes(), [Web("a", "n1"), Web("b", "n1")]);
        Assert.Equal([2, 0, 0, 0], PerNode(snapshot));
        var terminating = Web("a", "n1");
        terminating.Metadata.DeletionTimestamp = new DateTime(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc);
        snapshot.Get("n1")!.AddPod(PodInfo.From(terminating));
        Assert.Equal([1, 0, 0, 0], PerNode(snapshot));
        // Counted from scratch, it is left out too.
        Assert.Equal([1, 0, 0, 0], PerNode(Snapshot(Nodes(), [terminating, Web("b", "n1")])));
    }

    [Fact]
    public void Pods_of_another_namespace_are_counted_apart()
    {
        var snapshot = Snapshot(Nodes(), [Web("a", "n1"), Web("a", "n2", ns: "other")]);
        Assert.Equal([1, 0, 0, 0], PerNode(snapshot));
        Assert.Equal([0, 1, 0, 0], PerNode(snapshot, "other"));
        snapshot.Get("n3")!.AddPod(PodInfo.From(Web("b", "n3", ns: "other")));
        Assert.Equal([1, 0, 0, 0], PerNode(snapshot));
        Assert.Equal([0, 1, 1, 0], PerNode(snapshot, "other"));
        // The spreading of a pod in "default" ignores "other"'s pods.
        AssertSameAsRecount(snapshot, Web("p", spread: Spread("zone")), "n3,n4");
    }

    [Fact]
    public void A_node_whose_zone_changes_moves_its_pods_to_the_other_domain()
    {
        var snapshot = Snapshot(Nodes(), [Web("a", "n1"), Web("b", "n2"), Web("c", "n3")]);
        var incoming = Web("p", spread: Spread("zone"));
        AssertSameAsRecount(snapshot, incoming, "n3,n4");
        // n2 moves to zone2: zone1 holds 1, zone2 2.
        snapshot.Get("n2")!.Update(MakeNode("n2", labels: Labels("zone=zone2")));
        AssertSameAsRecount(snapshot, incoming, "n1");
        // n4 loses its zone label: it is no domain and refused for the missing label.
        snapshot.Get("n4")!.Update(MakeNode("n4"));
        AssertSameAsRecount(snapshot, incoming, "n1");
    }

    [Fact]
    public void A_node_removed_takes_its_pods_out_of_the_counts_and_brings_them_back_when_added_again()
    {
        var snapshot = Snapshot(Nodes(), [Web("a", "n1"), Web("b", "n3")]);
        Assert.Equal([1, 0, 1, 0], PerNode(snapshot));
        snapshot.Remove("n3");
        Assert.Equal([1, 0, 0], PerNode(snapshot));
        var again = snapshot.Add(MakeNode("n3", labels: Labels("zone=zone2")));
        again.AddPod(PodInfo.From(Web("b", "n3")));
        Assert.Equal([1, 0, 0, 1], PerNode(snapshot));
    }

    [Fact]
    public void A_copy_for_preemptions_dry_run_leaves_the_counts_alone()
    {
        var snapshot = Snapshot(Nodes(), [Web("a", "n1")]);
        Assert.Equal([1, 0, 0, 0], PerNode(snapshot));
        var copy = snapshot.Get("n1")!.Clone();
        copy.RemovePod("default/a");
        copy.AddPod(PodInfo.From(Web("x", "n1")));
        copy.AddPod(PodInfo.From(Web("y", "n1")));
        Assert.Equal([1, 0, 0, 0], PerNode(snapshot));
    }

    [Fact]
    public void MatchLabelKeys_count_only_the_pods_with_the_incoming_pods_values()
    {
        V1Pod Revision(string name, string hash, string? node, params V1TopologySpreadConstraint[] spread) =>
            Pod(name, labels: Labels("app=web", $"pod-template-hash={hash}"), node: node, spread: spread.Length == 0 ? null : spread);
        var snapshot = Snapshot(Nodes(), [Revision("old1", "v1", "n3"), Revision("old2", "v1", "n4")]);
        var spread = Spread("zone", matchLabelKeys: ["pod-template-hash"]);
        // The v1 pods do not count for a v2 pod: both zones are empty.
        AssertSameAsRecount(snapshot, Revision("p", "v2", null, spread), "n1,n2,n3,n4");
        snapshot.Get("n1")!.AddPod(PodInfo.From(Revision("new1", "v2", "n1")));
        AssertSameAsRecount(snapshot, Revision("p", "v2", null, spread), "n3,n4");
        AssertSameAsRecount(snapshot, Revision("p", "v1", null, spread), "n1,n2");
    }

    [Fact]
    public void MinDomains_and_the_node_inclusion_policies_read_the_kept_counts()
    {
        var snapshot = Snapshot(Nodes(), [Web("a", "n1")]);
        AssertSameAsRecount(snapshot, Web("p", spread: Spread("zone", minDomains: 3)), "n3,n4");
        snapshot.Get("n3")!.AddPod(PodInfo.From(Web("b", "n3")));
        // Balanced, but three domains are wanted: the minimum is 0 and a second pod per zone is too many.
        AssertSameAsRecount(snapshot, Web("p", spread: Spread("zone", minDomains: 3)), "");
        AssertSameAsRecount(snapshot, Web("p", spread: Spread("zone")), "n1,n2,n3,n4");

        // zone2 left out by the pod's node selector (Honor): zone1 alone sets the minimum (NodeAffinity, not
        // this filter, keeps the pod out of zone2); counted (Ignore), zone2's two pods make it too full.
        snapshot.Get("n4")!.AddPod(PodInfo.From(Web("c", "n4")));
        var honor = Web("p", spread: Spread("zone"));
        honor.Spec.NodeSelector = Labels("zone=zone1");
        AssertSameAsRecount(snapshot, honor, "n1,n2,n3,n4");
        var ignore = Web("p", spread: Spread("zone", nodeAffinityPolicy: "Ignore"));
        ignore.Spec.NodeSelector = Labels("zone=zone1");
        AssertSameAsRecount(snapshot, ignore, "n1,n2");

        // Tainted zone2 nodes leave zone2 out under nodeTaintsPolicy Honor: zone1 (1 pod) is then the minimum.
        foreach (var name in new[] { "n3", "n4" })
            snapshot.Get(name)!.Update(MakeNode(name, labels: Labels("zone=zone2"),
                taints: [new V1Taint { Key = "dedicated", Value = "infra", Effect = "NoSchedule" }]));
        AssertSameAsRecount(snapshot, Web("p", spread: Spread("zone", nodeTaintsPolicy: "Honor")), "n1,n2,n3,n4");
        AssertSameAsRecount(snapshot, Web("p", spread: Spread("zone")), "n1,n2");
    }

    [Fact]
    public void The_selectors_tracked_are_bounded_and_a_dropped_one_is_counted_again_when_asked_for()
    {
        var counts = new MatchingPodCounts(maxTracked: 2);
        var snapshot = Snapshot(Nodes(), [Web("a", "n1"), Pod("d", labels: Labels("app=db"), node: "n2")]);
        var nodes = snapshot.Nodes;
        var web = counts.For("default", WebSelector, nodes);
        counts.For("default", LabelSelector.Parse("app=db"), nodes);
        counts.For("default", LabelSelector.Parse("app=cache"), nodes);
        Assert.Equal(2, counts.Tracked);
        // app=web was the least recently asked for: dropped, then counted from the nodes again.
        Assert.NotSame(web, counts.For("default", WebSelector, nodes));
        Assert.Equal([1, 0, 0, 0], nodes.Select(counts.For("default", WebSelector, nodes).On).ToArray());
    }
}
