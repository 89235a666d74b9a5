using Akka.Actor;
using Akka.Event;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Selectors;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Controllers.ReplicaSet;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.StatefulSet;

/// <summary>
/// kube-controller-manager's StatefulSet controller (pkg/controller/statefulset, --concurrent-statefulset-syncs=5):
/// pods with a stable identity (&lt;set&gt;-&lt;ordinal&gt;, hostname and subdomain) and stable storage
/// (a claim per volumeClaimTemplate and ordinal, created before the pod and kept across its
/// replacements), created and deleted in ordinal order (OrderedReady) or all at once (Parallel),
/// updated from the highest ordinal down (RollingUpdate with partition) or on deletion (OnDelete),
/// with the template history in ControllerRevisions. At most one pod per ordinal exists at any
/// time: a replacement is created only once the informer shows the old pod object gone.
/// </summary>
public sealed class StatefulSetController : Controller
{
    public const string ControllerName = "statefulset-controller";

    private readonly Indexer<V1StatefulSet> _sets;
    private readonly Indexer<V1Pod> _pods;
    private readonly StatefulSetExpectations _expectations;
    private readonly StatefulSetControl _control;
    private readonly StatefulSetRevisions _revisions;

    /// <param name="maxUnavailableEnabled">The MaxUnavailableStatefulSet feature gate (alpha, off in 1.32): rollingUpdate.maxUnavailable is honoured.</param>
    public StatefulSetController(ControllerContext context, bool maxUnavailableEnabled = false) : base(context, ControllerName, workers: 5)
    {
        var sets = Informers.For<V1StatefulSet>();
        var pods = Informers.For<V1Pod>();
        var claims = Informers.For<V1PersistentVolumeClaim>();
        var revisions = Informers.For<V1ControllerRevision>();
        _sets = sets.Indexer;
        _pods = pods.Indexer;
        _expectations = new StatefulSetExpectations(Time);
        _revisions = new StatefulSetRevisions(Api, revisions.Indexer);
        _control = new StatefulSetControl(new StatefulPodControl(Api, Recorder, _pods, claims.Indexer), _revisions,
            new StatefulSetStatusUpdater(Api, _sets), _expectations, Time, maxUnavailableEnabled);

        Handle(sets, added: Enqueue, updated: UpdateSet, deleted: DeleteSet);
        Handle(pods, added: AddPod, updated: UpdatePod, deleted: DeletePod);
        // Read from caches. Unlike Kubernetes ("TODO: Watch volumes"), a deleted claim wakes the sets selecting
        // it: a pod held back by its stale claim (whenScaled Delete) is created as soon as the garbage collector is done.
        Handle(claims, deleted: DeleteClaim);
        Handle(revisions);
    }

    public static Props Props(ControllerContext context, bool maxUnavailableEnabled = false) =>
        Akka.Actor.Props.Create(() => new StatefulSetController(context, maxUnavailableEnabled));

    // ---- event handlers (on the actor) ----

    private void UpdateSet(V1StatefulSet old, V1StatefulSet cur)
    {
        if (old.Metadata.Uid != cur.Metadata.Uid) DeleteSet(old);
        Enqueue(cur);
    }

    private void DeleteSet(V1StatefulSet set)
    {
        _expectations.DeleteExpectations(KubeModels.Key(set));
        Enqueue(set);
    }

    private void AddPod(V1Pod pod)
    {
        if (KubeModels.IsDeleting(pod))
        {
            // Seen for the first time already being deleted (a restart): not a creation.
            DeletePod(pod);
            return;
        }
        if (KubeModels.ControllerOf(pod) is { } controllerRef)
        {
            if (Resolve(pod.Metadata.NamespaceProperty, controllerRef) is not { } set) return;
            _expectations.CreationObserved(KubeModels.Key(set), pod.Metadata.Name);
            Enqueue(set);
            return;
        }
        foreach (var set in SetsSelecting(pod)) Enqueue(set);
    }

    private void UpdatePod(V1Pod old, V1Pod cur)
    {
        if (old.Metadata.ResourceVersion == cur.Metadata.ResourceVersion) return; // a resync
        var curRef = KubeModels.ControllerOf(cur);
        var oldRef = KubeModels.ControllerOf(old);
        var refChanged = curRef?.Uid != oldRef?.Uid;
        if (refChanged && oldRef is not null && Resolve(old.Metadata.NamespaceProperty, oldRef) is { } previous) Enqueue(previous);
        if (curRef is not null)
        {
            if (Resolve(cur.Metadata.NamespaceProperty, curRef) is not { } set) return;
            var key = KubeModels.Key(set);
            _expectations.CreationObserved(key, cur.Metadata.Name);
            if (KubeModels.IsDeleting(cur)) _expectations.DeletionObserved(key, cur.Metadata.Uid);
            Enqueue(set);
            // It turned ready: it becomes available after minReadySeconds (and a second against skew).
            var minReady = set.Spec?.MinReadySeconds ?? 0;
            if (!PodStates.IsReady(old) && PodStates.IsReady(cur) && minReady > 0)
                EnqueueAfter(key, TimeSpan.FromSeconds(minReady + 1));
            return;
        }
        if (refChanged || !SameLabels(old.Metadata.Labels, cur.Metadata.Labels))
            foreach (var set in SetsSelecting(cur)) Enqueue(set);
    }

    private void DeletePod(V1Pod pod)
    {
        if (KubeModels.ControllerOf(pod) is not { } controllerRef) return;
        if (Resolve(pod.Metadata.NamespaceProperty, controllerRef) is not { } set) return;
        _expectations.DeletionObserved(KubeModels.Key(set), pod.Metadata.Uid);
        Enqueue(set);
    }

    private void DeleteClaim(V1PersistentVolumeClaim claim)
    {
        foreach (var set in SetsSelecting(claim.Metadata.NamespaceProperty, claim.Metadata.Labels)) Enqueue(set);
    }

    /// <summary>resolveControllerRef: the set a controllerRef names, if it is a StatefulSet and still the same object.</summary>
    private V1StatefulSet? Resolve(string? ns, V1OwnerReference controllerRef)
    {
        if (controllerRef.Kind != "StatefulSet") return null;
        var set = _sets.Get(ns, controllerRef.Name);
        return set is not null && set.Metadata.Uid == controllerRef.Uid ? set : null;
    }

    /// <summary>getStatefulSetsForPod: the sets of the pod's namespace whose (non-empty) selector matches an orphan.</summary>
    private IEnumerable<V1StatefulSet> SetsSelecting(V1Pod pod) => SetsSelecting(pod.Metadata.NamespaceProperty, pod.Metadata.Labels);

    private IEnumerable<V1StatefulSet> SetsSelecting(string? ns, IDictionary<string, string>? labels)
    {
        foreach (var set in _sets.InNamespace(ns ?? ""))
        {
            LabelSelector? selector;
            try { selector = LabelSelectors.FromModel(set.Spec?.Selector); }
            catch (FormatException) { continue; }
            if (selector is null || selector.IsEmpty) continue;
            if (selector.Matches(labels)) yield return set;
        }
    }

    private static bool SameLabels(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a is null || a.All(p => b!.TryGetValue(p.Key, out var v) && v == p.Value));

    // ---- sync (on a worker) ----

    /// <summary>sync: adopt orphan revisions, claim the pods, run one pass of <see cref="StatefulSetControl"/>.</summary>
    protected override async Task<SyncResult> Sync(string key)
    {
        var cached = _sets.Get(key);
        if (cached?.Spec is null)
        {
            _expectations.DeleteExpectations(key);
            return SyncResult.Done;
        }
        // Our own writes have not all shown yet: the informer event that shows them brings us back.
        if (!_expectations.Satisfied(key)) return SyncResult.After(ControllerExpectations.Timeout);

        LabelSelector? selector;
        try
        {
            selector = LabelSelectors.FromModel(cached.Spec.Selector);
        }
        catch (FormatException e)
        {
            // Not transient: no retry.
            Log.Warning("{0}: error converting StatefulSet {1} selector: {2}", Name, key, e.Message);
            return SyncResult.Done;
        }
        if (selector is null) return SyncResult.Done;

        try
        {
            await _revisions.AdoptOrphans(cached, selector);
            var pods = await GetPodsForStatefulSet(cached, selector);
            var status = await _control.UpdateStatefulSet(cached, selector, pods);
            // One more pass once the ready pods should be available (clock skew, and the status of available replicas).
            var minReady = cached.Spec.MinReadySeconds ?? 0;
            if (minReady > 0 && status is not null && status.AvailableReplicas != StatefulSetUtils.Replicas(cached))
                return SyncResult.After(TimeSpan.FromSeconds(minReady));
            return SyncResult.Done;
        }
        catch (ApiException e) when (e.Status.Code == 403 && e.Status.Message.Contains("is being terminated", StringComparison.Ordinal))
        {
            return SyncResult.Done; // the namespace is going away: every create fails, nothing to retry
        }
    }

    /// <summary>
    /// getPodsForStatefulSet: our pods and the orphans of the namespace, through the controller-uid index,
    /// claimed with a ControllerRefManager; only pods named after the set are ever claimed.
    /// </summary>
    private async Task<List<V1Pod>> GetPodsForStatefulSet(V1StatefulSet set, LabelSelector selector)
    {
        var ns = set.Metadata.NamespaceProperty ?? "";
        var candidates = _pods.ByIndex(Indexers.ControllerUid, set.Metadata.Uid)
            .Concat(_pods.ByIndex(Indexers.ControllerUid, Indexers.Orphans(ns)).Where(p => StatefulSetUtils.IsMemberOf(set, p)));
        var manager = new ControllerRefManager<V1Pod>(Api, set, ControllerRefs.For(set, "apps/v1", "StatefulSet"), selector,
            ControllerRefs.RecheckOwner(Api, set));
        return await manager.Claim(candidates);
    }
}
