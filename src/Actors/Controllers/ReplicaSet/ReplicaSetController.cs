using Akka.Actor;
using Akka.Event;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Selectors;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Informers;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.ReplicaSet;

/// <summary>kube-controller-manager's ReplicaSet controller (--concurrent-replicaset-syncs=5).</summary>
public sealed class ReplicaSetController(ControllerContext context, int workers = ReplicaSetController.Workers)
    : ReplicaManager<V1ReplicaSet>(context, ReplicaSetOwner.Instance, workers)
{
    public const int Workers = 5;

    public static Props Props(ControllerContext context, int workers = Workers) =>
        Akka.Actor.Props.Create(() => new ReplicaSetController(context, workers));
}

/// <summary>
/// The replication manager (--concurrent-rc-syncs=5): the ReplicaSet controller's code over
/// ReplicationControllers. Needs the ReplicationController resource in the ResourceCatalog.
/// </summary>
public sealed class ReplicationManager(ControllerContext context, int workers = ReplicaSetController.Workers)
    : ReplicaManager<V1ReplicationController>(context, ReplicationControllerOwner.Instance, workers)
{
    public static Props Props(ControllerContext context, int workers = ReplicaSetController.Workers) =>
        Akka.Actor.Props.Create(() => new ReplicationManager(context, workers));
}

/// <summary>
/// pkg/controller/replicaset: keeps spec.replicas active pods for every owner (a ReplicaSet or a
/// ReplicationController, through <see cref="IReplicaOwner{T}"/>):
/// <list type="bullet">
/// <item>claims its pods (adopting matching orphans, releasing pods whose labels stopped matching),
/// found through the pods' controller-uid index;</item>
/// <item>creates the missing ones from the template in slow-start batches, at most
/// <see cref="BurstReplicas"/> per sync, and deletes the surplus in <see cref="PodDeletionOrder"/>,
/// recording expectations first so that a slow watch never makes it act twice;</item>
/// <item>writes the status (counts, observedGeneration, ReplicaFailure) when it changed.</item>
/// </list>
/// An owner being deleted is left alone (the garbage collector deletes its pods).
/// </summary>
public abstract class ReplicaManager<TOwner> : Controller where TOwner : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>The most pods created or deleted for one owner in one sync.</summary>
    public const int BurstReplicas = 500;

    private readonly IReplicaOwner<TOwner> _kind;
    private readonly Indexer<TOwner> _owners;
    private readonly Indexer<V1Pod> _pods;
    private readonly UidTrackingExpectations _expectations;

    protected ReplicaManager(ControllerContext context, IReplicaOwner<TOwner> kind, int workers)
        : base(context, kind.ControllerName, workers)
    {
        _kind = kind;
        _expectations = new UidTrackingExpectations(Time);
        var owners = Informers.For<TOwner>();
        var pods = Informers.For<V1Pod>();
        _owners = owners.Indexer;
        _pods = pods.Indexer;
        Handle(owners, added: Enqueue, updated: UpdateOwner, deleted: DeleteOwner);
        Handle(pods, added: AddPod, updated: UpdatePod, deleted: DeletePod);
    }

    // ---- event handlers (on the actor) ----

    private void UpdateOwner(TOwner old, TOwner cur)
    {
        // A replacement under the same name: the old one's expectations must not hold up the new one.
        if (old.Metadata.Uid != cur.Metadata.Uid) DeleteOwner(old);
        Enqueue(cur);
    }

    private void DeleteOwner(TOwner owner)
    {
        var key = KubeModels.Key(owner);
        _expectations.DeleteExpectations(key);
        Enqueue(key);
    }

    private void AddPod(V1Pod pod)
    {
        if (KubeModels.IsDeleting(pod))
        {
            // After a restart a pod may show up already being deleted: not a creation to observe.
            DeletePod(pod);
            return;
        }
        if (KubeModels.ControllerOf(pod) is { } controllerRef)
        {
            if (Resolve(pod.Metadata.NamespaceProperty, controllerRef) is not { } owner) return;
            var key = KubeModels.Key(owner);
            _expectations.CreationObserved(key);
            Enqueue(key);
            return;
        }
        // An orphan: whoever selects it may adopt it. No expectation waits for an orphan.
        foreach (var owner in OwnersSelecting(pod)) Enqueue(owner);
    }

    private void UpdatePod(V1Pod old, V1Pod cur)
    {
        if (old.Metadata.ResourceVersion == cur.Metadata.ResourceVersion) return; // a resync
        var labelsChanged = !SameLabels(old.Metadata.Labels, cur.Metadata.Labels);
        if (KubeModels.IsDeleting(cur))
        {
            // A graceful deletion started: replace the pod now, not when the kubelet is done with it.
            DeletePod(cur);
            if (labelsChanged) DeletePod(old);
            return;
        }

        var curRef = KubeModels.ControllerOf(cur);
        var oldRef = KubeModels.ControllerOf(old);
        var refChanged = !SameRef(curRef, oldRef);
        if (refChanged && oldRef is not null && Resolve(old.Metadata.NamespaceProperty, oldRef) is { } previous) Enqueue(previous);

        if (curRef is not null)
        {
            if (Resolve(cur.Metadata.NamespaceProperty, curRef) is not { } owner) return;
            Enqueue(owner);
            // The pod turned ready: it becomes available after minReadySeconds (and a second against skew).
            var minReady = _kind.MinReadySeconds(owner);
            if (!PodStates.IsReady(old) && PodStates.IsReady(cur) && minReady > 0)
                EnqueueAfter(KubeModels.Key(owner), TimeSpan.FromSeconds(minReady + 1));
            return;
        }

        if (labelsChanged || refChanged)
            foreach (var owner in OwnersSelecting(cur)) Enqueue(owner);
    }

    private void DeletePod(V1Pod pod)
    {
        if (KubeModels.ControllerOf(pod) is not { } controllerRef) return; // nobody waits for an orphan
        if (Resolve(pod.Metadata.NamespaceProperty, controllerRef) is not { } owner) return;
        var key = KubeModels.Key(owner);
        _expectations.DeletionObserved(key, KubeModels.Key(pod));
        Enqueue(key);
    }

    /// <summary>resolveControllerRef: the owner a controllerRef names, if it is of our kind and still the same object.</summary>
    private TOwner? Resolve(string? ns, V1OwnerReference controllerRef)
    {
        if (controllerRef.Kind != _kind.Kind) return null;
        var owner = _owners.Get(ns, controllerRef.Name);
        return owner is not null && owner.Metadata.Uid == controllerRef.Uid ? owner : null;
    }

    /// <summary>The owners of the pod's namespace whose selector matches it (GetPodReplicaSets).</summary>
    private IEnumerable<TOwner> OwnersSelecting(V1Pod pod)
    {
        foreach (var owner in _owners.InNamespace(pod.Metadata.NamespaceProperty ?? ""))
        {
            LabelSelector? selector;
            try { selector = _kind.Selector(owner); }
            catch (FormatException) { continue; }
            // An empty selector would select every pod of the namespace: a ReplicaSet never adopts with one.
            if (selector is null || selector.IsEmpty) continue;
            if (selector.Matches(pod.Metadata.Labels)) yield return owner;
        }
    }

    private static bool SameLabels(IDictionary<string, string>? a, IDictionary<string, string>? b)
    {
        if ((a?.Count ?? 0) != (b?.Count ?? 0)) return false;
        if (a is null || b is null) return true;
        foreach (var (k, v) in a)
            if (!b.TryGetValue(k, out var w) || w != v) return false;
        return true;
    }

    private static bool SameRef(V1OwnerReference? a, V1OwnerReference? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.Uid == b.Uid && a.Name == b.Name && a.Kind == b.Kind && a.ApiVersion == b.ApiVersion
              && a.Controller == b.Controller && a.BlockOwnerDeletion == b.BlockOwnerDeletion;

    // ---- sync (on a worker) ----

    protected override async Task<SyncResult> Sync(string key)
    {
        var owner = _owners.Get(key);
        if (owner is null)
        {
            _expectations.DeleteExpectations(key);
            return SyncResult.Done;
        }

        var needsManage = _expectations.SatisfiedExpectations(key);
        LabelSelector? selector;
        try
        {
            selector = _kind.Selector(owner);
        }
        catch (FormatException e)
        {
            Log.Warning("{0}: {1} {2} has a selector that does not parse: {3}", Name, _kind.Kind, key, e.Message);
            return SyncResult.Done;
        }

        // Our pods and the orphans we may adopt; pods of other controllers are none of our business.
        var ns = owner.Metadata.NamespaceProperty ?? "";
        var candidates = _pods.ByIndex(Indexers.ControllerUid, owner.Metadata.Uid)
            .Concat(_pods.ByIndex(Indexers.ControllerUid, Indexers.Orphans(ns)))
            .Where(PodStates.IsActive);
        var refs = new ControllerRefManager<V1Pod>(Api, owner, ControllerRefs.For(owner, _kind.ApiVersion, _kind.Kind), selector,
            ControllerRefs.RecheckOwner(Api, owner));
        var pods = await refs.Claim(candidates);

        Exception? manageError = null;
        if (needsManage && !KubeModels.IsDeleting(owner)) manageError = await Manage(key, owner, pods);

        var replicas = _kind.Replicas(owner);
        var minReady = _kind.MinReadySeconds(owner);
        var status = ReplicaStatuses.Calculate(_kind.Status(owner), _kind.Template(owner), replicas, minReady, pods, manageError, Time.GetUtcNow());
        var updated = await UpdateStatus(owner, status);

        if (manageError is not null) throw manageError; // logged, and retried with back-off
        // The last line of defence against clock skew: look again once the ready pods should be available.
        var now = _kind.Status(updated);
        if (minReady > 0 && now.ReadyReplicas == _kind.Replicas(updated) && now.AvailableReplicas != _kind.Replicas(updated))
            return SyncResult.After(TimeSpan.FromSeconds(minReady));
        return SyncResult.Done;
    }

    /// <summary>manageReplicas: creates or deletes pods towards spec.replicas. Returns the first error met.</summary>
    private async Task<Exception?> Manage(string key, TOwner owner, IReadOnlyList<V1Pod> pods)
    {
        var diff = pods.Count - _kind.Replicas(owner);
        if (diff < 0)
        {
            var count = Math.Min(-diff, BurstReplicas);
            _expectations.ExpectCreations(key, count);
            var (successes, error) = await SlowStart.Batch(count, 1, () => CreatePod(owner));
            // The pods never attempted will not show up: do not wait for them (the next sync tries again).
            if (count - successes > 0) _expectations.LowerExpectations(key, count - successes, 0);
            return error;
        }
        if (diff > 0)
        {
            var count = Math.Min(diff, BurstReplicas);
            var doomed = PodDeletionOrder.PodsToDelete(pods, RelatedPods(owner), count, Time.GetUtcNow());
            // Expected by key, so each is counted once whether seen as a deletionTimestamp or as a delete.
            _expectations.ExpectDeletions(key, doomed.Select(p => KubeModels.Key(p)).ToArray());
            var errors = await Task.WhenAll(doomed.Select(pod => DeletePod(key, owner, pod)));
            return errors.FirstOrDefault(e => e is not null);
        }
        return null;
    }

    /// <summary>RealPodControl.CreatePods: a pod from the template, named by the API server after the owner.</summary>
    private async Task CreatePod(TOwner owner)
    {
        var template = _kind.Template(owner) ?? new V1PodTemplateSpec();
        var pod = PodTemplates.PodFrom(template, owner.Metadata.NamespaceProperty ?? "", owner.Metadata.Name,
            ControllerRefs.For(owner, _kind.ApiVersion, _kind.Kind));
        if (pod.Metadata.Labels is not { Count: > 0 }) throw new InvalidOperationException("unable to create pods, no labels");
        await PodControl.Create(Api, Recorder, owner, pod);
    }

    private async Task<Exception?> DeletePod(string key, TOwner owner, V1Pod pod)
    {
        var outcome = await PodControl.Delete(Api, Recorder, owner, pod.Metadata.NamespaceProperty ?? "", pod.Metadata.Name);
        if (!outcome.Deleted) _expectations.DeletionObserved(key, KubeModels.Key(pod));
        return outcome.Error;
    }

    /// <summary>
    /// getIndirectlyRelatedPods: the pods of every owner with the same controller (the ReplicaSets
    /// of one Deployment), used to rank pods by how crowded their node is. An owner without a
    /// controller has none, as in Kubernetes.
    /// </summary>
    private IReadOnlyList<V1Pod> RelatedPods(TOwner owner)
    {
        if (KubeModels.ControllerOf(owner) is not { } controllerRef) return [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var related = new List<V1Pod>();
        var ns = owner.Metadata.NamespaceProperty ?? "";
        foreach (var sibling in _owners.ByIndex(Indexers.ControllerUid, controllerRef.Uid))
        {
            LabelSelector? selector;
            try { selector = _kind.Selector(sibling); }
            catch (FormatException) { continue; }
            if (selector is null) continue;
            var pods = _pods.ByIndex(Indexers.ControllerUid, sibling.Metadata.Uid)
                .Concat(_pods.ByIndex(Indexers.ControllerUid, Indexers.Orphans(ns)));
            foreach (var pod in pods)
                if (selector.Matches(pod.Metadata.Labels) && seen.Add(pod.Metadata.Uid)) related.Add(pod);
        }
        return related;
    }

    /// <summary>updateReplicaSetStatus: a PUT of /status when something changed, retried once on a fresh read.</summary>
    private async Task<TOwner> UpdateStatus(TOwner owner, ReplicaStatus status)
    {
        var generation = owner.Metadata.Generation ?? 0;
        var current = _kind.Status(owner);
        if (generation == current.ObservedGeneration && status.Equivalent(current)) return owner;
        status = status with { ObservedGeneration = generation };
        var target = owner;
        for (var attempt = 0; ; attempt++)
        {
            var result = await Api.UpdateStatus(_kind.WithStatus(target, status));
            if (result.Ok || attempt >= 1) return result.Object;
            var fresh = await Api.Get<TOwner>(owner.Metadata.NamespaceProperty ?? "", owner.Metadata.Name);
            target = fresh.Object;
        }
    }
}
