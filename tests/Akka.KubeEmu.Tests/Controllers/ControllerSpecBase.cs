using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Defaulting;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Node;
using k8s.Models;

namespace Akka.KubeEmu.Tests.Controllers;

/// <summary>
/// A controller against a real Store, in virtual time (see <see cref="NodeTestBase"/>), with no
/// scheduler and no kubelet: the specs play their parts through the API (binding pods, setting
/// them Running and Ready, Succeeded or Failed), as Kubernetes' controller tests do with fake clients.
/// </summary>
public abstract class ControllerSpecBase : NodeTestBase
{
    private int _managers;

    protected ControllerSpecBase()
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

    /// <summary>A controller manager with one controller: its own informers, its own expectations.</summary>
    protected sealed record Manager(IActorRef Controller, SharedInformerFactory Informers);

    /// <param name="props">The controller, given the context the ControllerManager would give it.</param>
    /// <param name="informersStore">Where the informers list and watch (the Store unless a spec puts something in between).</param>
    /// <param name="pipeline">What the controller's requests go through (the API server's pipeline unless a spec adds a policy).</param>
    protected Manager StartController(Func<ControllerContext, Props> props, IActorRef? informersStore = null, IObjectPipeline? pipeline = null)
    {
        var n = ++_managers;
        var informers = new SharedInformerFactory(Sys, $"manager-{n}", informersStore ?? Proxy, Time);
        var context = new ControllerContext(ApiThrough(Proxy, "kube-controller-manager", pipeline), informers, Time);
        return new Manager(Sys.ActorOf(props(context), $"controller-{n}"), informers);
    }

    protected void StopController(Manager manager)
    {
        Watch(manager.Controller);
        Sys.Stop(manager.Controller);
        ExpectTerminated(manager.Controller);
        manager.Informers.Shutdown();
    }

    protected IReadOnlyList<V1Pod> AllPods() => Await(Api.List<V1Pod>("default")).Object;

    protected V1Pod PodNamed(string name) => Await(Api.Get<V1Pod>("default", name)).Object;

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

    /// <summary>The events about an object, oldest first (read through the proxy: the Store may have restarted).</summary>
    protected IReadOnlyList<Corev1Event> EventsOf(string name) =>
        Await(Api.List<Corev1Event>("default", fieldSelector: $"involvedObject.name={name}")).Object
            .OrderBy(e => long.Parse(e.Metadata.ResourceVersion)).ToArray();

    /// <summary>How many times the ReplicaSet recorded <paramref name="reason"/> (repeated events are counted, as kubectl shows them).</summary>
    protected int EventCount(string name, string reason) => EventsOf(name).Where(e => e.Reason == reason).Sum(e => e.Count ?? 1);

    /// <summary>Events are written after the pods they tell of: wait for them.</summary>
    /// <remarks>
    /// Small steps by default: an event needs real time to be written, not virtual time to pass.
    /// An event due after a long virtual wait (a back-off) takes a larger <paramref name="step"/>,
    /// or a loaded machine runs out of real time before the virtual wait is over.
    /// </remarks>
    protected void WaitForEvents(string name, string reason, int count, TimeSpan? step = null) =>
        Eventually(() => EventCount(name, reason) == count ? "ok" : null, Budget, $"{count} {reason} events of {name}", step ?? TimeSpan.FromMilliseconds(10));

    protected IReadOnlyList<string> EventMessages(string name, string reason) =>
        EventsOf(name).Where(e => e.Reason == reason).Select(e => e.Message).ToArray();
}
