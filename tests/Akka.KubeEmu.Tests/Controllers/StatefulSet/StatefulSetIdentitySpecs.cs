using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Rest;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.StatefulSet;

/// <summary>One pod per ordinal, replacements with the same claim, retention policies, and what the controller does with bad input.</summary>
public sealed class StatefulSetIdentitySpecs : StatefulSetTestBase
{
    [Fact]
    public void A_deleted_pod_is_replaced_only_once_its_object_is_gone_and_gets_the_same_claim()
    {
        StartController();
        CreateSet(NewSet("web", 2));
        Run("web-0");
        Run("web-1");
        var claimUid = Claim("www-web-0")!.Metadata.Uid;
        var oldUid = PodNamed("web-0").Metadata.Uid;

        DeletePod("web-0");
        Assert.NotNull(PodNamed("web-0").Metadata.DeletionTimestamp);
        Settle(TimeSpan.FromSeconds(20));
        // Still the old (terminating) object: never two pods of one ordinal.
        Assert.Equal(oldUid, PodNamed("web-0").Metadata.Uid);
        FinishTermination("web-0");
        var web0 = WaitForPod("web-0", p => p.Metadata.Uid != oldUid, "web-0 recreated");
        Assert.Equal("www-web-0", web0.Spec.Volumes.Single(v => v.Name == "www").PersistentVolumeClaim.ClaimName);
        Assert.Equal(claimUid, Claim("www-web-0")!.Metadata.Uid);
        WaitForEvents("web", "SuccessfulCreate", 5);
        Assert.Single(EventMessages("web", "SuccessfulCreate"), m => m.StartsWith("create Claim www-web-0", StringComparison.Ordinal));
    }

    [Fact]
    public void A_failed_pod_is_deleted_and_recreated_after_its_object_is_gone()
    {
        StartController();
        CreateSet(NewSet("web", 1, claims: false));
        Run("web-0");
        var oldUid = PodNamed("web-0").Metadata.Uid;
        SetPhase("web-0", "Failed");
        // A terminal pod is deleted at once (no grace period), then recreated.
        WaitForPod("web-0", p => p.Metadata.Uid != oldUid && p.Status.Phase == "Pending", "web-0 recreated");
        WaitForEvents("web", "SuccessfulDelete", 1);
        Assert.Equal(["delete Pod web-0 in StatefulSet web successful"], EventMessages("web", "SuccessfulDelete"));
        // Kubernetes 1.30+ no longer reports RecreatingFailedPod.
        Assert.Equal(0, EventCount("web", "RecreatingFailedPod"));
    }

    [Fact]
    public void WhenDeleted_Delete_makes_the_set_own_its_claims()
    {
        StartController();
        var set = CreateSet(NewSet("web", 1, whenDeleted: "Delete"));
        Run("web-0");
        var claim = Eventually(() => Claim("www-web-0") is { Metadata.OwnerReferences: { Count: > 0 } } c ? c : null, Budget, "claim owned");
        var owner = Assert.Single(claim.Metadata.OwnerReferences);
        Assert.Equal(("StatefulSet", "web", set.Metadata.Uid, true), (owner.Kind, owner.Name, owner.Uid, owner.Controller));
    }

    [Fact]
    public void WhenScaled_Delete_hands_the_claim_of_a_scaled_down_pod_to_the_pod()
    {
        StartController();
        CreateSet(NewSet("web", 2, whenScaled: "Delete"));
        Run("web-0");
        Run("web-1");
        WaitForStatus("web", s => s.ReadyReplicas == 2, "2 ready");
        Assert.Null(Claim("www-web-1")!.Metadata.OwnerReferences);

        var web1 = PodNamed("web-1");
        UpdateSet("web", s => s.Spec.Replicas = 1);
        var claim = Eventually(() => Claim("www-web-1") is { Metadata.OwnerReferences: { Count: > 0 } } c ? c : null, Budget, "claim handed to web-1");
        var owner = Assert.Single(claim.Metadata.OwnerReferences);
        Assert.Equal(("v1", "Pod", "web-1", web1.Metadata.Uid, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller));
        WaitForPod("web-1", p => p.Metadata.DeletionTimestamp is not null, "web-1 terminating");
        Assert.Null(Claim("www-web-0")!.Metadata.OwnerReferences);
    }

    [Fact]
    public void A_claim_still_owned_by_a_gone_pod_blocks_its_replacement()
    {
        var manager = StartController();
        CreateSet(NewSet("web", 1, whenScaled: "Delete"));
        Run("web-0");
        // The claim as the garbage collector would find it after a scale-down: owned by a web-0 that is gone.
        var stale = Claim("www-web-0")!;
        stale.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = "web-0", Uid = "gone-uid", Controller = true }];
        _ = Await(Api.Update(stale)).Object;
        // The controller decides from its informer's cache: on a busy machine the pod's deletion must not
        // reach it before the claim's new owner does (a real controller would race the same way).
        Eventually(() => manager.Informers.For<V1PersistentVolumeClaim>().Indexer.Get("default/www-web-0")?.Metadata.OwnerReferences?
            .Any(o => o.Uid == "gone-uid") == true, Budget, "the stale owner in the controller's cache");
        DeletePod("web-0");
        FinishTermination("web-0");
        Settle(TimeSpan.FromSeconds(20));
        Assert.Null(PodOrNull("web-0"));

        // The garbage collector deletes it (and, the pod being gone, its protection finalizer goes): the pod comes back with a new claim.
        _ = Await(Api.Delete<V1PersistentVolumeClaim>("default", "www-web-0"));
        if (Claim("www-web-0") is { Metadata.Finalizers.Count: > 0 })
            _ = Await(Api.Patch<V1PersistentVolumeClaim>("default", "www-web-0", PatchDispatch.MergePatch, "{\"metadata\":{\"finalizers\":null}}")).Object;
        WaitForPod("web-0");
        Eventually(() => Claim("www-web-0") is { } c && c.Metadata.Uid != stale.Metadata.Uid, Budget, "a new claim");
    }

    [Fact]
    public void A_template_the_pod_api_refuses_is_accepted_and_reported_as_FailedCreate_with_back_off()
    {
        StartController();
        var set = NewSet("web", 1, claims: false);
        set.Spec.Template.Spec.Containers[0].Name = "Not_A_DNS_Label";
        CreateSet(set);
        Eventually(() => EventCount("web", "FailedCreate") >= 1, Budget, "FailedCreate");
        var message = EventMessages("web", "FailedCreate")[0];
        Assert.StartsWith("create Pod web-0 in StatefulSet web failed error: Pod \"web-0\" is invalid: spec.containers[0].name: Invalid value: \"Not_A_DNS_Label\"", message);
        // Retried with back-off, not in a hot loop: a handful of attempts in a minute.
        Settle(TimeSpan.FromMinutes(1));
        Assert.InRange(EventCount("web", "FailedCreate"), 2, 20);
        Assert.Empty(AllPods());
    }

    [Fact]
    public void An_orphan_pod_named_after_the_set_is_adopted_and_other_names_are_left_alone()
    {
        foreach (var name in new[] { "web-0", "other-0" })
            _ = Await(Api.Create(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["app"] = "web" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "nginx", Image = "nginx:1.9.1" }] },
            })).Object;
        StartController();
        var set = CreateSet(NewSet("web", 1, claims: false));
        Eventually(() => KubeModels.ControllerOf(PodNamed("web-0"))?.Uid == set.Metadata.Uid, Budget, "web-0 adopted");
        Assert.Null(PodNamed("other-0").Metadata.OwnerReferences);
        // Adopted as it is; once Running and Ready, the identity label is put on it.
        Assert.False(PodNamed("web-0").Metadata.Labels.ContainsKey("statefulset.kubernetes.io/pod-name"));
        Run("web-0");
        Eventually(() => PodNamed("web-0").Metadata.Labels.ContainsKey("statefulset.kubernetes.io/pod-name"), Budget, "identity label");
    }

    [Fact]
    public void A_set_being_deleted_gets_its_status_but_no_new_pods()
    {
        StartController();
        var set = NewSet("web", 1, claims: false);
        set.Metadata.Finalizers = ["example.com/hold"];
        CreateSet(set);
        Run("web-0");
        WaitForStatus("web", s => s.ReadyReplicas == 1, "1 ready");
        Assert.Null(Await(Api.Delete<V1StatefulSet>("default", "web", new DeleteRequest(PropagationPolicy: "Orphan"))));
        var scaled = UpdateSet("web", s => s.Spec.Replicas = 2);
        WaitForStatus("web", s => s.ObservedGeneration == scaled.Metadata.Generation, "the new generation observed");
        Settle(TimeSpan.FromSeconds(20));
        Assert.Equal(["web-0"], PodNames());
    }
}
