using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.StatefulSet;

/// <summary>Identity, claims and ordering of a StatefulSet's pods (OrderedReady and Parallel), in virtual time.</summary>
public sealed class StatefulSetOrderingSpecs : StatefulSetTestBase
{
    [Fact]
    public void Creates_pod_after_pod_in_ordinal_order_each_with_its_identity_and_its_claim_created_first()
    {
        StartController();
        var set = CreateSet(NewSet("web", 3));

        var web0 = WaitForPod("web-0");
        Assert.Equal(("web-0", "nginx"), (web0.Spec.Hostname, web0.Spec.Subdomain));
        Assert.Equal("web-0", web0.Metadata.Labels["statefulset.kubernetes.io/pod-name"]);
        Assert.Equal("0", web0.Metadata.Labels["apps.kubernetes.io/pod-index"]);
        Assert.Equal("web", web0.Metadata.Labels["app"]);
        Assert.StartsWith("web-", web0.Metadata.Labels["controller-revision-hash"]);
        var owner = Assert.Single(web0.Metadata.OwnerReferences);
        Assert.Equal(("apps/v1", "StatefulSet", "web", set.Metadata.Uid, true, true),
            (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        var volume = Assert.Single(web0.Spec.Volumes, v => v.Name == "www");
        Assert.Equal("www-web-0", volume.PersistentVolumeClaim.ClaimName);

        var claim = Claim("www-web-0");
        Assert.NotNull(claim);
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web", ["tier"] = "storage" }, claim.Metadata.Labels);
        Assert.Equal("1Gi", claim.Spec.Resources.Requests["storage"].ToString());
        Assert.Null(claim.Metadata.OwnerReferences); // Retain/Retain: the claim outlives the set
        Assert.True(claim.Metadata.CreationTimestamp <= web0.Metadata.CreationTimestamp);

        // web-1 waits for web-0 to be Running and Ready.
        Settle();
        Assert.Equal(["web-0"], PodNames());
        Bind("web-0", "node-1");
        SetRunning("web-0", ready: false);
        Settle();
        Assert.Equal(["web-0"], PodNames());
        Run("web-0");
        WaitForPod("web-1");
        Assert.Equal(["web-0", "web-1"], PodNames());
        Run("web-1");
        WaitForPod("web-2");
        Run("web-2");

        var status = WaitForStatus("web", s => s.ReadyReplicas == 3, "3 ready replicas").Status;
        Assert.Equal((3, 3, 3, 3, 3), (status.Replicas, status.ReadyReplicas ?? 0, status.AvailableReplicas ?? 0, status.CurrentReplicas ?? 0, status.UpdatedReplicas ?? 0));
        Assert.Equal(status.CurrentRevision, status.UpdateRevision);
        Assert.Equal(Revision(web0), status.CurrentRevision);
        Assert.Equal((0, 1L), (status.CollisionCount ?? -1, status.ObservedGeneration ?? 0));

        WaitForEvents("web", "SuccessfulCreate", 6);
        Assert.Equal(
            [
                "create Claim www-web-0 Pod web-0 in StatefulSet web success", "create Pod web-0 in StatefulSet web successful",
                "create Claim www-web-1 Pod web-1 in StatefulSet web success", "create Pod web-1 in StatefulSet web successful",
                "create Claim www-web-2 Pod web-2 in StatefulSet web success", "create Pod web-2 in StatefulSet web successful",
            ],
            EventMessages("web", "SuccessfulCreate"));
        var created = EventsOf("web")[0];
        Assert.Equal(("Normal", "statefulset-controller", "StatefulSet"), (created.Type, created.Source.Component, created.InvolvedObject.Kind));
    }

    [Fact]
    public void Scales_down_from_the_highest_ordinal_each_pod_gone_before_the_next_and_keeps_the_claims()
    {
        StartController();
        CreateSet(NewSet("web", 3));
        foreach (var pod in new[] { "web-0", "web-1", "web-2" }) Run(pod);
        WaitForStatus("web", s => s.ReadyReplicas == 3, "3 ready replicas");

        UpdateSet("web", s => s.Spec.Replicas = 1);
        var web2 = WaitForPod("web-2", p => p.Metadata.DeletionTimestamp is not null, "web-2 terminating");
        Assert.Equal(30, web2.Metadata.DeletionGracePeriodSeconds);
        Settle();
        // web-1 stays as long as web-2 is there (terminating).
        Assert.Null(PodNamed("web-1").Metadata.DeletionTimestamp);
        FinishTermination("web-2");
        WaitForPod("web-1", p => p.Metadata.DeletionTimestamp is not null, "web-1 terminating");
        FinishTermination("web-1");
        WaitForStatus("web", s => s.Replicas == 1, "status.replicas 1");
        Assert.Equal(["web-0"], PodNames());
        WaitForEvents("web", "SuccessfulDelete", 2);
        Assert.Equal(["delete Pod web-2 in StatefulSet web successful", "delete Pod web-1 in StatefulSet web successful"],
            EventMessages("web", "SuccessfulDelete"));
        Assert.All(new[] { "www-web-0", "www-web-1", "www-web-2" }, c => Assert.NotNull(Claim(c)));

        // Back up: web-1 gets its old claim back.
        var claimUid = Claim("www-web-1")!.Metadata.Uid;
        UpdateSet("web", s => s.Spec.Replicas = 2);
        var web1 = WaitForPod("web-1");
        Assert.Equal("www-web-1", web1.Spec.Volumes.Single(v => v.Name == "www").PersistentVolumeClaim.ClaimName);
        Assert.Equal(claimUid, Claim("www-web-1")!.Metadata.Uid);
        Assert.DoesNotContain("create Claim www-web-1 Pod web-1 in StatefulSet web success",
            EventMessages("web", "SuccessfulCreate").Skip(6));
    }

    [Fact]
    public void An_unhealthy_pod_blocks_ordered_scale_down_until_it_is_the_first_unhealthy_one()
    {
        StartController();
        CreateSet(NewSet("web", 3, claims: false));
        foreach (var pod in new[] { "web-0", "web-1", "web-2" }) Run(pod);
        WaitForStatus("web", s => s.ReadyReplicas == 3, "3 ready replicas");
        SetRunning("web-0", ready: false);
        WaitForStatus("web", s => s.ReadyReplicas == 2, "web-0 not ready");

        UpdateSet("web", s => s.Spec.Replicas = 1);
        Settle();
        // OrderedReady: with web-0 not ready, nothing is deleted.
        Assert.All(new[] { "web-1", "web-2" }, p => Assert.Null(PodNamed(p).Metadata.DeletionTimestamp));
        SetRunning("web-0", ready: true);
        WaitForPod("web-2", p => p.Metadata.DeletionTimestamp is not null, "web-2 terminating");
    }

    [Fact]
    public void Parallel_creates_and_deletes_all_pods_at_once()
    {
        StartController();
        CreateSet(NewSet("db", 3, policy: "Parallel"));
        Eventually(() => PodNames().Length == 3, Budget, "3 pods without waiting for readiness");
        Assert.Equal(["db-0", "db-1", "db-2"], PodNames());
        Assert.All(new[] { "www-db-0", "www-db-1", "www-db-2" }, c => Assert.NotNull(Claim(c)));

        foreach (var pod in PodNames()) Bind(pod, "node-1");
        UpdateSet("db", s => s.Spec.Replicas = 0);
        Eventually(() => AllPods().All(p => p.Metadata.DeletionTimestamp is not null), Budget, "every pod terminating at once");
        WaitForEvents("db", "SuccessfulDelete", 3);
    }

    [Fact]
    public void Ordinals_start_names_the_pods_from_the_start_ordinal()
    {
        StartController();
        CreateSet(NewSet("web", 2, claims: false, startOrdinal: 5));
        Run("web-5");
        Run("web-6");
        Assert.Equal(["web-5", "web-6"], PodNames());
        Assert.Equal("6", PodNamed("web-6").Metadata.Labels["apps.kubernetes.io/pod-index"]);
    }

    [Fact]
    public void With_minReadySeconds_the_next_pod_waits_until_the_previous_one_is_available()
    {
        StartController();
        var set = NewSet("web", 2, claims: false);
        set.Spec.MinReadySeconds = 30;
        CreateSet(set);
        Run("web-0");
        var ready = WaitForStatus("web", s => s.ReadyReplicas == 1, "web-0 ready").Status;
        Assert.Equal(0, ready.AvailableReplicas ?? 0);
        Settle(TimeSpan.FromSeconds(20));
        Assert.Equal(["web-0"], PodNames());
        // Available after 30 s of readiness: counted, and web-1 follows.
        WaitForPod("web-1");
        Assert.True(Time.GetUtcNow() - PodNamed("web-0").Status.Conditions.Single(c => c.Type == "Ready").LastTransitionTime >= TimeSpan.FromSeconds(30));
        // The status is written after the pod is created: wait for it rather than read it at once.
        WaitForStatus("web", s => s.AvailableReplicas == 1, "web-0 counted available");
    }
}
