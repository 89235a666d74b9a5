using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.StatefulSet;

/// <summary>Rolling updates (partition, maxUnavailable), OnDelete, and the ControllerRevision history.</summary>
public sealed class StatefulSetUpdateSpecs : StatefulSetTestBase
{
    private void RunAll(params string[] pods)
    {
        foreach (var pod in pods) Run(pod);
    }

    /// <summary>The kubelet's part while the controller rolls: each deleted pod finishes terminating and its replacement runs.</summary>
    private string[] FollowRollout(string set, int count)
    {
        var order = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var doomed = Eventually(() => AllPods().FirstOrDefault(p => p.Metadata.DeletionTimestamp is not null), Budget, $"update {i + 1} of {set}");
            order.Add(doomed.Metadata.Name);
            var uid = doomed.Metadata.Uid;
            FinishTermination(doomed.Metadata.Name);
            WaitForPod(doomed.Metadata.Name, p => p.Metadata.Uid != uid, $"{doomed.Metadata.Name} recreated");
            Run(doomed.Metadata.Name);
        }
        return order.ToArray();
    }

    [Fact]
    public void A_partitioned_rolling_update_replaces_only_ordinals_at_or_above_the_partition_from_the_highest_down()
    {
        StartController();
        CreateSet(NewSet("web", 3, claims: false));
        RunAll("web-0", "web-1", "web-2");
        var first = WaitForStatus("web", s => s.ReadyReplicas == 3, "3 ready").Status.CurrentRevision;

        UpdateSet("web", s =>
        {
            s.Spec.UpdateStrategy.RollingUpdate = new V1RollingUpdateStatefulSetStrategy { Partition = 1 };
            s.Spec.Template.Spec.Containers[0].Image = "registry.k8s.io/nginx-slim:0.24";
        });
        Assert.Equal(["web-2", "web-1"], FollowRollout("web", 2));
        var status = WaitForStatus("web", s => s.UpdatedReplicas == 2 && s.ReadyReplicas == 3, "2 updated").Status;
        Assert.Equal(first, status.CurrentRevision);
        Assert.NotEqual(first, status.UpdateRevision);
        Assert.Equal((1, 2), (status.CurrentReplicas ?? 0, status.UpdatedReplicas ?? 0));
        Assert.Equal("nginx:1.9.1", PodNamed("web-0").Spec.Containers[0].Image);
        Assert.Equal(first, Revision(PodNamed("web-0")));
        Assert.All(new[] { "web-1", "web-2" }, p => Assert.Equal(("registry.k8s.io/nginx-slim:0.24", status.UpdateRevision),
            (PodNamed(p).Spec.Containers[0].Image, Revision(PodNamed(p)))));
        Settle();
        Assert.Null(PodNamed("web-0").Metadata.DeletionTimestamp);

        // A pod below the partition recreated keeps the current revision.
        DeletePod("web-0");
        FinishTermination("web-0");
        Run("web-0");
        Assert.Equal(first, Revision(PodNamed("web-0")));

        // Partition 0: the last one goes, and the update revision becomes current.
        UpdateSet("web", s => s.Spec.UpdateStrategy.RollingUpdate.Partition = 0);
        Assert.Equal(["web-0"], FollowRollout("web", 1));
        status = WaitForStatus("web", s => s.CurrentRevision == s.UpdateRevision && s.ReadyReplicas == 3, "rollout complete").Status;
        Assert.Equal((3, 3), (status.CurrentReplicas ?? 0, status.UpdatedReplicas ?? 0));
    }

    [Fact]
    public void A_rolling_update_waits_for_each_replaced_pod_to_be_ready_before_the_next()
    {
        StartController();
        CreateSet(NewSet("web", 2, claims: false));
        RunAll("web-0", "web-1");
        WaitForStatus("web", s => s.ReadyReplicas == 2, "2 ready");
        SetImage("web", "nginx:1.14.2");
        WaitForPod("web-1", p => p.Metadata.DeletionTimestamp is not null, "web-1 terminating");
        FinishTermination("web-1");
        var web1 = WaitForPod("web-1", p => p.Metadata.DeletionTimestamp is null, "web-1 recreated");
        Assert.Equal("nginx:1.14.2", web1.Spec.Containers[0].Image);
        Bind("web-1", "node-1");
        Settle();
        Assert.Null(PodNamed("web-0").Metadata.DeletionTimestamp);
        SetRunning("web-1", ready: true);
        WaitForPod("web-0", p => p.Metadata.DeletionTimestamp is not null, "web-0 terminating once web-1 is ready");
    }

    [Fact]
    public void OnDelete_updates_a_pod_only_when_it_is_deleted()
    {
        StartController();
        CreateSet(NewSet("web", 2, claims: false, updateStrategy: "OnDelete"));
        RunAll("web-0", "web-1");
        var first = WaitForStatus("web", s => s.ReadyReplicas == 2, "2 ready").Status.CurrentRevision;
        var updated = SetImage("web", "nginx:1.14.2");
        var status = WaitForStatus("web", s => s.ObservedGeneration == updated.Metadata.Generation && s.UpdateRevision != first, "new update revision").Status;
        Settle();
        Assert.All(AllPods(), p => Assert.Null(p.Metadata.DeletionTimestamp));
        Assert.Equal((2, 0), (status.CurrentReplicas ?? 0, status.UpdatedReplicas ?? 0));

        DeletePod("web-0");
        FinishTermination("web-0");
        var web0 = WaitForPod("web-0", p => p.Spec.Containers[0].Image == "nginx:1.14.2", "web-0 at the new template");
        Assert.Equal(status.UpdateRevision, Revision(web0));
        Run("web-0");
        status = WaitForStatus("web", s => s.UpdatedReplicas == 1 && s.ReadyReplicas == 2, "1 updated").Status;
        Assert.Equal((first, 1), (status.CurrentRevision, status.CurrentReplicas ?? 0));
    }

    [Fact]
    public void Revisions_are_numbered_a_rollback_renumbers_the_old_one_and_history_is_cut_to_the_limit()
    {
        StartController();
        CreateSet(NewSet("web", 1, claims: false, revisionHistoryLimit: 1));
        Run("web-0");
        var r1 = WaitForStatus("web", s => s.ReadyReplicas == 1, "ready").Status.CurrentRevision;
        var revision = Assert.Single(Revisions());
        Assert.Equal((r1, 1L), (revision.Metadata.Name, revision.Revision));
        Assert.Equal("web", revision.Metadata.Labels["app"]);
        Assert.Equal("StatefulSet", Assert.Single(revision.Metadata.OwnerReferences).Kind);

        SetImage("web", "nginx:1.14.2");
        Assert.Equal(["web-0"], FollowRollout("web", 1));
        var r2 = WaitForStatus("web", s => s.CurrentRevision != r1 && s.ReadyReplicas == 1, "second revision current").Status.CurrentRevision;

        // Back to the first template: the first revision comes back as number 3, no new object.
        SetImage("web", "nginx:1.9.1");
        FollowRollout("web", 1);
        WaitForStatus("web", s => s.CurrentRevision == r1 && s.ReadyReplicas == 1, "first revision current again");
        Eventually(() => Revisions().Count == 2, Budget, "2 revisions");
        Assert.Equal(3L, Revisions().Single(r => r.Metadata.Name == r1).Revision);
        Assert.Equal(2L, Revisions().Single(r => r.Metadata.Name == r2).Revision);

        // A third template: the oldest revision no pod wears is deleted (limit 1 of history).
        SetImage("web", "registry.k8s.io/nginx-slim:0.24");
        FollowRollout("web", 1);
        var r4 = WaitForStatus("web", s => s.CurrentRevision != r1 && s.ReadyReplicas == 1, "fourth revision current").Status.CurrentRevision;
        Eventually(() => Revisions().Count == 2, Budget, "history cut to 1 plus the live revision");
        Assert.Equal(new[] { r1, r4 }.Order(), Revisions().Select(r => r.Metadata.Name).Order());
        Assert.Equal(4L, Revisions().Single(r => r.Metadata.Name == r4).Revision);
    }

    [Fact]
    public void MaxUnavailable_is_dropped_by_the_api_as_1_32_does()
    {
        var created = CreateSet(WithMaxUnavailable(NewSet("web", 4, claims: false), 2));
        Assert.Null(created.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable);
        Assert.Equal(0, created.Spec.UpdateStrategy.RollingUpdate.Partition);
        var updated = UpdateSet("web", s => WithMaxUnavailable(s, 2));
        Assert.Null(updated.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable);
    }

    [Fact]
    public void With_the_MaxUnavailableStatefulSet_gate_on_maxUnavailable_pods_are_replaced_at_once()
    {
        // A set stored with the field (an API server with the gate on), through a pipeline that keeps it.
        var gateOn = ApiThrough(Proxy, "kubectl", new KeepMaxUnavailable());
        _ = Await(gateOn.Create(WithMaxUnavailable(NewSet("web", 4, claims: false), 2))).Object;
        StartController(maxUnavailableEnabled: true);
        RunAll("web-0", "web-1", "web-2", "web-3");
        WaitForStatus("web", s => s.ReadyReplicas == 4, "4 ready");
        Assert.Equal("2", Set("web").Spec.UpdateStrategy.RollingUpdate.MaxUnavailable.Value);

        SetImage("web", "nginx:1.14.2");
        Eventually(() => AllPods().Count(p => p.Metadata.DeletionTimestamp is not null) == 2, Budget, "two pods terminating at once");
        Assert.Equal(["web-2", "web-3"], AllPods().Where(p => p.Metadata.DeletionTimestamp is not null).Select(p => p.Metadata.Name).Order());
        Settle();
        Assert.Equal(2, AllPods().Count(p => p.Metadata.DeletionTimestamp is not null));
    }

    /// <summary>The API pipeline of a server whose MaxUnavailableStatefulSet gate is on: the field is kept.</summary>
    private sealed class KeepMaxUnavailable : Actors.Api.Rest.IObjectPipeline
    {
        private readonly Actors.Api.Rest.KubernetesPipeline _inner = new(new Actors.Api.Defaulting.AdmissionSettings(300));

        public Actors.Api.Rest.DecodeResult Decode(Actors.Api.Resources.ResourceType type, System.Text.Json.Nodes.JsonObject obj) => _inner.Decode(type, obj);

        public void Default(Actors.Api.Resources.ResourceType type, System.Text.Json.Nodes.JsonObject obj) => _inner.Default(type, obj);

        public void PrepareForCreate(Actors.Api.Resources.ResourceType type, System.Text.Json.Nodes.JsonObject obj)
        {
            var kept = Actors.Api.Objects.KubeObject.At(obj, "spec.updateStrategy.rollingUpdate.maxUnavailable")?.DeepClone();
            _inner.PrepareForCreate(type, obj);
            if (kept is not null) ((System.Text.Json.Nodes.JsonObject)Actors.Api.Objects.KubeObject.At(obj, "spec.updateStrategy.rollingUpdate")!)["maxUnavailable"] = kept;
        }

        public void PrepareForUpdate(Actors.Api.Resources.ResourceType type, System.Text.Json.Nodes.JsonObject obj, System.Text.Json.Nodes.JsonObject old) =>
            _inner.PrepareForUpdate(type, obj, old);

        public IReadOnlyList<Actors.Api.FieldError> ValidateCreate(Actors.Api.Resources.ResourceType type, System.Text.Json.Nodes.JsonObject obj) =>
            _inner.ValidateCreate(type, obj);

        public IReadOnlyList<Actors.Api.FieldError> ValidateUpdate(Actors.Api.Resources.ResourceType type, System.Text.Json.Nodes.JsonObject obj,
            System.Text.Json.Nodes.JsonObject old) => _inner.ValidateUpdate(type, obj, old);
    }

    private static V1StatefulSet WithMaxUnavailable(V1StatefulSet set, int n)
    {
        set.Spec.UpdateStrategy.RollingUpdate ??= new V1RollingUpdateStatefulSetStrategy();
        set.Spec.UpdateStrategy.RollingUpdate.MaxUnavailable = n;
        return set;
    }
}
