using System.Diagnostics;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Configuration;
using Akka.KubeEmu.Actors.Api.Defaulting;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Deployment;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Support;
using Akka.TestKit;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using static Akka.KubeEmu.Actors.Controllers.Deployment.DeploymentUtil;

namespace Akka.KubeEmu.Tests.Controllers.Deployment;

/// <summary>
/// The deployment controller against a real Store, in virtual time (Akka's TestScheduler and a
/// FakeTimeProvider move together, as in NodeTestBase). There is no ReplicaSet controller here: the
/// specs play its part by writing ReplicaSet status (replicas, readyReplicas, availableReplicas), as
/// Kubernetes' deployment tests do with fake clients. Writes as a user go through the same API
/// pipeline as kubectl's.
/// </summary>
public abstract class DeploymentTestBase : Akka.TestKit.Xunit2.TestKit
{
    private static readonly Config VirtualScheduler =
        ConfigurationFactory.ParseString("akka.scheduler.implementation = \"Akka.TestKit.TestScheduler, Akka.TestKit\"");

    private readonly TempDir _dir;

    protected DeploymentTestBase() : this(new TempDir()) { }

    private DeploymentTestBase(TempDir dir) : base(TestConfigs.LocalWithStore(dir.Path, VirtualScheduler), "kubeemu")
    {
        _dir = dir;
        Store = Sys.ActorOf(StoreActor.Props(new StoreSettings(), Time), "store");
        // Asks never time out in virtual time: the specs advance the clock by whole seconds.
        Api = new ApiClient(new RestStorage(new StoreClient(Store, TimeSpan.FromDays(1)), new KubernetesPipeline(new AdmissionSettings())), "kubectl");
        _ = Await(Api.Create(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = "default" } })).Object;
    }

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero));

    protected TestScheduler Scheduler => (TestScheduler)Sys.Scheduler;

    protected IActorRef Store { get; }

    /// <summary>The user's client (kubectl).</summary>
    protected ApiClient Api { get; }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _dir.Dispose();
    }

    protected IActorRef StartController()
    {
        var informers = new SharedInformerFactory(Sys, "controller-manager", Store, Time);
        var context = new ControllerContext(Api.As("kube-controller-manager"), informers, Time);
        return Sys.ActorOf(DeploymentController.Props(context), "deployment-controller");
    }

    protected static T Await<T>(Task<T> call) => call.GetAwaiter().GetResult();

    /// <summary>Moves virtual time: the clock first, so that timers firing see their due time.</summary>
    protected void Advance(TimeSpan by)
    {
        Time.Advance(by);
        Scheduler.Advance(by);
    }

    /// <summary>
    /// Polls <paramref name="probe"/> while virtual time advances in <paramref name="step"/>s up to
    /// <paramref name="within"/> (<see cref="VirtualTimeWait"/>).
    /// </summary>
    protected T Eventually<T>(Func<T?> probe, string what, TimeSpan? within = null, TimeSpan? step = null) where T : class =>
        VirtualTimeWait.Until(probe, Advance, within ?? TimeSpan.FromSeconds(60), step ?? TimeSpan.FromMilliseconds(20), what);

    protected void Eventually(Func<bool> condition, string what, TimeSpan? within = null, TimeSpan? step = null) =>
        Eventually(() => condition() ? "ok" : null, what, within, step);

    // ---- objects ----

    protected static V1PodTemplateSpec Template(string app, string image) => new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "web", Image = image }] },
    };

    protected V1Deployment CreateDeployment(string name, int replicas, string image, Action<V1Deployment>? configure = null)
    {
        var d = new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
                Template = Template(name, image),
            },
        };
        configure?.Invoke(d);
        return Await(Api.Create(d)).Object;
    }

    protected V1Deployment Deployment(string name) => Await(Api.Get<V1Deployment>("default", name)).Object;

    /// <summary>Changes a Deployment as a user would (read, change, write; again on a conflict).</summary>
    protected V1Deployment UpdateDeployment(string name, Action<V1Deployment> change)
    {
        for (var attempt = 0; ; attempt++)
        {
            var d = Deployment(name);
            change(d);
            var result = Await(Api.Update(d));
            if (result.Ok) return result.Object;
            if (!result.IsConflict || attempt > 20) throw new Xunit.Sdk.XunitException($"update of {name} failed: {result.Error}");
        }
    }

    protected V1Deployment SetImage(string name, string image) => UpdateDeployment(name, d => d.Spec.Template.Spec.Containers[0].Image = image);

    /// <summary>The ReplicaSets the Deployment controls, by revision (in virtual time several are created within one second).</summary>
    protected IReadOnlyList<V1ReplicaSet> ReplicaSetsOf(string deployment)
    {
        var uid = Deployment(deployment).Metadata.Uid;
        return Await(Api.List<V1ReplicaSet>("default")).Object
            .Where(rs => KubeModels.ControllerOf(rs)?.Uid == uid)
            .OrderBy(rs => rs, ByRevision).ToList();
    }

    protected V1ReplicaSet? ReplicaSet(string name)
    {
        var result = Await(Api.Get<V1ReplicaSet>("default", name));
        return result.Ok ? result.Object : null;
    }

    /// <summary>
    /// What the ReplicaSet controller would report once its pods are there: status.replicas,
    /// readyReplicas, availableReplicas, and the generation it has seen.
    /// </summary>
    protected void SetStatus(string rsName, int replicas, int ready, int available)
    {
        for (var attempt = 0; ; attempt++)
        {
            var rs = ReplicaSet(rsName) ?? throw new Xunit.Sdk.XunitException($"no replica set {rsName}");
            rs.Status = new V1ReplicaSetStatus
            {
                Replicas = replicas,
                FullyLabeledReplicas = replicas == 0 ? null : replicas,
                ReadyReplicas = ready == 0 ? null : ready,
                AvailableReplicas = available == 0 ? null : available,
                ObservedGeneration = rs.Metadata.Generation,
            };
            var result = Await(Api.UpdateStatus(rs));
            if (result.Ok) return;
            if (!result.IsConflict || attempt > 20) throw new Xunit.Sdk.XunitException($"status of {rsName} failed: {result.Error}");
        }
    }

    /// <summary>Every ReplicaSet of the Deployment reports all its pods ready and available (oldest first, as scaled-down pods go before new ones come).</summary>
    protected void AllPodsReady(string deployment)
    {
        foreach (var rs in ReplicaSetsOf(deployment))
        {
            var n = rs.Spec.Replicas ?? 0;
            if (rs.Status?.Replicas != n || (rs.Status.AvailableReplicas ?? 0) != n || rs.Status.ObservedGeneration != rs.Metadata.Generation)
                SetStatus(rs.Metadata.Name, n, n, n);
        }
    }

    /// <summary>Plays the ReplicaSet controller with pods that become ready at once until the rollout is complete.</summary>
    protected V1Deployment CompleteRollout(string name) =>
        Eventually(() =>
        {
            AllPodsReady(name);
            var d = Deployment(name);
            return IsComplete(d) ? d : null;
        }, $"the rollout of {name} to complete");

    protected static bool IsComplete(V1Deployment d) =>
        d.Status?.ObservedGeneration == d.Metadata.Generation && DeploymentComplete(d, d.Status) &&
        GetCondition(d.Status, Progressing)?.Reason == NewRSAvailableReason;

    /// <summary>The Deployment's ScalingReplicaSet event messages, in the order recorded.</summary>
    protected IReadOnlyList<string> ScalingEvents(string deployment) =>
        Events(deployment).Where(e => KubeObject.String(e, "reason") == "ScalingReplicaSet").Select(e => KubeObject.String(e, "message") ?? "").ToList();

    protected IReadOnlyList<JsonObject> Events(string involvedName)
    {
        var (items, _, error) = Await(Api.List(ResourceCatalog.Events, "default"));
        if (items is null) throw new Xunit.Sdk.XunitException($"list events failed: {error}");
        return items.Select(i => KubeObject.Parse(i.Utf8))
            .Where(e => KubeObject.ScalarAt(e, "involvedObject.name") == involvedName)
            .OrderBy(e => long.Parse(KubeObject.ResourceVersion(e)!)).ToList();
    }

    protected static string Hash(V1ReplicaSet rs) => rs.Metadata.Labels[PodTemplateHashLabel];
}
