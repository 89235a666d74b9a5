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
/// <see cref="NodeTestBase"/>): no scheduler and no kubelet, so the specs play their parts through
/// the API (binding pods, setting them Ready).
/// </summary>
public abstract class ReplicaSetTestBase : NodeTestBase
{
    private int _managers;

    protected ReplicaSetTestBase()
    {
        Proxy = Sys.ActorOf(StoreProxy.Props(Store), "store-proxy");
        Api = ApiThrough(Proxy, "test");
    }

    /// <summary>
    /// How much virtual time a wait may take. Virtual time runs on while the actors work in real time,
    /// so on a loaded machine a wait burns far more of it than the work needs: budgets are generous,
    /// except where a spec must stay within a timeout (expectations expire after 5 minutes).
    /// </summary>
    protected static readonly TimeSpan Budget = TimeSpan.FromMinutes(4);

    /// <summary>What the controllers and the specs talk to: the Store, or its successor after a restart.</summary>
    protected IActorRef Proxy { get; }

    protected ApiClient Api { get; }

    protected static ApiClient ApiThrough(IActorRef store, string manager, IObjectPipeline? pipeline = null) =>
        new(new RestStorage(new StoreClient(store, TimeSpan.FromSeconds(10)), pipeline ?? new KubernetesPipeline(new AdmissionSettings(300))), manager);

    /// <summary>A controller manager with only the ReplicaSet controller: its own informers, its own expectations.</summary>
    protected sealed record Manager(IActorRef Controller, SharedInformerFactory Informers);

    /// <param name="informersStore">Where the informers list and watch (the Store unless a spec puts something in between).</param>
    /// <param name="pipeline">What the controller's requests go through (the API server's pipeline unless a spec adds a policy).</param>
    protected Manager StartController(IActorRef? informersStore = null, IObjectPipeline? pipeline = null)
    {
        var n = ++_managers;
        var informers = new SharedInformerFactory(Sys, $"manager-{n}", informersStore ?? Proxy, Time);
        var context = new ControllerContext(ApiThrough(Proxy, "kube-controller-manager", pipeline), informers, Time);
        return new Manager(Sys.ActorOf(ReplicaSetController.Props(context), $"replicaset-{n}"), informers);
    }

    protected void StopController(Manager manager)
    {
        Watch(manager.Controller);
        Sys.Stop(manager.Controller);
        ExpectTerminated(manager.Controller);
        manager.Informers.Shutdown();
    }

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

    protected IReadOnlyList<V1Pod> AllPods() => Await(Api.List<V1Pod>("default")).Object;

    /// <summary>The pods the ReplicaSet controls that count as replicas (not terminal, not being deleted).</summary>
    protected IReadOnlyList<V1Pod> ActivePodsOf(V1ReplicaSet rs) =>
        AllPods().Where(p => KubeModels.ControllerOf(p)?.Uid == rs.Metadata.Uid && PodStates.IsActive(p)).ToArray();

    protected V1Pod PodNamed(string name) => Await(Api.Get<V1Pod>("default", name)).Object;

    protected IReadOnlyList<V1Pod> WaitForActivePods(V1ReplicaSet rs, int count, string? what = null) =>
        Eventually(() => ActivePodsOf(rs) is { } pods && pods.Count == count ? pods : null, Budget, what ?? $"{count} active pods of {rs.Metadata.Name}");

    protected V1ReplicaSet WaitForStatus(string name, Func<V1ReplicaSetStatus, bool> condition, string what, TimeSpan? within = null, TimeSpan? step = null) =>
        Eventually(() => ReplicaSet(name) is { Status: { } s } rs && condition(s) ? rs : null, within ?? Budget, what, step);

    /// <summary>A kubelet's part: the pod runs and turns Ready now.</summary>
    protected void SetRunning(string pod, bool ready)
    {
        for (var attempt = 0; ; attempt++)
        {
            var p = PodNamed(pod);
            var now = Time.GetUtcNow().UtcDateTime;
            now = new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
            p.Status.Phase = "Running";
            p.Status.Conditions = (p.Status.Conditions ?? []).Where(c => c.Type is not ("Ready" or "ContainersReady")).ToList();
            foreach (var type in new[] { "Ready", "ContainersReady" })
                p.Status.Conditions.Add(new V1PodCondition { Type = type, Status = ready ? "True" : "False", LastTransitionTime = now });
            var result = Await(Api.UpdateStatus(p));
            if (!result.IsConflict || attempt > 10)
            {
                _ = result.Object;
                return;
            }
        }
    }

    protected void SetPhase(string pod, string phase)
    {
        var p = PodNamed(pod);
        p.Status.Phase = phase;
        _ = Await(Api.UpdateStatus(p)).Object;
    }

    /// <summary>The scheduler's part: binds the pod to a node.</summary>
    protected void Bind(string pod, string node)
    {
        var error = Await(Api.Bind("default", pod, node));
        if (error is not null) throw new Xunit.Sdk.XunitException($"binding {pod}: {error.Message}");
    }

    protected V1Pod Relabel(string pod, string key, string? value)
    {
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["labels"] = new JsonObject { [key] = value } } };
        return Await(Api.Patch<V1Pod>("default", pod, PatchDispatch.MergePatch, patch.ToJsonString())).Object;
    }

    /// <summary>The events about a ReplicaSet, oldest first (read through the proxy: the Store may have restarted).</summary>
    protected IReadOnlyList<Corev1Event> EventsOf(string rs) =>
        Await(Api.List<Corev1Event>("default", fieldSelector: $"involvedObject.name={rs}")).Object
            .OrderBy(e => long.Parse(e.Metadata.ResourceVersion)).ToArray();

    /// <summary>How many times the ReplicaSet recorded <paramref name="reason"/> (repeated events are counted, as kubectl shows them).</summary>
    protected int EventCount(string rs, string reason) => EventsOf(rs).Where(e => e.Reason == reason).Sum(e => e.Count ?? 1);

    /// <summary>Events are written after the pods they tell of: wait for them.</summary>
    protected void WaitForEvents(string rs, string reason, int count) =>
        Eventually(() => EventCount(rs, reason) == count ? "ok" : null, Budget, $"{count} {reason} events of {rs}");

    protected IReadOnlyList<string> EventMessages(string rs, string reason) =>
        EventsOf(rs).Where(e => e.Reason == reason).Select(e => e.Message).ToArray();

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
