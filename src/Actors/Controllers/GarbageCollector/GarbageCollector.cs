using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Event;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Workqueue;
using k8s;
using k8s.Models;
using Policy = Akka.KubeEmu.Actors.Store.GarbageCollectionPolicy;

namespace Akka.KubeEmu.Actors.Controllers.GarbageCollector;

/// <summary>
/// kube-controller-manager's garbage collector (pkg/controller/garbagecollector). The shared
/// informers of every resource but events feed a <see cref="DependencyGraph"/> of ownerReferences;
/// two queues of uids act on it:
/// <list type="bullet">
/// <item>attemptToDelete: an object whose owners are all gone (absent, or present under another
/// uid, verified by a fresh read of the API) is deleted, in the foreground if it carries the
/// foregroundDeletion finalizer or an owner waits for it in the foreground and it has dependents
/// itself, orphaning if it carries the orphan finalizer, else in the background; references to
/// owners that are gone are removed from an object that keeps another owner; an owner deleting in
/// the foreground loses its foregroundDeletion finalizer once no dependent blocks it
/// (blockOwnerDeletion); a virtual owner found absent leaves the graph;</item>
/// <item>attemptToOrphan: an owner deleted with the orphan finalizer has its ownerReference removed
/// from every dependent, then loses the finalizer.</item>
/// </list>
/// A restart rebuilds the graph from the informers' lists; objects found deleting with either
/// finalizer are taken up again. Runs 20 workers per queue (--concurrent-gc-syncs).
/// </summary>
public sealed class GarbageCollector : Controller, IGraphQueues
{
    public const string ControllerName = "garbage-collector-controller";

    /// <summary>--concurrent-gc-syncs' default.</summary>
    public const int DefaultWorkers = 20;

    // retry.DefaultBackoff.Steps: how often removing a finalizer is tried before the item is requeued.
    private const int FinalizerUpdateAttempts = 4;

    private readonly DependencyGraph _graph;
    private readonly AbsentOwnerCache _absentOwners = new();
    private readonly RateLimitingQueue _attemptToOrphan;
    private readonly IActorRef _self;

    public GarbageCollector(ControllerContext context, int workers = DefaultWorkers) : base(context, ControllerName, workers)
    {
        _self = Self;
        _graph = new DependencyGraph(_absentOwners, this);
        _attemptToOrphan = AddQueue("attemptToOrphan", workers, AttemptToOrphan);

        // Every resource that can be listed, watched and deleted, but events (DefaultIgnoredResources).
        foreach (var type in ResourceCatalog.Stored.Where(t => t != ResourceCatalog.Events && t != ResourceCatalog.EventsV1))
            HandleAny(Informers.For(type),
                added: o => Observe(type, GraphEventType.Add, null, o),
                updated: (old, o) => Observe(type, GraphEventType.Update, old, o),
                deleted: o => Observe(type, GraphEventType.Delete, null, o));

        Receive<VirtualDeleteEvent>(v =>
        {
            _graph.Process(new GraphEvent(GraphEventType.Delete, v.Identity, NoState, Virtual: true));
            Pump();
        });
        Receive<AttemptToDeleteItems>(a =>
        {
            foreach (var uid in a.Uids) Queue.Add(uid);
            Pump();
        });
        Receive<DependentsOf>(d => Sender.Tell(_graph.Dependents(d.Uid).Select(n => n.Identity.Uid).ToArray()));
    }

    public static Props Props(ControllerContext context, int workers = DefaultWorkers) =>
        Akka.Actor.Props.Create(() => new GarbageCollector(context, workers));

    /// <summary>Asks for the uids the graph holds as dependents of <paramref name="Uid"/> (for tests, as GraphHasUID); answered with a string[].</summary>
    internal sealed record DependentsOf(string Uid);

    private static readonly ObjectState NoState = new([], false, []);

    // ---- the graph builder's side: informer events, on the actor ----

    private void Observe(ResourceType type, GraphEventType change, IKubernetesObject<V1ObjectMeta>? old, IKubernetesObject<V1ObjectMeta> obj)
    {
        if (obj.Metadata?.Uid is not { Length: > 0 } uid) return;
        var identity = new ObjectReference(type.ApiVersion, type.Kind, obj.Metadata.Name ?? "", uid,
            type.Namespaced ? obj.Metadata.NamespaceProperty ?? "" : "");
        _graph.Process(new GraphEvent(change, identity, StateOf(obj), old is null ? null : StateOf(old)));
    }

    private static ObjectState StateOf(IKubernetesObject<V1ObjectMeta> obj) =>
        new(obj.Metadata?.OwnerReferences?.ToArray() ?? [], obj.Metadata?.DeletionTimestamp is not null,
            obj.Metadata?.Finalizers?.ToArray() ?? []);

    void IGraphQueues.AttemptToDelete(string uid) => Queue.Add(uid);

    void IGraphQueues.AttemptToDeleteRateLimited(string uid) => Queue.AddRateLimited(uid);

    void IGraphQueues.AttemptToOrphan(string uid) => _attemptToOrphan.Add(uid);

    void IGraphQueues.ReportInvalidNamespaceOwnerRef(ObjectReference dependent, V1OwnerReference owner)
    {
        var involved = new JsonObject
        {
            ["kind"] = dependent.Kind,
            ["namespace"] = dependent.Namespace,
            ["name"] = dependent.Name,
            ["uid"] = dependent.Uid,
            ["apiVersion"] = dependent.ApiVersion,
        };
        var invalid = ObjectReference.Of(owner, dependent.Namespace);
        _ = Recorder.RecordAbout(involved, EventRecorder.Warning, "OwnerRefInvalidNamespace",
            $"ownerRef {invalid} does not exist in namespace \"{dependent.Namespace}\"");
    }

    // ---- attemptToDelete: on the workers ----

    protected override async Task<SyncResult> Sync(string uid)
    {
        // A uid no longer in the graph: its object was deleted (or its virtual node found absent) meanwhile.
        if (_graph.View(uid) is not { } item) return SyncResult.Done;
        try
        {
            if (await AttemptToDeleteItem(item) == Outcome.VirtualDeleteEnqueued) return SyncResult.Done;
        }
        catch (NamespacedOwnerOfClusterScopedObject)
        {
            // A cluster-scoped object naming a namespaced owner: retrying cannot help.
            Log.Info("{0}: {1} is cluster-scoped, but refers to a namespaced owner", Name, item.Identity);
            return SyncResult.Done;
        }
        // A virtual node stays queued until an informer shows its object (or it is found absent).
        return _graph.View(uid) is { Observed: false } ? SyncResult.Retry : SyncResult.Done;
    }

    private async Task<Outcome> AttemptToDeleteItem(NodeView item)
    {
        // Being deleted is a one-way trip: wait for the final deletion, then its dependents are seen to.
        if (item.BeingDeleted && !item.DeletingDependents) return Outcome.Done;

        var type = TypeOf(item.Identity.ApiVersion, item.Identity.Kind);
        var latest = await Api.Get(type, NamespaceFor(type, item.Identity.Namespace), item.Identity.Name);
        if (latest.IsNotFound) return VirtualDelete(item.Identity);
        if (!latest.Ok) throw new ApiException(latest.Error!);
        var obj = latest.Object;
        if (KubeObject.Uid(obj) != item.Identity.Uid) return VirtualDelete(item.Identity);

        if (item.DeletingDependents)
        {
            await ProcessDeletingDependentsItem(type, item);
            return Outcome.Done;
        }

        var ownersJson = KubeObject.At(obj, "metadata.ownerReferences");
        var owners = OwnerReferences(ownersJson);
        if (owners.Count == 0) return Outcome.Done;

        var (solid, dangling, waiting) = await ClassifyReferences(item, owners);
        var resourceVersion = KubeObject.ResourceVersion(obj) ?? "";
        if (solid.Count > 0)
        {
            // An owner remains: only the references to owners gone (or waiting for their
            // dependents, which would wait for ever) are removed.
            if (dangling.Count == 0 && waiting.Count == 0) return Outcome.Done;
            var result = await Api.Patch(type, NamespaceFor(type, item.Identity.Namespace), item.Identity.Name,
                PatchDispatch.StrategicMergePatch, DeleteOwnerReferencesPatch(item.Identity.Uid, dangling.Concat(waiting).Select(r => r.Uid)));
            if (!result.Ok) throw new ApiException(result.Error!);
            return Outcome.Done;
        }

        string policy;
        if (waiting.Count > 0 && _graph.Dependents(item.Identity.Uid) is { Count: > 0 } dependents)
        {
            // An owner waits for this object in the foreground, and this object has dependents of
            // its own: it is deleted in the foreground too. A dependent already deleting in the
            // foreground may wait for this one: unblock this object's references first, against cycles.
            if (dependents.Any(d => d.DeletingDependents) && UnblockOwnerReferencesPatch(item) is { } unblock)
            {
                var patched = await Api.Patch(type, NamespaceFor(type, item.Identity.Namespace), item.Identity.Name,
                    PatchDispatch.StrategicMergePatch, unblock);
                if (!patched.Ok) throw new ApiException(patched.Error!);
            }
            policy = Policy.Foreground;
        }
        else
        {
            // No owner left: honour a finalizer the object already carries, else in the background.
            var finalizers = (KubeObject.At(obj, "metadata.finalizers") as JsonArray)?.Select(KubeObject.ScalarText).ToArray() ?? [];
            policy = finalizers.Contains(Policy.OrphanFinalizer) ? Policy.Orphan
                : finalizers.Contains(Policy.ForegroundFinalizer) ? Policy.Foreground
                : Policy.Background;
        }
        Log.Debug("{0}: deleting {1} with propagation policy {2}", Name, item.Identity, policy);
        var error = await DeleteObject(type, item.Identity, resourceVersion, ownersJson, policy);
        if (error?.Code == 404) return VirtualDelete(item.Identity);
        if (error is not null) throw new ApiException(error);
        return Outcome.Done;
    }

    // An owner deleting in the foreground: its blocking dependents are deleted; when none is left it
    // loses the finalizer and the store lets it go.
    private async Task ProcessDeletingDependentsItem(ResourceType type, NodeView item)
    {
        var blocking = _graph.BlockingDependents(item.Identity.Uid);
        if (blocking.Count == 0)
        {
            await RemoveFinalizer(type, item.Identity, Policy.ForegroundFinalizer);
            return;
        }
        var toDelete = blocking.Where(d => !d.DeletingDependents).Select(d => d.Identity.Uid).ToArray();
        if (toDelete.Length > 0) _self.Tell(new AttemptToDeleteItems(toDelete));
    }

    /// <summary>
    /// solid: the owner exists and does not wait for its dependents; dangling: it does not exist
    /// (or under another uid); waiting: it exists, deleting in the foreground.
    /// </summary>
    private async Task<(List<V1OwnerReference> Solid, List<V1OwnerReference> Dangling, List<V1OwnerReference> Waiting)>
        ClassifyReferences(NodeView item, IReadOnlyList<V1OwnerReference> references)
    {
        var solid = new List<V1OwnerReference>();
        var dangling = new List<V1OwnerReference>();
        var waiting = new List<V1OwnerReference>();
        foreach (var reference in references)
        {
            var owner = await LiveOwner(reference, item);
            if (owner is null) dangling.Add(reference);
            else if (KubeObject.At(owner, "metadata.deletionTimestamp") is not null
                     && (KubeObject.At(owner, "metadata.finalizers") as JsonArray)?.Any(f => KubeObject.ScalarText(f) == Policy.ForegroundFinalizer) == true)
                waiting.Add(reference);
            else solid.Add(reference);
        }
        return (solid, dangling, waiting);
    }

    /// <summary>
    /// isDangling: the owner as the API server has it now, or null when it does not exist (or
    /// exists with another uid). A namespaced owner is looked up in the dependent's namespace; a
    /// cluster-scoped one (a Node) from anywhere.
    /// </summary>
    private async Task<JsonObject?> LiveOwner(V1OwnerReference reference, NodeView item)
    {
        var absent = ObjectReference.Of(reference, "");
        if (_absentOwners.Has(absent)) return null;
        absent = absent with { Namespace = item.Identity.Namespace };
        if (_absentOwners.Has(absent)) return null;

        var type = TypeOf(reference.ApiVersion, reference.Kind);
        if (!type.Namespaced) absent = absent with { Namespace = "" };
        if (item.Identity.Namespace.Length == 0 && type.Namespaced) throw new NamespacedOwnerOfClusterScopedObject();

        var owner = await Api.Get(type, NamespaceFor(type, item.Identity.Namespace), reference.Name ?? "");
        if (owner.IsNotFound)
        {
            _absentOwners.Add(absent);
            return null;
        }
        if (!owner.Ok) throw new ApiException(owner.Error!);
        var live = owner.Object;
        if (KubeObject.Uid(live) == reference.Uid) return live;
        _absentOwners.Add(absent);
        return null;
    }

    /// <summary>
    /// Deletes with the object's uid and resourceVersion as preconditions. When only the
    /// resourceVersion moved and the owners are still those the decision was made on, it tries
    /// again with the uid alone.
    /// </summary>
    private async Task<ApiStatus?> DeleteObject(ResourceType type, ObjectReference item, string resourceVersion, JsonNode? ownersAtResourceVersion, string policy)
    {
        var ns = NamespaceFor(type, item.Namespace);
        var result = await Api.Delete(type, ns, item.Name,
            new DeleteRequest(PropagationPolicy: policy, PreconditionUid: item.Uid, PreconditionResourceVersion: resourceVersion.Length > 0 ? resourceVersion : null));
        if (!result.IsConflict || resourceVersion.Length == 0) return result.Error;

        var live = await Api.Get(type, ns, item.Name);
        if (live.IsNotFound) return live.Error;
        if (live.Ok && KubeObject.Uid(live.Object) == item.Uid && KubeObject.ResourceVersion(live.Object) != resourceVersion
            && JsonNode.DeepEquals(KubeObject.At(live.Object, "metadata.ownerReferences"), ownersAtResourceVersion))
            return (await Api.Delete(type, ns, item.Name, new DeleteRequest(PropagationPolicy: policy, PreconditionUid: item.Uid))).Error;
        return result.Error;
    }

    // ---- attemptToOrphan: on the workers ----

    private async Task<SyncResult> AttemptToOrphan(string uid)
    {
        if (_graph.View(uid) is not { } owner) return SyncResult.Done;
        var dependents = _graph.Dependents(uid);
        var failures = (await Task.WhenAll(dependents.Select(d => OrphanDependent(d.Identity, uid)))).OfType<string>().ToArray();
        if (failures.Length > 0)
            throw new InvalidOperationException($"failed to orphan dependents of owner {owner.Identity}, got errors: {string.Join(", ", failures)}");
        await RemoveFinalizer(TypeOf(owner.Identity.ApiVersion, owner.Identity.Kind), owner.Identity, Policy.OrphanFinalizer);
        return SyncResult.Done;
    }

    // The dependent's uid is the patch's precondition; a reference already gone is no error.
    private async Task<string?> OrphanDependent(ObjectReference dependent, string ownerUid)
    {
        try
        {
            var type = TypeOf(dependent.ApiVersion, dependent.Kind);
            var result = await Api.Patch(type, NamespaceFor(type, dependent.Namespace), dependent.Name,
                PatchDispatch.StrategicMergePatch, DeleteOwnerReferencesPatch(dependent.Uid, [ownerUid]));
            return result.Ok || result.IsNotFound ? null : $"orphaning {dependent} failed, {result.Error!.Message}";
        }
        catch (Exception e) when (e is RestMappingException or ApiException)
        {
            return $"orphaning {dependent} failed, {e.Message}";
        }
    }

    // ---- shared ----

    /// <summary>Removes a garbage collector finalizer with a merge patch pinned to the resourceVersion read, retrying conflicts.</summary>
    private async Task RemoveFinalizer(ResourceType type, ObjectReference owner, string finalizer)
    {
        var ns = NamespaceFor(type, owner.Namespace);
        for (var attempt = 0; attempt < FinalizerUpdateAttempts; attempt++)
        {
            var current = await Api.Get(type, ns, owner.Name);
            if (current.IsNotFound) return;
            if (!current.Ok) throw new ApiException(current.Error!);
            var obj = current.Object;
            if (KubeObject.Uid(obj) != owner.Uid) return;
            var finalizers = (KubeObject.At(obj, "metadata.finalizers") as JsonArray)?.Select(KubeObject.ScalarText).OfType<string>().ToList() ?? [];
            if (!finalizers.Remove(finalizer)) return;
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["resourceVersion"] = KubeObject.ResourceVersion(obj),
                    ["finalizers"] = finalizers.Count == 0 ? null : new JsonArray(finalizers.Select(f => (JsonNode?)f).ToArray()),
                },
            };
            var result = await Api.Patch(type, ns, owner.Name, PatchDispatch.MergePatch, patch.ToJsonString());
            if (result.Ok || result.IsNotFound) return;
            if (!result.IsConflict) throw new ApiException(result.Error!);
        }
        throw new InvalidOperationException(
            $"updateMaxRetries({FinalizerUpdateAttempts}) has reached. The garbage collector will retry later for owner {owner}");
    }

    private Outcome VirtualDelete(ObjectReference identity)
    {
        _self.Tell(new VirtualDeleteEvent(identity));
        return Outcome.VirtualDeleteEnqueued;
    }

    private static ResourceType TypeOf(string? apiVersion, string? kind) =>
        ResourceCatalog.FindByKind(apiVersion ?? "", kind ?? "") ?? throw new RestMappingException(apiVersion, kind);

    private static string NamespaceFor(ResourceType type, string ns) => type.Namespaced ? ns : "";

    private static IReadOnlyList<V1OwnerReference> OwnerReferences(JsonNode? json) =>
        json is JsonArray list ? list.OfType<JsonObject>().Select(KubeModels.Decode<V1OwnerReference>).ToArray() : [];

    /// <summary>The strategic merge patch that drops the references to <paramref name="ownerUids"/>; the dependent's uid is its precondition.</summary>
    private static string DeleteOwnerReferencesPatch(string dependentUid, IEnumerable<string> ownerUids) =>
        new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["ownerReferences"] = new JsonArray(ownerUids.Select(u => (JsonNode?)new JsonObject { ["$patch"] = "delete", ["uid"] = u }).ToArray()),
                ["uid"] = dependentUid,
            },
        }.ToJsonString();

    /// <summary>The patch setting blockOwnerDeletion=false on every blocking reference the graph knows of the item.</summary>
    private static string? UnblockOwnerReferencesPatch(NodeView item)
    {
        var blocking = item.Owners.Where(o => o.BlockOwnerDeletion == true).ToArray();
        if (blocking.Length == 0) return null;
        var refs = blocking.Select(o =>
        {
            var r = KubeModels.ToJsonObject(o);
            r["blockOwnerDeletion"] = false;
            return (JsonNode?)r;
        }).ToArray();
        return new JsonObject { ["metadata"] = new JsonObject { ["ownerReferences"] = new JsonArray(refs), ["uid"] = item.Identity.Uid } }.ToJsonString();
    }

    private enum Outcome { Done, VirtualDeleteEnqueued }

    /// <summary>A worker found that an object the graph knows does not exist: the graph builder removes it.</summary>
    private sealed record VirtualDeleteEvent(ObjectReference Identity);

    /// <summary>Workers ask the actor to queue these uids on attemptToDelete (only the actor touches the queues).</summary>
    private sealed record AttemptToDeleteItems(IReadOnlyList<string> Uids);

    private sealed class NamespacedOwnerOfClusterScopedObject : Exception;
}

/// <summary>An ownerReference names a kind the API server does not serve (restMappingError); the item is retried.</summary>
public sealed class RestMappingException(string? apiVersion, string? kind)
    : Exception($"unable to get REST mapping for kind: {kind}, version: {apiVersion}");
