using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.DaemonSet;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.DaemonSet;

/// <summary>The DaemonSet controller against a real Store, in virtual time: placement, nodes coming and going, status.</summary>
public sealed class DaemonSetControllerSpecs : DaemonSetTestBase
{
    private const string GeneratedName = "[bcdfghjklmnpqrstvwxz2456789]{5}";

    [Fact]
    public void Creates_one_pod_per_node_pinned_by_node_affinity_with_the_daemon_tolerations_and_the_revision_labels()
    {
        foreach (var n in new[] { "node-1", "node-2", "node-3" }) CreateNode(n);
        StartController();
        var ds = CreateDaemonSet(NewDaemonSet("agent"));
        Assert.Equal("1", ds.Metadata.Annotations[DaemonPods.TemplateGenerationAnnotation]);

        var pods = WaitForPodsOn(ds, "node-1", "node-2", "node-3");
        var revision = Assert.Single(Eventually(() => Revisions() is { Count: 1 } r ? r : null, Budget, "the first revision"));
        var hash = revision.Metadata.Labels[DaemonPods.HashLabel];
        Assert.Equal($"agent-{hash}", revision.Metadata.Name);
        Assert.Equal(1, revision.Revision);
        Assert.Equal("agent", KubeModels.ControllerOf(revision)!.Name);
        foreach (var (node, pod) in pods)
        {
            Assert.Matches($"^agent-{GeneratedName}$", pod.Metadata.Name);
            Assert.Null(pod.Spec.NodeName); // the scheduler places it
            var term = Assert.Single(pod.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms);
            var field = Assert.Single(term.MatchFields);
            Assert.Equal(("metadata.name", "In", node), (field.Key, field.OperatorProperty, Assert.Single(field.Values)));
            Assert.Equal(new Dictionary<string, string> { ["name"] = "agent", ["controller-revision-hash"] = hash, ["pod-template-generation"] = "1" },
                pod.Metadata.Labels);
            Assert.Equal(
                ["NoExecute node.kubernetes.io/not-ready", "NoExecute node.kubernetes.io/unreachable", "NoSchedule node.kubernetes.io/disk-pressure",
                 "NoSchedule node.kubernetes.io/memory-pressure", "NoSchedule node.kubernetes.io/pid-pressure", "NoSchedule node.kubernetes.io/unschedulable"],
                pod.Spec.Tolerations.Select(t => $"{t.Effect} {t.Key}"));
            Assert.All(pod.Spec.Tolerations, t => Assert.Equal(("Exists", (long?)null), (t.OperatorProperty, t.TolerationSeconds)));
            var owner = Assert.Single(pod.Metadata.OwnerReferences);
            Assert.Equal(("apps/v1", "DaemonSet", ds.Metadata.Uid, true), (owner.ApiVersion, owner.Kind, owner.Uid, owner.Controller));
        }
        WaitForEvents("agent", "SuccessfulCreate", 3);
        Assert.Equal(pods.Values.Select(p => $"Created pod: {p.Metadata.Name}").Order(), EventMessages("agent", "SuccessfulCreate").Order());

        var pending = WaitForStatus("agent", s => s.CurrentNumberScheduled == 3, "3 scheduled").Status;
        Assert.Equal((3, 3, 0, 0, (int?)3, (int?)null, (int?)3, (long?)1),
            (pending.DesiredNumberScheduled, pending.CurrentNumberScheduled, pending.NumberMisscheduled, pending.NumberReady,
             pending.UpdatedNumberScheduled, pending.NumberAvailable, pending.NumberUnavailable, pending.ObservedGeneration));

        RunPods(ds);
        var running = WaitForStatus("agent", s => s.NumberAvailable == 3, "3 available").Status;
        Assert.Equal((3, (int?)3, (int?)null), (running.NumberReady, running.UpdatedNumberScheduled, running.NumberUnavailable));
    }

    [Fact]
    public void Runs_only_on_nodes_matching_the_node_selector_and_required_affinity_and_tolerating_their_taints()
    {
        CreateNode("ssd-1", new Dictionary<string, string> { ["disk"] = "ssd", ["zone"] = "a" });
        CreateNode("ssd-2", new Dictionary<string, string> { ["disk"] = "ssd", ["zone"] = "b" });
        CreateNode("hdd", new Dictionary<string, string> { ["disk"] = "hdd", ["zone"] = "a" });
        CreateNode("ssd-tainted", new Dictionary<string, string> { ["disk"] = "ssd", ["zone"] = "a" }, Taint("dedicated", "NoSchedule", "db"));
        CreateNode("ssd-tolerated", new Dictionary<string, string> { ["disk"] = "ssd", ["zone"] = "a" }, Taint("gpu", "NoExecute"));
        // A cordoned node and one under pressure: daemon pods tolerate both.
        var cordoned = CreateNode("ssd-cordoned", new Dictionary<string, string> { ["disk"] = "ssd", ["zone"] = "a" },
            Taint("node.kubernetes.io/memory-pressure", "NoSchedule"));
        UpdateNode(cordoned.Metadata.Name, n => n.Spec.Unschedulable = true);
        StartController();

        var ds = CreateDaemonSet(NewDaemonSet("agent", d =>
        {
            d.Spec.Template.Spec.NodeSelector = new Dictionary<string, string> { ["disk"] = "ssd" };
            d.Spec.Template.Spec.Affinity = new V1Affinity
            {
                NodeAffinity = new V1NodeAffinity
                {
                    RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
                    {
                        NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = "zone", OperatorProperty = "In", Values = ["a"] }] }],
                    },
                },
            };
            d.Spec.Template.Spec.Tolerations = [new V1Toleration { Key = "gpu", OperatorProperty = "Exists" }];
        }));

        var pods = WaitForPodsOn(ds, "ssd-1", "ssd-tolerated", "ssd-cordoned");
        // The template's label term is replaced by the node's name (it was checked against the node already).
        Assert.All(pods.Values, p => Assert.Null(Assert.Single(p.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms).MatchExpressions));
        Assert.Contains(pods["ssd-1"].Spec.Tolerations, t => t.Key == "gpu");
        WaitForStatus("agent", s => s is { DesiredNumberScheduled: 3, CurrentNumberScheduled: 3, NumberMisscheduled: 0 }, "3 desired, 3 scheduled");
    }

    [Fact]
    public void Host_network_pods_also_tolerate_an_unavailable_network_and_a_user_toleration_loses_its_seconds()
    {
        CreateNode("node-1", null, Taint("node.kubernetes.io/network-unavailable", "NoSchedule"));
        StartController();
        var plain = CreateDaemonSet(NewDaemonSet("plain", d => d.Spec.Template.Spec.Tolerations =
            [new V1Toleration { Key = "node.kubernetes.io/unreachable", OperatorProperty = "Exists", Effect = "NoExecute", TolerationSeconds = 60 }]));
        var host = CreateDaemonSet(NewDaemonSet("host", d => d.Spec.Template.Spec.HostNetwork = true));

        var pod = WaitForPodsOn(host, "node-1")["node-1"];
        Assert.Contains(pod.Spec.Tolerations, t => t is { Key: "node.kubernetes.io/network-unavailable", Effect: "NoSchedule", OperatorProperty: "Exists" });
        WaitForStatus("plain", s => s.DesiredNumberScheduled == 0 && s.ObservedGeneration == 1, "plain observed, nothing desired");
        Assert.Empty(LivePods(plain));

        UpdateNode("node-1", n => n.Spec.Taints = null);
        var plainPod = WaitForPodsOn(plain, "node-1")["node-1"];
        var unreachable = Assert.Single(plainPod.Spec.Tolerations, t => t.Key == "node.kubernetes.io/unreachable");
        Assert.Null(unreachable.TolerationSeconds);
    }

    [Fact]
    public void A_node_that_joins_gets_its_pod_and_one_that_stops_matching_or_gets_an_untolerated_NoExecute_taint_loses_it()
    {
        CreateNode("node-1");
        StartController();
        var ds = CreateDaemonSet(NewDaemonSet("agent"));
        WaitForPodsOn(ds, "node-1");
        RunPods(ds);

        CreateNode("node-2");
        WaitForPodsOn(ds, "node-1", "node-2");
        RunPods(ds);
        WaitForStatus("agent", s => s.NumberAvailable == 2, "2 available");

        // NoSchedule keeps new pods out but lets the running one stay: it is counted as misscheduled.
        UpdateNode("node-2", n => n.Spec.Taints = [Taint("dedicated", "NoSchedule")]);
        var tainted = WaitForStatus("agent", s => s.NumberMisscheduled == 1, "1 misscheduled").Status;
        Assert.Equal((1, 1), (tainted.DesiredNumberScheduled, tainted.CurrentNumberScheduled));
        Assert.Equal(2, LivePods(ds).Count);

        // NoExecute drives it away.
        UpdateNode("node-2", n => n.Spec.Taints = [Taint("dedicated", "NoExecute")]);
        WaitForPodsOn(ds, "node-1");
        WaitForEvents("agent", "SuccessfulDelete", 1);
        FinishDeletions();
        WaitForStatus("agent", s => s is { DesiredNumberScheduled: 1, CurrentNumberScheduled: 1, NumberMisscheduled: 0 }, "back to one node");

        // Labels decide too: a node selector the first node stops matching.
        UpdateNode("node-2", n => n.Spec.Taints = null);
        WaitForPodsOn(ds, "node-1", "node-2");
        UpdateNode("node-1", n => n.Metadata.Labels["pool"] = "infra");
        UpdateNode("node-2", n => n.Metadata.Labels["pool"] = "infra");
        UpdateDaemonSet("agent", d => d.Spec.Template.Spec.NodeSelector = new Dictionary<string, string> { ["pool"] = "infra" });
        UpdateNode("node-1", n => n.Metadata.Labels.Remove("pool"));
        WaitForPodsOn(ds, "node-2");
    }

    [Fact]
    public void A_deleted_node_takes_its_waiting_pod_with_it_and_leaves_the_count()
    {
        CreateNode("node-1");
        CreateNode("node-2");
        StartController();
        var ds = CreateDaemonSet(NewDaemonSet("agent"));
        WaitForPodsOn(ds, "node-1", "node-2");
        WaitForStatus("agent", s => s.DesiredNumberScheduled == 2, "2 desired");

        // Never scheduled, so no pod GC will collect it: the DaemonSet does.
        Assert.Null(Await(Api.Delete<V1Node>("", "node-2")));
        WaitForPodsOn(ds, "node-1");
        WaitForStatus("agent", s => s is { DesiredNumberScheduled: 1, CurrentNumberScheduled: 1 }, "1 desired");
    }

    [Fact]
    public void Node_heartbeats_wake_no_daemon_set_and_a_label_change_wakes_only_those_it_concerns()
    {
        CreateNode("node-1");
        StartController();
        var ds = CreateDaemonSet(NewDaemonSet("agent"));
        CreateDaemonSet(NewDaemonSet("marker", d => d.Spec.Template.Spec.NodeSelector = new Dictionary<string, string> { ["touched"] = "yes" }));
        WaitForPodsOn(ds, "node-1");
        RunPods(ds);
        WaitForStatus("agent", s => s.NumberAvailable == 1, "1 available");
        WaitForStatus("marker", s => s.ObservedGeneration == 1, "marker observed");
        Eventually(() => Metrics.Finished(DaemonSetsController.ControllerName) == Metrics.Syncs(DaemonSetsController.ControllerName), Budget, "quiet");
        var agentSyncs = Metrics.Syncs(DaemonSetsController.ControllerName, "default/agent");
        var markerSyncs = Metrics.Syncs(DaemonSetsController.ControllerName, "default/marker");

        for (var beat = 1; beat <= 5; beat++)
            UpdateNode("node-1", n =>
            {
                n.Status ??= new V1NodeStatus();
                n.Status.Conditions = [new V1NodeCondition { Type = "Ready", Status = "True", LastHeartbeatTime = Time.GetUtcNow().UtcDateTime.AddSeconds(beat) }];
            });
        // After the heartbeats, through the same informer: a label only the marker's node selector reads.
        UpdateNode("node-1", n => n.Metadata.Labels["touched"] = "yes");
        Eventually(() => Metrics.Syncs(DaemonSetsController.ControllerName, "default/marker") > markerSyncs, Budget, "the marker woken");
        Assert.Equal(agentSyncs, Metrics.Syncs(DaemonSetsController.ControllerName, "default/agent"));
    }

    [Fact]
    public void Status_counts_ready_pods_as_available_only_after_minReadySeconds()
    {
        CreateNode("node-1");
        CreateNode("node-2");
        StartController();
        var ds = CreateDaemonSet(NewDaemonSet("agent", d => d.Spec.MinReadySeconds = 30));
        WaitForPodsOn(ds, "node-1", "node-2");
        var readyAt = Time.GetUtcNow();
        RunPods(ds);
        var ready = WaitForStatus("agent", s => s.NumberReady == 2, "2 ready").Status;
        Assert.Null(ready.NumberAvailable);
        Assert.Equal(2, ready.NumberUnavailable);
        Eventually(() => DaemonSet("agent").Status.NumberAvailable == 2, Budget, "2 available after 30 s", TimeSpan.FromSeconds(1));
        Assert.True(Time.GetUtcNow() - readyAt >= TimeSpan.FromSeconds(30));
        Assert.Null(DaemonSet("agent").Status.NumberUnavailable);
    }
}
