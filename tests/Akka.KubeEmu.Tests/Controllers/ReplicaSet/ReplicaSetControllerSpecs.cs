using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.ReplicaSet;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.ReplicaSet;

/// <summary>The ReplicaSet controller against a real Store, in virtual time.</summary>
public sealed class ReplicaSetControllerSpecs : ReplicaSetTestBase
{
    private const string GeneratedName = "[bcdfghjklmnpqrstvwxz2456789]{5}";

    [Fact]
    public void Creates_the_pods_from_the_template_named_after_the_replica_set_and_owned_by_it()
    {
        StartController();
        var rs = CreateReplicaSet(NewReplicaSet("web", 3));

        var pods = WaitForActivePods(rs, 3);
        foreach (var pod in pods)
        {
            Assert.Matches($"^web-{GeneratedName}$", pod.Metadata.Name);
            Assert.Equal("web", pod.Metadata.Labels["app"]);
            Assert.Equal("template", pod.Metadata.Annotations["example.com/from"]);
            var owner = Assert.Single(pod.Metadata.OwnerReferences);
            Assert.Equal(("apps/v1", "ReplicaSet", "web", rs.Metadata.Uid, true, true),
                (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
            // Through the API like kubectl's pods: defaulted and admitted.
            Assert.Equal("nginx:1.14.2", pod.Spec.Containers[0].Image);
            Assert.Equal("IfNotPresent", pod.Spec.Containers[0].ImagePullPolicy);
            Assert.Contains(pod.Spec.Tolerations, t => t is { Key: "node.kubernetes.io/not-ready", Effect: "NoExecute", TolerationSeconds: 300 });
            Assert.Contains(pod.Spec.Tolerations, t => t is { Key: "node.kubernetes.io/unreachable", Effect: "NoExecute", TolerationSeconds: 300 });
            Assert.Equal(("Pending", "BestEffort"), (pod.Status.Phase, pod.Status.QosClass));
        }

        var status = WaitForStatus("web", s => s.Replicas == 3, "status.replicas 3").Status;
        Assert.Equal((3, (int?)3, (int?)null, (int?)null, (long?)1), (status.Replicas, status.FullyLabeledReplicas, status.ReadyReplicas, status.AvailableReplicas, status.ObservedGeneration));
        Assert.Null(status.Conditions);
        WaitForEvents("web", "SuccessfulCreate", 3);
        Assert.Equal(pods.Select(p => $"Created pod: {p.Metadata.Name}").Order(), EventMessages("web", "SuccessfulCreate").Order());
        var created = EventsOf("web")[0];
        Assert.Equal(("Normal", "replicaset-controller", "ReplicaSet", rs.Metadata.Uid),
            (created.Type, created.Source.Component, created.InvolvedObject.Kind, created.InvolvedObject.Uid));
    }

    [Fact]
    public void Scales_up_and_down_deleting_unassigned_then_pending_then_cheaper_pods_first()
    {
        StartController();
        var rs = CreateReplicaSet(NewReplicaSet("web", 4));
        var pods = WaitForActivePods(rs, 4).Select(p => p.Metadata.Name).Order().ToArray();
        string unassigned = pods[0], pending = pods[1], expensive = pods[2], cheap = pods[3];
        Bind(pending, "node-1");
        Bind(expensive, "node-1");
        Bind(cheap, "node-2");
        SetRunning(expensive, ready: true);
        SetRunning(cheap, ready: true);
        _ = Await(Api.Patch<V1Pod>("default", expensive, Actors.Api.Rest.PatchDispatch.MergePatch,
            "{\"metadata\":{\"annotations\":{\"" + PodDeletionOrder.DeletionCostAnnotation + "\":\"100\"}}}")).Object;
        WaitForStatus("web", s => s.ReadyReplicas == 2, "2 ready replicas");

        UpdateReplicaSet("web", r => r.Spec.Replicas = 1);
        var left = WaitForActivePods(rs, 1, "one pod left");
        Assert.Equal(expensive, Assert.Single(left).Metadata.Name);
        WaitForEvents("web", "SuccessfulDelete", 3);
        Assert.Equal(new[] { cheap, pending, unassigned }.Order(), EventMessages("web", "SuccessfulDelete").Select(m => m["Deleted pod: ".Length..]).Order());
        // A plain DELETE: the bound pods terminate gracefully (the kubelet finishes them), the unscheduled one is gone at once.
        Assert.True(Await(Api.Get<V1Pod>("default", unassigned)).IsNotFound);
        Assert.All(new[] { pending, cheap }, p => Assert.Equal(30, PodNamed(p).Metadata.DeletionGracePeriodSeconds));
        var status = WaitForStatus("web", s => s.Replicas == 1, "status.replicas 1").Status;
        Assert.Equal((1, (int?)1, (long?)2), (status.Replicas, status.ReadyReplicas, status.ObservedGeneration));

        UpdateReplicaSet("web", r => r.Spec.Replicas = 3);
        WaitForActivePods(rs, 3, "scaled up again");
        WaitForEvents("web", "SuccessfulCreate", 6);
        Assert.Equal(3, EventCount("web", "SuccessfulDelete"));
    }

    [Fact]
    public void Adopts_matching_orphans_with_every_selector_operator_and_releases_pods_relabelled_away()
    {
        StartController();
        var labels = new Dictionary<string, string> { ["app"] = "web", ["tier"] = "fe", ["track"] = "stable" };
        foreach (var (name, podLabels) in new (string, Dictionary<string, string>)[]
                 {
                     ("match", new() { ["app"] = "web", ["tier"] = "fe", ["track"] = "canary" }),
                     ("wrong-tier", new() { ["app"] = "web", ["tier"] = "be", ["track"] = "stable" }),
                     ("prod", new() { ["app"] = "web", ["tier"] = "fe", ["track"] = "stable", ["env"] = "prod" }),
                     ("no-track", new() { ["app"] = "web", ["tier"] = "fe" }),
                     ("legacy", new() { ["app"] = "web", ["tier"] = "fe", ["track"] = "stable", ["legacy"] = "yes" }),
                 })
            _ = Await(Api.Create(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Labels = podLabels },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "nginx" }] },
            })).Object;
        var selector = new V1LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { ["app"] = "web" },
            MatchExpressions =
            [
                new V1LabelSelectorRequirement { Key = "tier", OperatorProperty = "In", Values = ["fe", "edge"] },
                new V1LabelSelectorRequirement { Key = "env", OperatorProperty = "NotIn", Values = ["prod"] },
                new V1LabelSelectorRequirement { Key = "track", OperatorProperty = "Exists" },
                new V1LabelSelectorRequirement { Key = "legacy", OperatorProperty = "DoesNotExist" },
            ],
        };
        var rs = CreateReplicaSet(NewReplicaSet("web", 2, selector: selector, templateLabels: labels));

        var pods = WaitForActivePods(rs, 2);
        Assert.Contains(pods, p => p.Metadata.Name == "match");
        var owner = Assert.Single(PodNamed("match").Metadata.OwnerReferences);
        Assert.Equal((rs.Metadata.Uid, true, true), (owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        Assert.All(new[] { "wrong-tier", "prod", "no-track", "legacy" }, n => Assert.Null(PodNamed(n).Metadata.OwnerReferences));
        WaitForEvents("web", "SuccessfulCreate", 1);
        // fullyLabeled counts the pods carrying all the template's labels: the adopted canary does not.
        WaitForStatus("web", s => s is { Replicas: 2, FullyLabeledReplicas: 1 }, "2 replicas, 1 fully labelled");

        // Relabelled out of the selector: released (ownerReference removed) and replaced.
        Relabel("match", "tier", "be");
        Eventually(() => KubeModels.ControllerOf(PodNamed("match")) is null ? "released" : null, Budget, "match released");
        Assert.Empty(PodNamed("match").Metadata.OwnerReferences ?? []);
        WaitForActivePods(rs, 2, "a replacement for the released pod");
        WaitForEvents("web", "SuccessfulCreate", 2);

        // A running orphan relabelled into the selector: adopted, one pod too many, and a pending one goes.
        Bind("legacy", "node-1");
        SetRunning("legacy", ready: true);
        Relabel("legacy", "legacy", null);
        WaitForEvents("web", "SuccessfulDelete", 1);
        var left = WaitForActivePods(rs, 2, "back to 2 after the adoption");
        Assert.Contains(left, p => p.Metadata.Name == "legacy");
        Assert.Equal(rs.Metadata.Uid, KubeModels.ControllerOf(PodNamed("legacy"))!.Uid);
        Assert.Equal(2, EventCount("web", "SuccessfulCreate"));
    }

    [Fact]
    public void Failed_pods_and_pods_being_deleted_are_replaced_at_once()
    {
        StartController();
        var rs = CreateReplicaSet(NewReplicaSet("web", 2));
        var pods = WaitForActivePods(rs, 2).Select(p => p.Metadata.Name).ToArray();

        SetPhase(pods[0], "Failed");
        var replaced = WaitForActivePods(rs, 2, "a replacement for the failed pod");
        Assert.DoesNotContain(replaced, p => p.Metadata.Name == pods[0]);
        Assert.Equal("Failed", PodNamed(pods[0]).Status.Phase); // left to the pod GC

        // A pod on a node is deleted gracefully: it is replaced while it still terminates.
        Bind(pods[1], "node-1");
        Assert.Null(Await(Api.Delete<V1Pod>("default", pods[1])));
        var again = WaitForActivePods(rs, 2, "a replacement for the terminating pod");
        Assert.DoesNotContain(again, p => p.Metadata.Name == pods[1]);
        Assert.NotNull(PodNamed(pods[1]).Metadata.DeletionTimestamp);
        WaitForEvents("web", "SuccessfulCreate", 4);
        Assert.Equal(0, EventCount("web", "SuccessfulDelete"));
    }

    [Fact]
    public void Available_replicas_count_pods_ready_for_min_ready_seconds_and_the_controller_comes_back_for_them()
    {
        StartController();
        var rs = CreateReplicaSet(NewReplicaSet("web", 2, minReadySeconds: 60));
        var pods = WaitForActivePods(rs, 2);
        var readyAt = Time.GetUtcNow();
        foreach (var p in pods) SetRunning(p.Metadata.Name, ready: true);

        var ready = WaitForStatus("web", s => s.ReadyReplicas == 2, "2 ready replicas", step: TimeSpan.FromMilliseconds(20)).Status;
        Assert.True(Time.GetUtcNow() < readyAt + TimeSpan.FromSeconds(59), "the ready pods were seen well within minReadySeconds");
        Assert.Null(ready.AvailableReplicas);

        // Nothing else happens: the controller must wake itself up once they are available.
        WaitForStatus("web", s => s.AvailableReplicas == 2, "2 available replicas", step: TimeSpan.FromMilliseconds(500));
        Assert.True(Time.GetUtcNow() >= readyAt + TimeSpan.FromSeconds(60), "not available before minReadySeconds");

        SetRunning(pods[0].Metadata.Name, ready: false);
        var status = WaitForStatus("web", s => s.ReadyReplicas == 1, "1 ready replica").Status;
        Assert.Equal((2, (int?)1, (int?)1), (status.Replicas, status.ReadyReplicas, status.AvailableReplicas));
    }

    [Fact]
    public void A_template_the_pod_api_refuses_sets_replica_failure_and_retries_with_back_off_until_fixed()
    {
        StartController(pipeline: new NoHostNetworkPolicy());
        var invalid = NewReplicaSet("web", 3);
        invalid.Spec.Template.Spec.HostNetwork = true;
        CreateReplicaSet(invalid);
        const string refusal = $"Pod \"web-\" is invalid: spec.hostNetwork: Forbidden: {NoHostNetworkPolicy.Refusal}";

        var failed = WaitForStatus("web", s => s.Conditions is { Count: > 0 }, "a ReplicaFailure condition");
        var condition = Assert.Single(failed.Status.Conditions);
        Assert.Equal(("ReplicaFailure", "True", "FailedCreate", refusal), (condition.Type, condition.Status, condition.Reason, condition.Message));
        Assert.Equal(0, failed.Status.Replicas);
        Eventually(() => EventCount("web", "FailedCreate") > 0 ? "ok" : null, Budget, "a FailedCreate event");
        Assert.Equal($"Error creating: {refusal}", Assert.Single(EventMessages("web", "FailedCreate").Distinct()));
        Assert.Equal("Warning", EventsOf("web").First(e => e.Reason == "FailedCreate").Type);

        // Two minutes later: the retries backed off exponentially (5 ms doubling), one create each (slow start).
        var start = Time.GetUtcNow();
        Eventually(() => Time.GetUtcNow() - start >= TimeSpan.FromMinutes(2) ? "later" : null, TimeSpan.FromMinutes(3), "two minutes", TimeSpan.FromMilliseconds(200));
        Assert.InRange(EventCount("web", "FailedCreate"), 3, 25);
        Assert.Empty(AllPods());
        Assert.Single(ReplicaSet("web").Status.Conditions); // set once, not rewritten on every failure

        UpdateReplicaSet("web", r => r.Spec.Template.Spec.HostNetwork = null);
        WaitForActivePods(ReplicaSet("web"), 3, "pods from the fixed template");
        var recovered = WaitForStatus("web", s => s.Replicas == 3 && s.Conditions is null or { Count: 0 }, "ReplicaFailure removed");
        Assert.Equal(2, recovered.Status.ObservedGeneration);
    }

    [Fact]
    public void A_replica_set_being_deleted_is_not_managed_any_more()
    {
        StartController();
        var template = NewReplicaSet("web", 2);
        template.Metadata.Finalizers = ["example.com/hold"];
        var rs = CreateReplicaSet(template);
        var pods = WaitForActivePods(rs, 2);
        Assert.Null(Await(Api.Delete<V1ReplicaSet>("default", "web")));
        Assert.NotNull(ReplicaSet("web").Metadata.DeletionTimestamp);

        Assert.Null(Await(Api.Delete<V1Pod>("default", pods[0].Metadata.Name)));
        // The status still follows the pods: once it shows one, the sync that saw the loss is over.
        WaitForStatus("web", s => s.Replicas == 1, "status.replicas 1");
        Assert.Single(ActivePodsOf(rs));
        WaitForEvents("web", "SuccessfulCreate", 2);
    }
}
