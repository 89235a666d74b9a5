using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Controllers.DaemonSet;
using Akka.KubeEmu.Actors.Controllers.Deployment;
using Akka.KubeEmu.Actors.Controllers.History;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.DaemonSet;

/// <summary>The DaemonSet's update strategies, revisions and failed pods, in virtual time.</summary>
public sealed class DaemonSetUpdateSpecs : DaemonSetTestBase
{
    private static readonly string[] ThreeNodes = ["node-1", "node-2", "node-3"];

    private V1DaemonSet RunningOnThreeNodes(Action<V1DaemonSet>? change = null)
    {
        foreach (var n in ThreeNodes) CreateNode(n);
        StartController();
        var ds = CreateDaemonSet(NewDaemonSet("agent", change));
        WaitForPodsOn(ds, ThreeNodes);
        RunPods(ds);
        WaitForStatus("agent", s => s.NumberAvailable == 3, "3 available");
        return ds;
    }

    private static void NewImage(V1DaemonSet ds, string image) => ds.Spec.Template.Spec.Containers[0].Image = image;

    private string CurrentHash() =>
        Eventually(() => Revisions().OrderBy(r => r.Revision).LastOrDefault() is { } r && r.Metadata.Labels[DaemonPods.HashLabel] is var h
                         && DaemonSetHistory.Matches(DaemonSet("agent"), r) ? h : null, Budget, "the current revision");

    [Fact]
    public void A_rolling_update_replaces_one_node_at_a_time_waiting_for_each_new_pod_to_be_available()
    {
        var ds = RunningOnThreeNodes();
        var before = PodsByNode(ds);
        UpdateDaemonSet("agent", d => NewImage(d, "nginx:1.16.1"));
        var hash = CurrentHash();
        Assert.Equal("2", DaemonSet("agent").Metadata.Annotations[DaemonPods.TemplateGenerationAnnotation]);

        for (var step = 1; step <= 3; step++)
        {
            // maxUnavailable 1: one old pod goes, and its successor waits until it is gone.
            WaitForEvents("agent", "SuccessfulDelete", step);
            Assert.Equal(step - 1, LivePods(ds).Count(p => p.Metadata.Labels[DaemonPods.HashLabel] == hash));
            Assert.Equal(2, LivePods(ds).Count);
            FinishDeletions();
            Eventually(() => LivePods(ds).Count(p => p.Metadata.Labels[DaemonPods.HashLabel] == hash) == step ? "ok" : null, Budget, $"new pod {step}");
            var status = WaitForStatus("agent", s => s.UpdatedNumberScheduled == step, $"{step} updated").Status;
            Assert.Equal(2, status.NumberAvailable); // the new pod is not ready yet: nothing else goes
            Assert.Equal(step, EventCount("agent", "SuccessfulDelete"));
            RunPods(ds);
        }
        var done = WaitForStatus("agent", s => s.NumberAvailable == 3 && s.UpdatedNumberScheduled == 3, "rolled out").Status;
        Assert.Equal((long?)2, done.ObservedGeneration);
        Assert.All(LivePods(ds), p => Assert.Equal(("nginx:1.16.1", "2"), (p.Spec.Containers[0].Image, p.Metadata.Labels[DaemonPods.TemplateGenerationLabel])));
        Assert.Equal(before.Values.Select(p => $"Deleted pod: {p.Metadata.Name}").Order(), EventMessages("agent", "SuccessfulDelete").Order());
    }

    [Fact]
    public void With_max_surge_the_new_pod_starts_beside_the_old_one_which_goes_once_the_new_one_is_ready()
    {
        var ds = RunningOnThreeNodes(d => d.Spec.UpdateStrategy = new V1DaemonSetUpdateStrategy
        {
            Type = "RollingUpdate",
            RollingUpdate = new V1RollingUpdateDaemonSet { MaxSurge = "1", MaxUnavailable = "0" },
        });
        UpdateDaemonSet("agent", d => NewImage(d, "nginx:1.16.1"));
        var hash = CurrentHash();

        for (var step = 1; step <= 3; step++)
        {
            var surged = Eventually(() => LivePods(ds).Where(p => p.Metadata.Labels[DaemonPods.HashLabel] == hash).ToArray() is { } fresh && fresh.Length == step
                ? fresh : null, Budget, $"new pod {step}");
            Assert.Equal(4, LivePods(ds).Count); // three old or new ones serving, plus the surge
            Assert.Equal(step - 1, EventCount("agent", "SuccessfulDelete"));
            var surgedNodes = surged.Select(p => DaemonPods.TargetNodeName(p)).ToHashSet();
            RunPods(ds);
            WaitForEvents("agent", "SuccessfulDelete", step);
            // The old pod that went is one whose node has its new pod running.
            var deleted = PodNamed(EventMessages("agent", "SuccessfulDelete").Last()["Deleted pod: ".Length..]);
            Assert.NotEqual(hash, deleted.Metadata.Labels[DaemonPods.HashLabel]);
            Assert.Contains(DaemonPods.TargetNodeName(deleted), surgedNodes);
            FinishDeletions();
        }
        WaitForStatus("agent", s => s.UpdatedNumberScheduled == 3 && s.NumberAvailable == 3, "rolled out with surge");
        Assert.Equal(3, LivePods(ds).Count);
    }

    [Fact]
    public void On_delete_replaces_a_pod_only_when_the_user_deletes_it()
    {
        var ds = RunningOnThreeNodes(d => d.Spec.UpdateStrategy = new V1DaemonSetUpdateStrategy { Type = "OnDelete" });
        UpdateDaemonSet("agent", d => NewImage(d, "nginx:1.16.1"));
        var hash = CurrentHash();
        var status = WaitForStatus("agent", s => s.ObservedGeneration == 2, "generation 2 observed").Status;
        Assert.Null(status.UpdatedNumberScheduled);
        Assert.Equal(0, EventCount("agent", "SuccessfulDelete"));

        var victim = PodsByNode(ds)["node-2"];
        DeletePod(victim.Metadata.Name, gracePeriodSeconds: 0);
        var replacement = Eventually(() => PodsByNode(ds).TryGetValue("node-2", out var p) && p.Metadata.Name != victim.Metadata.Name ? p : null,
            Budget, "a replacement on node-2");
        Assert.Equal(("nginx:1.16.1", hash), (replacement.Spec.Containers[0].Image, replacement.Metadata.Labels[DaemonPods.HashLabel]));
        RunPods(ds);
        var after = WaitForStatus("agent", s => s.UpdatedNumberScheduled == 1 && s.NumberAvailable == 3, "1 updated").Status;
        Assert.Equal(3, after.CurrentNumberScheduled);
        Assert.Equal(2, LivePods(ds).Count(p => p.Spec.Containers[0].Image == "nginx:1.14.2"));
    }

    [Fact]
    public void Revisions_are_numbered_reused_on_rollback_and_cleaned_up_beyond_the_history_limit()
    {
        CreateNode("node-1");
        StartController();
        var ds = CreateDaemonSet(NewDaemonSet("agent", d => d.Spec.RevisionHistoryLimit = 2));
        foreach (var image in new[] { "nginx:1.15", "nginx:1.16.1", "nginx:1.17" })
        {
            Eventually(() => Revisions().Count(r => DaemonSetHistory.Matches(DaemonSet("agent"), r)) == 1 ? "ok" : null, Budget, "revision of the template");
            UpdateDaemonSet("agent", d => NewImage(d, image));
        }
        // 4 templates, at most 2 old revisions kept: the oldest goes. (The pod, never scheduled, hence never
        // available, was replaced at once by every template: no old revision has a live pod.)
        var kept = Eventually(() => Revisions() is { Count: 3 } r && r.Any(x => x.Revision == 4) ? r : null, Budget, "3 revisions left");
        Assert.Equal([2L, 3L, 4L], kept.Select(r => r.Revision ?? 0).Order());

        // kubectl rollout undo --to-revision=3: a strategic merge patch with the revision's data.
        var three = kept.Single(r => r.Revision == 3);
        var patch = System.Text.Json.JsonSerializer.Serialize(three.Data);
        _ = Await(Api.Patch<V1DaemonSet>("default", "agent", PatchDispatch.StrategicMergePatch, patch)).Object;
        Assert.Equal("nginx:1.16.1", DaemonSet("agent").Spec.Template.Spec.Containers[0].Image);
        var renumbered = Eventually(() => Revisions().SingleOrDefault(r => r.Metadata.Name == three.Metadata.Name) is { Revision: 5 } r ? r : null,
            Budget, "revision 3 renumbered 5");
        Assert.Equal(DaemonSetHistory.HashOf(renumbered), DaemonSetHistory.HashOf(three));
        Assert.Equal("nginx:1.16.1", ControllerHistory.TemplateOf(renumbered)!.Spec.Containers[0].Image);
        Assert.DoesNotContain(Revisions(), r => r.Revision == 3);
        Assert.Equal("5", DaemonSet("agent").Metadata.Annotations[DaemonPods.TemplateGenerationAnnotation]);
        _ = ds;
    }

    [Fact]
    public void A_hash_collision_raises_the_collision_count_and_names_the_revision_anew()
    {
        CreateNode("node-1");
        var template = NewDaemonSet("agent").Spec.Template;
        // The API server defaults the template before the controller hashes it: take it from a probe.
        var defaulted = Await(Api.Create(NewDaemonSet("probe", d => (d.Spec.Selector, d.Spec.Template) = (NewDaemonSet("agent").Spec.Selector, template)))).Object;
        var hash = PodTemplateHash.Compute(defaulted.Spec.Template, null);
        Assert.Null(Await(Api.Delete<V1DaemonSet>("default", "probe")));
        _ = Await(Api.Create(new V1ControllerRevision
        {
            ApiVersion = "apps/v1",
            Kind = "ControllerRevision",
            Metadata = new V1ObjectMeta { Name = $"agent-{hash}", NamespaceProperty = "default", Labels = new Dictionary<string, string> { ["other"] = "x" } },
            Data = new System.Text.Json.Nodes.JsonObject { ["something"] = "else" },
            Revision = 1,
        })).Object;
        StartController();
        var ds = CreateDaemonSet(NewDaemonSet("agent", d => d.Spec.Template = template));

        var status = WaitForStatus("agent", s => s.CollisionCount == 1, "collisionCount 1").Status;
        Assert.Equal(1, status.CollisionCount);
        var pod = WaitForPodsOn(ds, "node-1")["node-1"];
        var ours = Assert.Single(Revisions(), r => KubeModels.ControllerOf(r)?.Uid == ds.Metadata.Uid);
        Assert.Equal(PodTemplateHash.Compute(DaemonSet("agent").Spec.Template, 1), DaemonSetHistory.HashOf(ours));
        Assert.Equal(DaemonSetHistory.HashOf(ours), pod.Metadata.Labels[DaemonPods.HashLabel]);
    }

    [Fact]
    public void A_failed_pod_is_reported_deleted_and_replaced_and_a_pod_failing_again_waits_out_the_back_off()
    {
        CreateNode("node-1");
        StartController(new FailedPodsBackoff(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15)));
        var ds = CreateDaemonSet(NewDaemonSet("agent"));
        var first = WaitForPodsOn(ds, "node-1")["node-1"].Metadata.Name;
        Bind(first, "node-1");
        SetPhase(first, "Failed");

        WaitForEvents("agent", "FailedDaemonPod", 1);
        Assert.Equal($"Found failed daemon pod default/{first} on node node-1, will try to kill it", Assert.Single(EventMessages("agent", "FailedDaemonPod")));
        Assert.Equal(EventRecorderWarning, EventsOf("agent").Single(e => e.Reason == "FailedDaemonPod").Type);
        WaitForEvents("agent", "SuccessfulDelete", 1);
        FinishDeletions();
        var second = Eventually(() => PodsByNode(ds).TryGetValue("node-1", out var p) && p.Metadata.Name != first ? p.Metadata.Name : null,
            Budget, "a replacement");
        var failedAt = Time.GetUtcNow();
        Bind(second, "node-1");
        SetPhase(second, "Failed");

        // Within the minute the failed pod stays; then it goes too.
        WaitForEvents("agent", "FailedDaemonPod", 2, step: TimeSpan.FromSeconds(1));
        Assert.True(Time.GetUtcNow() - failedAt >= TimeSpan.FromSeconds(50), $"deleted after {Time.GetUtcNow() - failedAt}");
        WaitForEvents("agent", "SuccessfulDelete", 2);
    }

    private const string EventRecorderWarning = "Warning";
}
