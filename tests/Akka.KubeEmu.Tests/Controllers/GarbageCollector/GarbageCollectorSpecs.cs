using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Defaulting;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Controllers.GarbageCollector;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Store;
using Akka.KubeEmu.Tests.Support;
using k8s;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.GarbageCollector;

/// <summary>
/// The garbage collector against a real Store, with owners and dependents made by hand (no
/// ReplicaSet or Deployment controller runs): objects are written through the API client, as
/// kubectl's requests are, and the specs wait for what the collector does.
/// </summary>
public sealed class GarbageCollectorSpecs : StoreTestBase
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly IActorRef _store;
    private readonly ApiClient _api;

    public GarbageCollectorSpecs() : base(new TempDir())
    {
        _store = StartStore();
        foreach (var ns in (string[])["default", "other", "kube-node-lease"]) Ok(_store, new CreateObject("namespaces", Namespace(ns)));
        _api = new ApiClient(new RestStorage(new StoreClient(_store, TimeSpan.FromSeconds(10)), new KubernetesPipeline(new AdmissionSettings())), "test");
    }

    /// <summary>A garbage collector on informers of its own, as a (re)started controller manager has.</summary>
    private (IActorRef Gc, SharedInformerFactory Informers) StartGc(string name = "gc")
    {
        var informers = new SharedInformerFactory(Sys, name, _store, TimeProvider.System);
        var gc = Sys.ActorOf(Actors.Controllers.GarbageCollector.GarbageCollector.Props(new ControllerContext(_api, informers, TimeProvider.System)), name);
        return (gc, informers);
    }

    private static V1OwnerReference OwnedBy(IKubernetesObject<V1ObjectMeta> owner, bool block = true, bool controller = true, string? uid = null, string? name = null)
    {
        var type = ResourceCatalog.ForModel(owner.GetType());
        return new V1OwnerReference
        {
            ApiVersion = type.ApiVersion, Kind = type.Kind, Name = name ?? owner.Metadata.Name, Uid = uid ?? owner.Metadata.Uid,
            BlockOwnerDeletion = block, Controller = controller,
        };
    }

    private static V1OwnerReference Ghost(string kind, string apiVersion, string name) =>
        new() { ApiVersion = apiVersion, Kind = kind, Name = name, Uid = Guid.NewGuid().ToString(), BlockOwnerDeletion = true, Controller = true };

    private static V1ObjectMeta Meta(string name, string ns, V1OwnerReference[] owners, string[]? finalizers = null) =>
        new() { Name = name, NamespaceProperty = ns, OwnerReferences = owners.Length == 0 ? null : owners, Finalizers = finalizers };

    private async Task<V1ConfigMap> ConfigMap(string name, V1OwnerReference[]? owners = null, string ns = "default", string[]? finalizers = null) =>
        (await _api.Create(new V1ConfigMap { Metadata = Meta(name, ns, owners ?? [], finalizers) })).Object;

    private async Task<V1Pod> Pod(string name, V1OwnerReference[]? owners = null, string[]? finalizers = null) =>
        (await _api.Create(new V1Pod
        {
            Metadata = Meta(name, "default", owners ?? [], finalizers),
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "nginx" }] },
        })).Object;

    private static V1PodTemplateSpec Template(string app) => new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "nginx" }] },
    };

    private async Task<V1ReplicaSet> ReplicaSet(string name, V1OwnerReference[]? owners = null) =>
        (await _api.Create(new V1ReplicaSet
        {
            Metadata = Meta(name, "default", owners ?? []),
            Spec = new V1ReplicaSetSpec
            {
                Replicas = 0,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
                Template = Template(name),
            },
        })).Object;

    private async Task<V1Deployment> Deployment(string name) =>
        (await _api.Create(new V1Deployment
        {
            Metadata = Meta(name, "default", []),
            Spec = new V1DeploymentSpec
            {
                Replicas = 0,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
                Template = Template(name),
            },
        })).Object;

    private async Task<T?> Get<T>(string name, string ns = "default") where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var result = await _api.Get<T>(ns, name);
        if (result.IsNotFound) return null;
        return result.Object;
    }

    private async Task Delete<T>(string name, string? policy = null) where T : class, IKubernetesObject<V1ObjectMeta> =>
        Assert.Null(await _api.Delete<T>("default", name, new DeleteRequest(PropagationPolicy: policy)));

    private Task Gone<T>(string name, string ns = "default") where T : class, IKubernetesObject<V1ObjectMeta> =>
        AwaitAssertAsync(async () => Assert.Null(await Get<T>(name, ns)), Patience);

    private async Task<T> Present<T>(string name, string ns = "default") where T : class, IKubernetesObject<V1ObjectMeta> =>
        await Get<T>(name, ns) ?? throw new Xunit.Sdk.XunitException($"{typeof(T).Name} {ns}/{name} is gone");

    private Task<T> Eventually<T>(string name, Func<T, bool> condition, string what) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        T? last = null;
        return AwaitAssertAsync(async () =>
        {
            last = await Present<T>(name);
            Assert.True(condition(last), $"{name}: {what}");
        }, Patience).ContinueWith(t => t.IsCompletedSuccessfully ? last! : throw t.Exception!.GetBaseException());
    }

    /// <summary>Waits until the collector's graph knows <paramref name="dependents"/> as dependents of <paramref name="owner"/>.</summary>
    private Task Known(IActorRef gc, IKubernetesObject<V1ObjectMeta> owner, params IKubernetesObject<V1ObjectMeta>[] dependents) =>
        AwaitAssertAsync(async () =>
        {
            var known = await gc.Ask<string[]>(new Actors.Controllers.GarbageCollector.GarbageCollector.DependentsOf(owner.Metadata.Uid), Patience);
            Assert.Equal(dependents.Select(d => d.Metadata.Uid).Order(), known.Order());
        }, Patience);

    private static bool Deleting(IKubernetesObject<V1ObjectMeta> o, string finalizer) =>
        o.Metadata.DeletionTimestamp is not null && o.Metadata.Finalizers?.Contains(finalizer) == true;

    private async Task Release(string podName)
    {
        var result = await _api.Patch<V1Pod>("default", podName, PatchDispatch.MergePatch, """{"metadata":{"finalizers":null}}""");
        Assert.True(result.Ok || result.IsNotFound, result.Error?.Message);
    }

    [Fact]
    public async Task Deleting_an_owner_in_the_background_collects_its_dependents_and_theirs()
    {
        StartGc();
        var deployment = await Deployment("web");
        var rs = await ReplicaSet("web-1", [OwnedBy(deployment)]);
        await Pod("web-1-a", [OwnedBy(rs)]);
        await Pod("web-1-b", [OwnedBy(rs)]);
        await ConfigMap("web-config", [OwnedBy(deployment, block: false, controller: false)]);
        await Pod("bystander");

        await Delete<V1Deployment>("web");           // apps/v1 default: background
        Assert.Null(await Get<V1Deployment>("web"));  // gone at once, its dependents after

        await Gone<V1ReplicaSet>("web-1");
        await Gone<V1Pod>("web-1-a");
        await Gone<V1Pod>("web-1-b");
        await Gone<V1ConfigMap>("web-config");
        await Present<V1Pod>("bystander");
    }

    [Fact]
    public async Task Orphaning_removes_the_owners_reference_from_its_dependents_then_lets_the_owner_go()
    {
        var (gc, _) = StartGc();
        var keeper = await ConfigMap("keeper");
        var rs = await ReplicaSet("frontend");
        var a0 = await Pod("frontend-a", [OwnedBy(rs)]);
        var b0 = await Pod("frontend-b", [OwnedBy(rs), OwnedBy(keeper, controller: false)]);
        await Known(gc, rs, a0, b0);

        // kubectl delete rs frontend --cascade=orphan
        var deleted = await _api.Delete(ResourceCatalog.ReplicaSets, "default", "frontend", new DeleteRequest(PropagationPolicy: GarbageCollectionPolicy.Orphan));
        Assert.Equal([GarbageCollectionPolicy.OrphanFinalizer], ((JsonArray)KubeObject.At(deleted.Object, "metadata.finalizers")!).Select(f => f!.GetValue<string>()));
        await Gone<V1ReplicaSet>("frontend");

        // The owner goes only once its dependents are orphaned: they are all there, without it.
        var a = Ok(_store, new GetObject("pods", "default", "frontend-a"));
        Assert.Null(KubeObject.At(a, "metadata.ownerReferences"));
        Assert.Null(KubeObject.At(a, "metadata.deletionTimestamp"));
        var b = await Present<V1Pod>("frontend-b");
        Assert.Equal([keeper.Metadata.Uid], b.Metadata.OwnerReferences.Select(r => r.Uid));
    }

    [Fact]
    public async Task Deleting_in_the_foreground_keeps_the_owner_until_its_blocking_dependents_are_gone()
    {
        var (gc, _) = StartGc();
        var deployment = await Deployment("api");
        var rs = await ReplicaSet("api-1", [OwnedBy(deployment)]);
        var a = await Pod("api-1-a", [OwnedBy(rs)], ["example.com/hold"]);
        var b = await Pod("api-1-b", [OwnedBy(rs)]);
        var loose = await ConfigMap("api-loose", [OwnedBy(deployment, block: false, controller: false)], finalizers: ["example.com/hold"]);
        await Known(gc, deployment, rs, loose);
        await Known(gc, rs, a, b);

        await Delete<V1Deployment>("api", GarbageCollectionPolicy.Foreground);   // kubectl delete --cascade=foreground

        // The ReplicaSet, which has dependents of its own, is deleted in the foreground too; its
        // pods are deleted; one is held by a finalizer of its own.
        await Gone<V1Pod>("api-1-b");
        await Eventually<V1Pod>("api-1-a", p => p.Metadata.DeletionTimestamp is not null, "deleted by the garbage collector");
        await Eventually<V1ConfigMap>("api-loose", c => c.Metadata.DeletionTimestamp is not null, "non-blocking dependents are deleted too");
        Assert.True(Deleting(await Present<V1ReplicaSet>("api-1"), GarbageCollectionPolicy.ForegroundFinalizer));
        var waiting = await Present<V1Deployment>("api");
        Assert.True(Deleting(waiting, GarbageCollectionPolicy.ForegroundFinalizer));

        // The last blocking dependent goes: the ReplicaSet, then the Deployment follow. The
        // non-blocking ConfigMap, still held, does not hold them.
        await Release("api-1-a");
        await Gone<V1Pod>("api-1-a");
        await Gone<V1ReplicaSet>("api-1");
        await Gone<V1Deployment>("api");
        Assert.NotNull((await Present<V1ConfigMap>("api-loose")).Metadata.DeletionTimestamp);
    }

    [Fact]
    public async Task A_dependent_whose_owner_does_not_exist_exists_with_another_uid_or_in_another_namespace_is_collected()
    {
        var owner = await ConfigMap("real-owner");
        var elsewhere = await ConfigMap("far-owner", ns: "other");
        await Pod("ghost-child", [Ghost("ConfigMap", "v1", "no-such-owner")]);
        await Pod("impostor-child", [OwnedBy(owner, uid: Guid.NewGuid().ToString())]);
        await Pod("cross-namespace-child", [OwnedBy(elsewhere)]);
        await Pod("true-child", [OwnedBy(owner)]);
        StartGc();

        await Gone<V1Pod>("ghost-child");
        await Gone<V1Pod>("impostor-child");
        await Gone<V1Pod>("cross-namespace-child");   // a namespaced owner is looked up in the dependent's namespace
        await Present<V1Pod>("true-child");
        await AwaitAssertAsync(async () =>
        {
            var (events, _, _) = await _api.List(ResourceCatalog.Events, "default");
            var ev = events!.Select(e => KubeObject.Parse(e.Utf8)).Single(e => KubeObject.String(e, "reason") == "OwnerRefInvalidNamespace");
            Assert.Equal("cross-namespace-child", KubeObject.ScalarAt(ev, "involvedObject.name"));
            Assert.Equal("Warning", KubeObject.String(ev, "type"));
            Assert.Equal($"ownerRef [v1/ConfigMap, namespace: default, name: far-owner, uid: {elsewhere.Metadata.Uid}] does not exist in namespace \"default\"",
                KubeObject.String(ev, "message"));
        }, Patience);
        await Present<V1ConfigMap>("far-owner", "other");
    }

    [Fact]
    public async Task A_cluster_scoped_owner_owns_from_any_namespace_a_nodes_lease_goes_with_its_node()
    {
        StartGc();
        var node = (await _api.Create(new V1Node { Metadata = new V1ObjectMeta { Name = "node-1" } })).Object;
        await _api.Create(new V1Lease
        {
            Metadata = Meta("node-1", "kube-node-lease", [OwnedBy(node, block: false, controller: false)]),
            Spec = new V1LeaseSpec { HolderIdentity = "node-1", LeaseDurationSeconds = 40 },
        });
        await ConfigMap("node-1-marker", [OwnedBy(node, block: false, controller: false)]);

        // While the node exists nothing is collected; a dependent with the node and a node that
        // does not exist as owners only loses the dangling reference.
        await ConfigMap("mixed", [OwnedBy(node, controller: false), Ghost("Node", "v1", "node-gone")]);
        await Eventually<V1ConfigMap>("mixed", c => c.Metadata.OwnerReferences.Count == 1, "the dangling reference removed");
        await Present<V1Lease>("node-1", "kube-node-lease");

        Assert.Null(await _api.Delete<V1Node>("", "node-1"));
        await Gone<V1Lease>("node-1", "kube-node-lease");
        await Gone<V1ConfigMap>("node-1-marker");
        await Gone<V1ConfigMap>("mixed");
    }

    [Fact]
    public async Task A_pod_with_two_owners_survives_while_one_remains()
    {
        StartGc();
        var a = await ReplicaSet("owner-a");
        var b = await ReplicaSet("owner-b");
        await Pod("shared", [OwnedBy(a), OwnedBy(b, controller: false)]);

        await Delete<V1ReplicaSet>("owner-a");
        var pod = await Eventually<V1Pod>("shared", p => p.Metadata.OwnerReferences.Count == 1, "the reference to the deleted owner removed");
        Assert.Equal(b.Metadata.Uid, pod.Metadata.OwnerReferences.Single().Uid);
        Assert.Null(pod.Metadata.DeletionTimestamp);

        await Delete<V1ReplicaSet>("owner-b");
        await Gone<V1Pod>("shared");
    }

    [Fact]
    public async Task A_restarted_collector_rebuilds_its_graph_and_finishes_the_orphaning_and_foreground_deletions_left_pending()
    {
        var (first, firstInformers) = StartGc("gc-1");
        var orphaner = await ReplicaSet("orphaner");
        await Pod("orphaner-a", [OwnedBy(orphaner)]);
        var foreground = await ReplicaSet("foreground");
        await Pod("foreground-a", [OwnedBy(foreground)]);
        var owner = await ConfigMap("owner");
        await ConfigMap("owned", [OwnedBy(owner)]);
        var warmUp = await ConfigMap("warm-up");
        await ConfigMap("warm-up-child", [OwnedBy(warmUp)]);
        await Delete<V1ConfigMap>("warm-up");
        await Gone<V1ConfigMap>("warm-up-child");     // the first collector was at work

        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first);
        firstInformers.Shutdown();

        // While no collector runs, deletions wait on their finalizers and dependents on their owners.
        await Delete<V1ReplicaSet>("orphaner", GarbageCollectionPolicy.Orphan);
        await Delete<V1ReplicaSet>("foreground", GarbageCollectionPolicy.Foreground);
        await Delete<V1ConfigMap>("owner");
        Assert.True(Deleting(await Present<V1ReplicaSet>("orphaner"), GarbageCollectionPolicy.OrphanFinalizer));
        Assert.True(Deleting(await Present<V1ReplicaSet>("foreground"), GarbageCollectionPolicy.ForegroundFinalizer));
        await Present<V1ConfigMap>("owned");

        StartGc("gc-2");
        await Gone<V1ReplicaSet>("orphaner");
        Assert.Null((await Present<V1Pod>("orphaner-a")).Metadata.OwnerReferences);
        await Gone<V1Pod>("foreground-a");
        await Gone<V1ReplicaSet>("foreground");
        await Gone<V1ConfigMap>("owned");
    }
}
