using System.Text;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Controllers.Deployment;
using k8s.Models;
using Xunit;
using static Akka.KubeEmu.Actors.Controllers.Deployment.DeploymentUtil;

namespace Akka.KubeEmu.Tests.Controllers.Deployment;

public sealed class DeploymentControllerSpecs : DeploymentTestBase
{
    private int SpecReplicas(string rsName) => ReplicaSet(rsName)?.Spec.Replicas ?? -1;

    [Fact]
    public void A_new_deployment_creates_its_replica_set_named_by_template_hash_labelled_annotated_and_scaled_up()
    {
        var created = CreateDeployment("web", 3, "nginx:1.25", d => d.Metadata.Annotations = new Dictionary<string, string>
        {
            ["kubernetes.io/change-cause"] = "kubectl create deployment web --image=nginx:1.25 --replicas=3",
            [LastAppliedConfigAnnotation] = "{}",
        });
        StartController();

        var rs = Eventually(() => ReplicaSetsOf("web") is [{ Spec.Replicas: 3 } only] ? only : null, "the new replica set at 3");
        var hash = PodTemplateHash.Compute(created.Spec.Template, null);
        var labels = new Dictionary<string, string> { ["app"] = "web", [PodTemplateHashLabel] = hash };
        Assert.Equal("web-" + hash, rs.Metadata.Name);
        Assert.Equal(labels, rs.Metadata.Labels);
        Assert.Equal(labels, rs.Spec.Selector.MatchLabels);
        Assert.Equal(labels, rs.Spec.Template.Metadata.Labels);
        Assert.True(PodTemplateHash.EqualIgnoreHash(created.Spec.Template, rs.Spec.Template));
        var owner = Assert.Single(rs.Metadata.OwnerReferences);
        Assert.Equal(("apps/v1", "Deployment", "web", created.Metadata.Uid, true, true),
            (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        Assert.Equal(new Dictionary<string, string>
        {
            ["kubernetes.io/change-cause"] = "kubectl create deployment web --image=nginx:1.25 --replicas=3",
            [RevisionAnnotation] = "1",
            [DesiredReplicasAnnotation] = "3",
            [MaxReplicasAnnotation] = "4",
        }, rs.Metadata.Annotations);

        var rolling = Eventually(() => Deployment("web") is var d && d.Status?.ObservedGeneration == 1 &&
                                       GetCondition(d.Status, Progressing) is not null && GetCondition(d.Status, Available) is not null ? d : null,
            "the deployment's first status");
        Assert.Equal("1", rolling.Metadata.Annotations[RevisionAnnotation]);
        Assert.Equal(("True", NewReplicaSetReason, $"Created new replica set \"{rs.Metadata.Name}\""), Condition(rolling, Progressing));
        Assert.Equal(("False", MinimumReplicasUnavailable, "Deployment does not have minimum availability."), Condition(rolling, Available));
        Assert.Equal([$"Scaled up replica set {rs.Metadata.Name} from 0 to 3"], ScalingEvents("web"));
        var ev = Events("web").Single();
        Assert.Equal(("Normal", "deployment-controller", "Deployment"),
            (KubeObject.String(ev, "type"), KubeObject.ScalarAt(ev, "source.component"), KubeObject.ScalarAt(ev, "involvedObject.kind")));

        // The ReplicaSet controller's part: three pods, ready and available.
        SetStatus(rs.Metadata.Name, 3, 3, 3);
        var done = Eventually(() => Deployment("web") is var d && IsComplete(d) ? d : null, "the rollout to complete");
        Assert.Equal((1L, 3, 3, 3, 3, null), (done.Status.ObservedGeneration, done.Status.Replicas, done.Status.UpdatedReplicas,
            done.Status.ReadyReplicas, done.Status.AvailableReplicas, done.Status.UnavailableReplicas));
        Assert.Equal(("True", MinimumReplicasAvailable, "Deployment has minimum availability."), Condition(done, Available));
        Assert.Equal(("True", NewRSAvailableReason, $"ReplicaSet \"{rs.Metadata.Name}\" has successfully progressed."), Condition(done, Progressing));
        var json = Encoding.UTF8.GetString(KubeModels.Encode(done.Status));
        Assert.DoesNotContain("unavailableReplicas", json); // zero: left out, as the API's omitempty does
    }

    [Fact]
    public void A_template_change_with_3_replicas_rolls_out_in_exactly_six_scaling_steps()
    {
        CreateDeployment("web", 3, "nginx:1.25");
        StartController();
        CompleteRollout("web");
        var old = ReplicaSetsOf("web").Single().Metadata.Name;

        var changed = SetImage("web", "nginx:1.26");
        // maxSurge 25 % of 3 rounds up to 1, maxUnavailable rounds down to 0: one new pod first.
        var rs = Eventually(() => ReplicaSetsOf("web") is [_, { Spec.Replicas: 1 } n] ? n.Metadata.Name : null, "the new replica set at 1");
        Assert.Equal("web-" + PodTemplateHash.Compute(changed.Spec.Template, null), rs);
        Assert.Equal(3, SpecReplicas(old)); // nothing goes before a new pod is available

        SetStatus(rs, 1, 1, 1);
        Eventually(() => SpecReplicas(old) == 2 && SpecReplicas(rs) == 2, "old down to 2, new up to 2");
        SetStatus(old, 2, 2, 2);
        SetStatus(rs, 2, 2, 2);
        Eventually(() => SpecReplicas(old) == 1 && SpecReplicas(rs) == 3, "old down to 1, new up to 3");
        SetStatus(old, 1, 1, 1);
        SetStatus(rs, 3, 3, 3);
        Eventually(() => SpecReplicas(old) == 0, "old down to 0");
        SetStatus(old, 0, 0, 0);
        var done = Eventually(() => Deployment("web") is var d && IsComplete(d) ? d : null, "the rollout to complete");

        Assert.Equal(
        [
            $"Scaled up replica set {old} from 0 to 3",
            $"Scaled up replica set {rs} from 0 to 1",
            $"Scaled down replica set {old} from 3 to 2",
            $"Scaled up replica set {rs} from 1 to 2",
            $"Scaled down replica set {old} from 2 to 1",
            $"Scaled up replica set {rs} from 2 to 3",
            $"Scaled down replica set {old} from 1 to 0",
        ], ScalingEvents("web"));
        Assert.Equal(("2", 2L, 3, 3), (done.Metadata.Annotations[RevisionAnnotation], done.Status.ObservedGeneration, done.Status.UpdatedReplicas, done.Status.AvailableReplicas));
        Assert.Equal(("1", "2"), (ReplicaSet(old)!.Metadata.Annotations[RevisionAnnotation], ReplicaSet(rs)!.Metadata.Annotations[RevisionAnnotation]));
        Assert.Equal(("True", NewRSAvailableReason, $"ReplicaSet \"{rs}\" has successfully progressed."), Condition(done, Progressing));
    }

    [Fact]
    public void Recreate_scales_every_old_replica_set_to_zero_waits_for_old_pods_to_go_then_scales_the_new_one_up()
    {
        CreateDeployment("web", 2, "nginx:1.25", d => d.Spec.Strategy = new V1DeploymentStrategy { Type = RecreateStrategy });
        StartController();
        CompleteRollout("web");
        var old = ReplicaSetsOf("web").Single();
        // One of its pods, still there (terminating, say) after the ReplicaSet is scaled down.
        _ = Await(Api.Create(new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = old.Metadata.Name + "-abcde",
                NamespaceProperty = "default",
                Labels = new Dictionary<string, string>(old.Spec.Template.Metadata.Labels),
                OwnerReferences = [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "ReplicaSet", Name = old.Metadata.Name, Uid = old.Metadata.Uid, Controller = true }],
            },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = "nginx:1.25" }] },
        })).Object;

        SetImage("web", "nginx:1.26");
        Eventually(() => SpecReplicas(old.Metadata.Name) == 0, "the old replica set scaled to 0");
        SetStatus(old.Metadata.Name, 0, 0, 0);
        // The controller has seen the old ReplicaSet empty (its status says so) but its pod still runs: no new ReplicaSet yet.
        var waiting = Eventually(() => Deployment("web") is { Status.Replicas: null } d ? d : null, "the status without old replicas");
        Assert.Single(ReplicaSetsOf("web"));
        Assert.Equal(("False", MinimumReplicasUnavailable), (Condition(waiting, Available).Status, Condition(waiting, Available).Reason));

        Assert.Null(Await(Api.Delete<V1Pod>("default", old.Metadata.Name + "-abcde", new DeleteRequest(GracePeriodSeconds: 0))));
        var rs = Eventually(() => ReplicaSetsOf("web") is [_, { Spec.Replicas: 2 } n] ? n.Metadata.Name : null, "the new replica set at 2");
        CompleteRollout("web");
        Assert.Equal(
        [
            $"Scaled up replica set {old.Metadata.Name} from 0 to 2",
            $"Scaled down replica set {old.Metadata.Name} from 2 to 0",
            $"Scaled up replica set {rs} from 0 to 2",
        ], ScalingEvents("web"));
    }

    [Fact]
    public void A_paused_deployment_takes_template_changes_without_rolling_only_scales_and_resumes_with_one_rollout()
    {
        CreateDeployment("web", 3, "nginx:1.25");
        StartController();
        CompleteRollout("web");
        var first = ReplicaSetsOf("web").Single().Metadata.Name;

        UpdateDeployment("web", d => d.Spec.Paused = true);
        var paused = Eventually(() => Deployment("web") is var d && GetCondition(d.Status, Progressing)?.Reason == PausedDeployReason ? d : null, "the paused condition");
        Assert.Equal(("Unknown", PausedDeployReason, "Deployment is paused"), Condition(paused, Progressing));

        SetImage("web", "nginx:1.26");
        UpdateDeployment("web", d =>
        {
            d.Spec.Template.Spec.Containers[0].Image = "nginx:1.27";
            d.Spec.Replicas = 5;
        });
        // Paused: the scaling is applied to what runs; the template waits.
        Eventually(() => SpecReplicas(first) == 5, "the running replica set scaled to 5");
        SetStatus(first, 5, 5, 5);
        var scaled = Eventually(() => Deployment("web") is { Status.AvailableReplicas: 5 } d && d.Status.ObservedGeneration == d.Metadata.Generation ? d : null,
            "the paused deployment's status");
        Assert.Single(ReplicaSetsOf("web"));
        Assert.Equal(("1", "nginx:1.25"), (scaled.Metadata.Annotations[RevisionAnnotation], ReplicaSet(first)!.Spec.Template.Spec.Containers[0].Image));

        UpdateDeployment("web", d => d.Spec.Paused = false);
        var done = CompleteRollout("web");
        var all = ReplicaSetsOf("web");
        Assert.Equal(2, all.Count); // one rollout, to the latest template
        Assert.Equal((first, 0), (all[0].Metadata.Name, all[0].Spec.Replicas));
        Assert.Equal(("nginx:1.27", 5, "2"), (all[1].Spec.Template.Spec.Containers[0].Image, all[1].Spec.Replicas, all[1].Metadata.Annotations[RevisionAnnotation]));
        Assert.Equal("2", done.Metadata.Annotations[RevisionAnnotation]);
        var events = ScalingEvents("web");
        Assert.Equal([$"Scaled up replica set {first} from 0 to 3", $"Scaled up replica set {first} from 3 to 5", $"Scaled up replica set {all[1].Metadata.Name} from 0 to 2"],
            events.Take(3));
        Assert.Equal(("True", NewRSAvailableReason), (Condition(done, Progressing).Status, Condition(done, Progressing).Reason));
    }

    [Fact]
    public void Revision_history_keeps_revisionHistoryLimit_old_replica_sets_and_deletes_the_oldest_empty_ones()
    {
        CreateDeployment("web", 1, "nginx:1.0", d => d.Spec.RevisionHistoryLimit = 1);
        StartController();
        CompleteRollout("web");
        string[] Revisions() => ReplicaSetsOf("web").Select(rs => rs.Metadata.Annotations[RevisionAnnotation]).Order().ToArray();
        Assert.Equal(["1"], Revisions());

        SetImage("web", "nginx:1.1");
        CompleteRollout("web");
        // The sync after the rollout completes cleans up; one old revision may stay.
        Eventually(() => Deployment("web") is var d && d.Metadata.Annotations[RevisionAnnotation] == "2", "revision 2");
        Assert.Equal(["1", "2"], Revisions());

        SetImage("web", "nginx:1.2");
        CompleteRollout("web");
        Eventually(() => Revisions().SequenceEqual(["2", "3"]), "revision 1 deleted");

        SetImage("web", "nginx:1.3");
        CompleteRollout("web");
        Eventually(() => Revisions().SequenceEqual(["3", "4"]), "revision 2 deleted");
        Assert.Equal(["nginx:1.2", "nginx:1.3"], ReplicaSetsOf("web").Select(rs => rs.Spec.Template.Spec.Containers[0].Image));
    }

    [Fact]
    public void A_rollout_whose_pods_never_become_ready_stalls_within_maxUnavailable_and_exceeds_its_progress_deadline_in_virtual_time()
    {
        // 4 replicas: maxSurge 25 % → 1, maxUnavailable 25 % → 1, so never fewer than 3 available.
        CreateDeployment("web", 4, "nginx:1.25", d => d.Spec.ProgressDeadlineSeconds = 60);
        StartController();
        CompleteRollout("web");
        var old = ReplicaSetsOf("web").Single().Metadata.Name;

        SetImage("web", "nginx:no-such-tag");
        // New up to 1 (surge), old down to 3 (one may be unavailable), new up to 2: no pod needs to be ready for that.
        var rs = Eventually(() => ReplicaSetsOf("web") is [{ Spec.Replicas: 3 }, { Spec.Replicas: 2 } n] ? n.Metadata.Name : null, "old down to 3, new up to 2");
        SetStatus(old, 3, 3, 3);
        SetStatus(rs, 2, 0, 0); // its pods exist, never ready
        var stalled = Eventually(() => Deployment("web") is { Status: { Replicas: 5, UpdatedReplicas: 2, AvailableReplicas: 3, UnavailableReplicas: 2 } } d ? d : null,
            "the stalled status");
        var progressing = GetCondition(stalled.Status, Progressing)!;
        Assert.Equal(("True", ReplicaSetUpdatedReason, $"ReplicaSet \"{rs}\" is progressing."), (progressing.Status, progressing.Reason, progressing.Message));
        var lastUpdate = new DateTimeOffset(DateTime.SpecifyKind(progressing.LastUpdateTime!.Value, DateTimeKind.Utc));

        // Nothing moves now; the deadline passes in virtual time.
        var timedOut = Eventually(() => Deployment("web") is var d && GetCondition(d.Status, Progressing)?.Reason == TimedOutReason ? d : null,
            "ProgressDeadlineExceeded", within: TimeSpan.FromMinutes(3), step: TimeSpan.FromMilliseconds(250));
        var condition = GetCondition(timedOut.Status, Progressing)!;
        Assert.Equal(("False", $"ReplicaSet \"{rs}\" has timed out progressing."), (condition.Status, condition.Message));
        var decidedAfter = new DateTimeOffset(DateTime.SpecifyKind(condition.LastTransitionTime!.Value, DateTimeKind.Utc)) - lastUpdate;
        Assert.InRange(decidedAfter, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(75));

        // The rollout stalled, never below replicas − maxUnavailable available.
        Assert.Equal((3, 2), (SpecReplicas(old), SpecReplicas(rs)));
        Assert.Equal((3, "True"), (timedOut.Status.AvailableReplicas, Condition(timedOut, Available).Status));
        Assert.Equal(
        [
            $"Scaled up replica set {old} from 0 to 4",
            $"Scaled up replica set {rs} from 0 to 1",
            $"Scaled down replica set {old} from 4 to 3",
            $"Scaled up replica set {rs} from 1 to 2",
        ], ScalingEvents("web"));
    }

    [Fact]
    public void A_rollback_by_kubectl_reuses_the_old_replica_set_under_the_next_revision()
    {
        CreateDeployment("web", 3, "nginx:1.25", d => d.Metadata.Annotations = new Dictionary<string, string> { ["kubernetes.io/change-cause"] = "v1" });
        StartController();
        CompleteRollout("web");
        UpdateDeployment("web", d =>
        {
            d.Spec.Template.Spec.Containers[0].Image = "nginx:1.26";
            d.Metadata.Annotations["kubernetes.io/change-cause"] = "v2";
        });
        CompleteRollout("web");
        var (first, second) = ReplicaSetsOf("web") is [var a, var b] ? (a, b) : throw new Xunit.Sdk.XunitException("two replica sets expected");
        Assert.Equal(("1", "2"), (first.Metadata.Annotations[RevisionAnnotation], second.Metadata.Annotations[RevisionAnnotation]));

        // kubectl rollout undo --to-revision=1 (apps/v1): the template of that ReplicaSet without its
        // hash label, and its annotations, patched onto the Deployment.
        var template = KubeModels.Clone(first.Spec.Template);
        template.Metadata.Labels.Remove(PodTemplateHashLabel);
        var current = Deployment("web");
        string[] skip = [LastAppliedConfigAnnotation, RevisionAnnotation, RevisionHistoryAnnotation, DesiredReplicasAnnotation, MaxReplicasAnnotation, DeprecatedRollbackTo];
        var annotations = current.Metadata.Annotations.Where(p => skip.Contains(p.Key))
            .Concat(first.Metadata.Annotations.Where(p => !skip.Contains(p.Key))).ToDictionary(p => p.Key, p => p.Value);
        var patch = $$"""[{"op":"replace","path":"/spec/template","value":{{Encoding.UTF8.GetString(KubeModels.Encode(template))}}},{"op":"replace","path":"/metadata/annotations","value":{{Encoding.UTF8.GetString(KubeModels.Encode(annotations))}}}]""";
        _ = Await(Api.Patch<V1Deployment>("default", "web", PatchDispatch.JsonPatch, patch)).Object;

        var done = CompleteRollout("web");
        var all = ReplicaSetsOf("web");
        // No third ReplicaSet: by revision, the second (2) then the first again (3).
        Assert.Equal([second.Metadata.Name, first.Metadata.Name], all.Select(rs => rs.Metadata.Name));
        var reused = all[1];
        Assert.Equal(("3", "1", "v1", 3), (reused.Metadata.Annotations[RevisionAnnotation], reused.Metadata.Annotations[RevisionHistoryAnnotation],
            reused.Metadata.Annotations["kubernetes.io/change-cause"], reused.Spec.Replicas));
        Assert.Equal(("2", 0), (all[0].Metadata.Annotations[RevisionAnnotation], all[0].Spec.Replicas));
        Assert.Equal(("3", "v1"), (done.Metadata.Annotations[RevisionAnnotation], done.Metadata.Annotations["kubernetes.io/change-cause"]));
        Assert.Contains($"Scaled up replica set {first.Metadata.Name} from 0 to 1", ScalingEvents("web"));
    }

    [Fact]
    public void Orphan_replica_sets_matching_the_selector_are_adopted_and_those_that_stop_matching_released()
    {
        // A ReplicaSet made by hand, with the Deployment's template, before the Deployment.
        var template = Template("web", "nginx:1.25");
        _ = Await(Api.Create(new V1ReplicaSet
        {
            ApiVersion = "apps/v1",
            Kind = "ReplicaSet",
            Metadata = new V1ObjectMeta { Name = "web-by-hand", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["app"] = "web" } },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = 2,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = template,
            },
        })).Object;
        var d = CreateDeployment("web", 2, "nginx:1.25");
        StartController();

        var adopted = Eventually(() => ReplicaSet("web-by-hand") is { } rs && KubeModels.ControllerOf(rs)?.Uid == d.Metadata.Uid ? rs : null, "the adoption");
        var found = Eventually(() => Deployment("web") is var x && GetCondition(x.Status, Progressing) is not null ? x : null, "the deployment's status");
        Assert.Equal(("True", FoundNewRSReason, "Found new replica set \"web-by-hand\""), Condition(found, Progressing));
        Assert.Equal(["web-by-hand"], ReplicaSetsOf("web").Select(rs => rs.Metadata.Name)); // it is the new ReplicaSet: none created
        Assert.Equal("1", ReplicaSet("web-by-hand")!.Metadata.Annotations[RevisionAnnotation]);
        Assert.Empty(ScalingEvents("web"));

        // Its labels no longer match: released, and the Deployment makes its own.
        for (var attempt = 0; ; attempt++)
        {
            var rs = ReplicaSet("web-by-hand")!;
            rs.Metadata.Labels = new Dictionary<string, string> { ["app"] = "elsewhere" };
            var result = Await(Api.Update(rs));
            if (result.Ok) break;
            Assert.True(result.IsConflict && attempt < 20, $"relabelling failed: {result.Error}");
        }
        Eventually(() => ReplicaSet("web-by-hand") is { } rs && KubeModels.ControllerOf(rs) is null, "the release");
        var own = Eventually(() => ReplicaSetsOf("web") is [{ Spec.Replicas: 2 } n] ? n : null, "a replica set of its own");
        Assert.Equal("web-" + PodTemplateHash.Compute(d.Spec.Template, null), own.Metadata.Name);
        Assert.Equal(adopted.Metadata.Uid, ReplicaSet("web-by-hand")!.Metadata.Uid);
    }

    [Fact]
    public void A_name_taken_by_another_template_is_a_hash_collision_that_bumps_collisionCount()
    {
        var d = CreateDeployment("web", 2, "nginx:1.25");
        var hash = PodTemplateHash.Compute(d.Spec.Template, null);
        // Someone else's ReplicaSet under the name the template hashes to (not selected by the Deployment).
        var squatter = Await(Api.Create(new V1ReplicaSet
        {
            ApiVersion = "apps/v1",
            Kind = "ReplicaSet",
            Metadata = new V1ObjectMeta { Name = "web-" + hash, NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["app"] = "other" } },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "other" } },
                Template = Template("other", "busybox:1.36"),
            },
        })).Object;
        StartController();

        var rs = Eventually(() => ReplicaSetsOf("web") is [{ Spec.Replicas: 2 } n] ? n : null, "a replica set under another name");
        Assert.Equal("web-" + PodTemplateHash.Compute(d.Spec.Template, 1), rs.Metadata.Name);
        Assert.Equal(1, Deployment("web").Status.CollisionCount);
        var untouched = ReplicaSet(squatter.Metadata.Name)!;
        Assert.Equal((squatter.Metadata.ResourceVersion, null), (untouched.Metadata.ResourceVersion, untouched.Metadata.OwnerReferences));
    }

    [Fact]
    public void A_deployment_being_deleted_only_gets_its_status()
    {
        CreateDeployment("web", 3, "nginx:1.25", d => d.Metadata.Finalizers = ["example.com/hold"]);
        StartController();
        CompleteRollout("web");
        var rs = ReplicaSetsOf("web").Single().Metadata.Name;

        Assert.Null(Await(Api.Delete<V1Deployment>("default", "web")));
        UpdateDeployment("web", d =>
        {
            d.Spec.Replicas = 5;
            d.Spec.Template.Spec.Containers[0].Image = "nginx:1.26";
        });
        SetStatus(rs, 3, 2, 2); // a pod stopped being ready
        var deleting = Eventually(() => Deployment("web") is { Status.AvailableReplicas: 2 } d ? d : null, "the status of the deleted deployment");
        Assert.NotNull(deleting.Metadata.DeletionTimestamp);
        Assert.Single(ReplicaSetsOf("web"));
        Assert.Equal(3, SpecReplicas(rs)); // neither scaled nor rolled
        Assert.Equal([$"Scaled up replica set {rs} from 0 to 3"], ScalingEvents("web"));
    }

    private static (string Status, string Reason, string Message) Condition(V1Deployment d, string type) =>
        GetCondition(d.Status, type) is { } c ? (c.Status, c.Reason, c.Message) : ("", "", "");
}
