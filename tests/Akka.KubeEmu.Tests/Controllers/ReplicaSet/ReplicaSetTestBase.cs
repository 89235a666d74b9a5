using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Defaulting;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Controllers.ReplicaSet;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Node;
using k8s.Models;

namespace Akka.KubeEmu.Tests.Controllers.ReplicaSet;

/// <summary>
/// The ReplicaSet controller on its own against a real Store, in virtual time (see
/// <see cref="ControllerSpecBase"/>): no scheduler and no kubelet, so the specs play their parts through
/// the API (binding pods, setting them Ready).
/// </summary>
public abstract class ReplicaSetTestBase : ControllerSpecBase
{
    protected Manager StartController(IActorRef? informersStore = null, IObjectPipeline? pipeline = null) =>
        StartController(context => ReplicaSetController.Props(context), informersStore, pipeline);

    protected static V1ReplicaSet NewReplicaSet(string name, int replicas, int minReadySeconds = 0, V1LabelSelector? selector = null,
        IDictionary<string, string>? templateLabels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1ReplicaSetSpec
        {
            Replicas = replicas,
            MinReadySeconds = minReadySeconds == 0 ? null : minReadySeconds,
            Selector = selector ?? new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta
                {
                    Labels = templateLabels ?? new Dictionary<string, string> { ["app"] = name },
                    Annotations = new Dictionary<string, string> { ["example.com/from"] = "template" },
                },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "nginx", Image = "nginx:1.14.2" }] },
            },
        },
    };

    protected V1ReplicaSet CreateReplicaSet(V1ReplicaSet rs) => Await(Api.Create(rs)).Object;

    protected V1ReplicaSet ReplicaSet(string name) => Await(Api.Get<V1ReplicaSet>("default", name)).Object;

    /// <summary>Changes a ReplicaSet's spec as kubectl would (a PUT, again on a conflict with the controller's status writes).</summary>
    protected V1ReplicaSet UpdateReplicaSet(string name, Action<V1ReplicaSet> change)
    {
        for (var attempt = 0; ; attempt++)
        {
            var rs = ReplicaSet(name);
            change(rs);
            var result = Await(Api.Update(rs));
            if (!result.IsConflict || attempt > 10) return result.Object;
        }
    }

    /// <summary>The pods the ReplicaSet controls that count as replicas (not terminal, not being deleted).</summary>
    protected IReadOnlyList<V1Pod> ActivePodsOf(V1ReplicaSet rs) =>
        AllPods().Where(p => KubeModels.ControllerOf(p)?.Uid == rs.Metadata.Uid && PodStates.IsActive(p)).ToArray();

    protected IReadOnlyList<V1Pod> WaitForActivePods(V1ReplicaSet rs, int count, string? what = null) =>
        Eventually(() => ActivePodsOf(rs) is { } pods && pods.Count == count ? pods : null, Budget, what ?? $"{count} active pods of {rs.Metadata.Name}");

    protected V1ReplicaSet WaitForStatus(string name, Func<V1ReplicaSetStatus, bool> condition, string what, TimeSpan? within = null, TimeSpan? step = null) =>
        Eventually(() => ReplicaSet(name) is { Status: { } s } rs && condition(s) ? rs : null, within ?? Budget, what, step);

    /// <summary>
    /// The API server's pipeline plus a policy that refuses pods on the host network (as PodSecurity
    /// "baseline" or a validating webhook would): a template the ReplicaSet API accepts and the pod API refuses.
    /// </summary>
    protected sealed class NoHostNetworkPolicy : IObjectPipeline
    {
        private readonly KubernetesPipeline _inner = new(new AdmissionSettings(300));

        public const string Refusal = "host namespaces are not allowed by policy";

        public DecodeResult Decode(ResourceType type, JsonObject obj) => _inner.Decode(type, obj);

        public void Default(ResourceType type, JsonObject obj) => _inner.Default(type, obj);

        public void PrepareForCreate(ResourceType type, JsonObject obj) => _inner.PrepareForCreate(type, obj);

        public void PrepareForUpdate(ResourceType type, JsonObject obj, JsonObject old) => _inner.PrepareForUpdate(type, obj, old);

        public IReadOnlyList<FieldError> ValidateCreate(ResourceType type, JsonObject obj)
        {
            var errors = _inner.ValidateCreate(type, obj);
            return type == ResourceCatalog.Pods && KubeObject.At(obj, "spec.hostNetwork")?.GetValue<bool>() == true
                ? [.. errors, FieldError.ForbiddenField("spec.hostNetwork", Refusal)]
                : errors;
        }

        public IReadOnlyList<FieldError> ValidateUpdate(ResourceType type, JsonObject obj, JsonObject old) => _inner.ValidateUpdate(type, obj, old);
    }
}
