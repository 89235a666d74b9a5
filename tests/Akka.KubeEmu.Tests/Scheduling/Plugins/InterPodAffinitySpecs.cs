using Akka.KubeEmu.Actors.Scheduling;
using Akka.KubeEmu.Actors.Scheduling.Framework;
using Akka.KubeEmu.Actors.Scheduling.Plugins;
using k8s.Models;
using Xunit;
using static Akka.KubeEmu.Tests.Scheduling.SchedulingFixtures;

namespace Akka.KubeEmu.Tests.Scheduling.Plugins;

/// <summary>After interpodaffinity/filtering_test.go and scoring_test.go: zones "z1" (n1, n2) and "z2" (n3).</summary>
public sealed class InterPodAffinitySpecs
{
    private static readonly V1Node[] Nodes =
    [
        MakeNode("n1", labels: Labels("zone=z1")), MakeNode("n2", labels: Labels("zone=z1")), MakeNode("n3", labels: Labels("zone=z2")),
    ];

    private static Dictionary<string, FilterStatus> Filter(V1Pod incoming, params V1Pod[] existing)
    {
        var snapshot = Snapshot(Nodes, existing);
        var plugin = new InterPodAffinity();
        var pod = PodInfo.From(incoming);
        plugin.BeginCycle(pod, snapshot);
        return snapshot.Nodes.ToDictionary(n => n.Name, n => plugin.Filter(pod, n));
    }

    private static string Verdicts(Dictionary<string, FilterStatus> statuses) =>
        string.Join(" ", statuses.Select(s => $"{s.Key}:{(s.Value.IsSuccess ? "ok" : s.Value.Reasons[0])}"));

    [Fact]
    public void Required_affinity_keeps_the_pod_in_the_zone_of_a_matching_pod()
    {
        var pod = Pod("p", affinity: new V1Affinity { PodAffinity = new V1PodAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [Term("zone", "app", "db")] } });
        var statuses = Filter(pod, Pod("db", labels: Labels("app=db"), node: "n2"));
        Assert.Equal("n1:ok n2:ok n3:node(s) didn't match pod affinity rules", Verdicts(statuses));
        Assert.Equal(Code.UnschedulableAndUnresolvable, statuses["n3"].Code);
    }

    [Fact]
    public void The_first_pod_of_a_group_with_affinity_to_itself_is_let_in()
    {
        var self = Pod("web-0", labels: Labels("app=web"),
            affinity: new V1Affinity { PodAffinity = new V1PodAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [Term("zone", "app", "web")] } });
        Assert.Equal("n1:ok n2:ok n3:ok", Verdicts(Filter(self)));
        // A pod that does not match its own term gets no such favour.
        var other = Pod("x", labels: Labels("app=x"), affinity: self.Spec.Affinity);
        Assert.All(Filter(other).Values, s => Assert.False(s.IsSuccess));
    }

    [Fact]
    public void Required_anti_affinity_keeps_the_pod_out_of_the_domain_of_a_matching_pod()
    {
        var pod = Pod("p", labels: Labels("app=web"),
            affinity: new V1Affinity { PodAntiAffinity = new V1PodAntiAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [Term("kubernetes.io/hostname", "app", "web")] } });
        var statuses = Filter(pod, Pod("web-1", labels: Labels("app=web"), node: "n1"));
        Assert.Equal("n1:node(s) didn't match pod anti-affinity rules n2:ok n3:ok", Verdicts(statuses));
        Assert.Equal(Code.Unschedulable, statuses["n1"].Code);
    }

    [Fact]
    public void An_existing_pods_anti_affinity_keeps_matching_pods_out_of_its_zone()
    {
        var guard = Pod("guard", node: "n1",
            affinity: new V1Affinity { PodAntiAffinity = new V1PodAntiAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [Term("zone", "app", "noisy")] } });
        Assert.Equal("n1:node(s) didn't satisfy existing pods anti-affinity rules n2:node(s) didn't satisfy existing pods anti-affinity rules n3:ok",
            Verdicts(Filter(Pod("p", labels: Labels("app=noisy")), guard)));
        Assert.Equal("n1:ok n2:ok n3:ok", Verdicts(Filter(Pod("q", labels: Labels("app=quiet")), guard)));
    }

    [Fact]
    public void Terms_look_in_the_pods_namespace_unless_they_name_namespaces_or_select_them()
    {
        var elsewhere = Pod("db", labels: Labels("app=db"), node: "n3", ns: "data");
        var own = Pod("p", affinity: new V1Affinity { PodAffinity = new V1PodAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [Term("zone", "app", "db")] } });
        // Nothing matches in "default" and p does not match its own term: no node.
        Assert.All(Filter(own, elsewhere).Values, s => Assert.False(s.IsSuccess));
        var named = Pod("p", affinity: new V1Affinity { PodAffinity = new V1PodAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [Term("zone", "app", "db", namespaces: ["data"])] } });
        Assert.Equal("n1:node(s) didn't match pod affinity rules n2:node(s) didn't match pod affinity rules n3:ok", Verdicts(Filter(named, elsewhere)));

        var selected = Pod("p", affinity: new V1Affinity
        {
            PodAffinity = new V1PodAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [Term("zone", "app", "db", namespaceSelector: new V1LabelSelector { MatchLabels = Labels("team=data") })] },
        });
        var snapshot = Snapshot(Nodes, [elsewhere], new Dictionary<string, IDictionary<string, string>> { ["data"] = Labels("team=data") });
        var plugin = new InterPodAffinity();
        plugin.BeginCycle(PodInfo.From(selected), snapshot);
        Assert.True(plugin.Filter(PodInfo.From(selected), snapshot.Get("n3")!).IsSuccess);
        Assert.False(plugin.Filter(PodInfo.From(selected), snapshot.Get("n1")!).IsSuccess);
    }

    [Fact]
    public void Preferred_affinity_and_anti_affinity_score_the_domains_of_matching_pods()
    {
        var pod = Pod("p", affinity: new V1Affinity
        {
            PodAffinity = new V1PodAffinity { PreferredDuringSchedulingIgnoredDuringExecution = [new V1WeightedPodAffinityTerm { PodAffinityTerm = Term("zone", "app", "cache"), Weight = 5 }] },
            PodAntiAffinity = new V1PodAntiAffinity { PreferredDuringSchedulingIgnoredDuringExecution = [new V1WeightedPodAffinityTerm { PodAffinityTerm = Term("kubernetes.io/hostname", "app", "batch"), Weight = 3 }] },
        });
        var snapshot = Snapshot(Nodes, [Pod("cache", labels: Labels("app=cache"), node: "n1"), Pod("batch", labels: Labels("app=batch"), node: "n2")]);
        // Raw: n1 +5 (zone z1), n2 +5 -3, n3 0; scaled between min 0 and max 5.
        Assert.Equal([100L, 40L, 0L], Scores(new InterPodAffinity(), PodInfo.From(pod), snapshot));
    }

    [Fact]
    public void Existing_pods_preferred_terms_attract_the_incoming_pod_too()
    {
        var fan = Pod("fan", node: "n3", affinity: new V1Affinity
        {
            PodAffinity = new V1PodAffinity { PreferredDuringSchedulingIgnoredDuringExecution = [new V1WeightedPodAffinityTerm { PodAffinityTerm = Term("zone", "app", "star"), Weight = 10 }] },
        });
        var scores = Scores(new InterPodAffinity(), PodInfo.From(Pod("star", labels: Labels("app=star"))), Snapshot(Nodes, [fan]));
        Assert.Equal([0L, 0L, 100L], scores);
    }

    [Fact]
    public void Replicas_that_avoid_each_other_are_told_the_pods_own_anti_affinity_first()
    {
        var term = new V1Affinity { PodAntiAffinity = new V1PodAntiAffinity { RequiredDuringSchedulingIgnoredDuringExecution = [Term("kubernetes.io/hostname", "app", "solo")] } };
        var placed = new[] { "n1", "n2", "n3" }.Select(n => Pod("solo-" + n, labels: Labels("app=solo"), node: n, affinity: term)).ToArray();
        Assert.All(Filter(Pod("solo-4", labels: Labels("app=solo"), affinity: term), placed).Values,
            s => Assert.Equal(["node(s) didn't match pod anti-affinity rules"], s.Reasons));
    }
}
