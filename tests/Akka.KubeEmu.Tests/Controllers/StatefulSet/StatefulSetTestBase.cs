using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Controllers.StatefulSet;
using k8s.Models;

namespace Akka.KubeEmu.Tests.Controllers.StatefulSet;

/// <summary>
/// The StatefulSet controller on its own against a real Store, in virtual time (see
/// <see cref="ControllerSpecBase"/>): the specs play the scheduler (Bind), the kubelet (Running and
/// Ready, and finishing a graceful deletion) and the volume binder when needed.
/// </summary>
public abstract class StatefulSetTestBase : ControllerSpecBase
{
    protected Manager StartController(bool maxUnavailableEnabled = false) =>
        StartController(context => StatefulSetController.Props(context, maxUnavailableEnabled));

    protected static V1StatefulSet NewSet(string name, int replicas, string policy = "OrderedReady", bool claims = true,
        string? whenDeleted = null, string? whenScaled = null, int? partition = null, string updateStrategy = "RollingUpdate",
        int? revisionHistoryLimit = null, int? startOrdinal = null) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "StatefulSet",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1StatefulSetSpec
        {
            ServiceName = "nginx",
            Replicas = replicas,
            PodManagementPolicy = policy,
            RevisionHistoryLimit = revisionHistoryLimit,
            Ordinals = startOrdinal is { } s ? new V1StatefulSetOrdinals { Start = s } : null,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            UpdateStrategy = new V1StatefulSetUpdateStrategy
            {
                Type = updateStrategy,
                RollingUpdate = partition is { } p ? new V1RollingUpdateStatefulSetStrategy { Partition = p } : null,
            },
            PersistentVolumeClaimRetentionPolicy = whenDeleted is null && whenScaled is null
                ? null
                : new V1StatefulSetPersistentVolumeClaimRetentionPolicy { WhenDeleted = whenDeleted ?? "Retain", WhenScaled = whenScaled ?? "Retain" },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec
                {
                    Containers =
                    [
                        new V1Container
                        {
                            Name = "nginx", Image = "nginx:1.9.1",
                            VolumeMounts = claims ? [new V1VolumeMount { Name = "www", MountPath = "/usr/share/nginx/html" }] : null,
                        },
                    ],
                },
            },
            VolumeClaimTemplates = claims
                ?
                [
                    new V1PersistentVolumeClaim
                    {
                        Metadata = new V1ObjectMeta { Name = "www", Labels = new Dictionary<string, string> { ["tier"] = "storage" } },
                        Spec = new V1PersistentVolumeClaimSpec
                        {
                            AccessModes = ["ReadWriteOnce"],
                            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
                        },
                    },
                ]
                : null,
        },
    };

    protected V1StatefulSet CreateSet(V1StatefulSet set) => Await(Api.Create(set)).Object;

    protected V1StatefulSet Set(string name) => Await(Api.Get<V1StatefulSet>("default", name)).Object;

    /// <summary>Changes a set's spec as kubectl would (a PUT, again on a conflict with the controller's status writes).</summary>
    protected V1StatefulSet UpdateSet(string name, Action<V1StatefulSet> change)
    {
        for (var attempt = 0; ; attempt++)
        {
            var set = Set(name);
            change(set);
            var result = Await(Api.Update(set));
            if (!result.IsConflict || attempt > 10) return result.Object;
        }
    }

    protected V1StatefulSet SetImage(string name, string image) => UpdateSet(name, s => s.Spec.Template.Spec.Containers[0].Image = image);

    protected V1Pod? PodOrNull(string name) => Await(Api.Get<V1Pod>("default", name)) is { Ok: true } r ? r.Value : null;

    protected V1PersistentVolumeClaim? Claim(string name) =>
        Await(Api.Get<V1PersistentVolumeClaim>("default", name)) is { Ok: true } r ? r.Value : null;

    protected IReadOnlyList<V1ControllerRevision> Revisions() => Await(Api.List<V1ControllerRevision>("default")).Object;

    /// <summary>The names of the pods that exist (terminating ones included), in ordinal order.</summary>
    protected string[] PodNames() => AllPods().Select(p => p.Metadata.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray();

    protected V1Pod WaitForPod(string name, Func<V1Pod, bool>? condition = null, string? what = null) =>
        Eventually(() => PodOrNull(name) is { } p && (condition?.Invoke(p) ?? true) ? p : null, Budget, what ?? $"pod {name}");

    protected void WaitForGone(string name) => Eventually(() => PodOrNull(name) is null, Budget, $"pod {name} gone");

    /// <summary>The scheduler and the kubelet: the pod is bound and turns Running and Ready.</summary>
    protected void Run(string pod, string node = "node-1")
    {
        var p = WaitForPod(pod);
        if (string.IsNullOrEmpty(p.Spec.NodeName)) Bind(pod, node);
        SetRunning(pod, ready: true);
    }

    /// <summary>The kubelet finishing a graceful deletion: the pod object goes away.</summary>
    protected void FinishTermination(string pod)
    {
        var error = Await(Api.Delete<V1Pod>("default", pod, new DeleteRequest(GracePeriodSeconds: 0)));
        if (error is not null && error.Code != 404) throw new Xunit.Sdk.XunitException($"deleting {pod}: {error.Message}");
    }

    protected V1StatefulSet WaitForStatus(string name, Func<V1StatefulSetStatus, bool> condition, string what) =>
        Eventually(() => Set(name) is { Status: { } s } set && condition(s) ? set : null, Budget, what);

    /// <summary>Lets virtual time pass with the controller working, for specs that check something does not happen.</summary>
    protected void Settle(TimeSpan? virtualTime = null)
    {
        var until = Time.GetUtcNow() + (virtualTime ?? TimeSpan.FromSeconds(5));
        Eventually(() => Time.GetUtcNow() >= until, Budget, "time to pass", TimeSpan.FromMilliseconds(100));
    }

    protected static string Revision(V1Pod pod) => pod.Metadata.Labels["controller-revision-hash"];

    protected static V1OwnerReference? ControllerOf(V1PersistentVolumeClaim claim) => KubeModels.ControllerOf(claim);
}
