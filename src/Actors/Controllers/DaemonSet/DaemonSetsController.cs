using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Selectors;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Controllers.ReplicaSet;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.DaemonSet;

/// <summary>
/// pkg/controller/daemon (--concurrent-daemonset-syncs=2): one pod of every DaemonSet on every node
/// that should run it (<see cref="NodeEligibility"/>), placed by the default scheduler through a
/// node-affinity term naming the node; failed pods replaced with back-off; pods of the previous
/// templates replaced by the update strategy (<see cref="RollingUpdate"/>, or OnDelete: only when the
/// user deletes them); the template's history kept as ControllerRevisions (<see cref="DaemonSetHistory"/>);
/// the status counted node by node (<see cref="DaemonSetStatuses"/>).
/// <para>
/// Event handlers stay O(what changed): a pod event wakes its owner; a node event evaluates the
/// (few) DaemonSets for that one node and wakes those whose verdict changed; a node heartbeat that
/// changes nothing a DaemonSet reads is ignored. A sync itself looks at every node, as Kubernetes'.
/// </para>
/// </summary>
public sealed partial class DaemonSetsController : Controller
{
    public const string ControllerName = "daemonset-controller";
    public const int Workers = 2;

    /// <summary>The most pods created or deleted for one DaemonSet in one sync.</summary>
    public const int BurstReplicas = 250;

    private readonly Indexer<V1DaemonSet> _sets;
    private readonly Indexer<V1Pod> _pods;
    private readonly Indexer<V1Node> _nodes;
    private readonly DaemonSetHistory _history;
    private readonly UidTrackingExpectations _expectations;
    private readonly FailedPodsBackoff _failedPodsBackoff;

    public DaemonSetsController(ControllerContext context, int workers = Workers, FailedPodsBackoff? failedPodsBackoff = null)
        : base(context, ControllerName, workers)
    {
        _expectations = new UidTrackingExpectations(Time);
        _failedPodsBackoff = failedPodsBackoff ?? FailedPodsBackoff.Default();
        var sets = Informers.For<V1DaemonSet>();
        var revisions = Informers.For<V1ControllerRevision>();
        var pods = Informers.For<V1Pod>();
        var nodes = Informers.For<V1Node>();
        _sets = sets.Indexer;
        _pods = pods.Indexer;
        _nodes = nodes.Indexer;
        _history = new DaemonSetHistory(Api, revisions.Indexer);

        Handle(sets, added: Enqueue, updated: UpdateDaemonSet, deleted: DeleteDaemonSet);
        Handle(revisions, added: AddHistory, updated: UpdateHistory, deleted: DeleteHistory);
        Handle(pods, added: AddPod, updated: UpdatePod, deleted: DeletePod);
        Handle(nodes, added: AddNode, updated: UpdateNode, deleted: DeleteNode);
    }

    public static Props Props(ControllerContext context, int workers = Workers, FailedPodsBackoff? failedPodsBackoff = null) =>
        Akka.Actor.Props.Create(() => new DaemonSetsController(context, workers, failedPodsBackoff));

    // ---- DaemonSets ----

    private void UpdateDaemonSet(V1DaemonSet old, V1DaemonSet cur)
    {
        // Replaced under the same name: the old one's expectations must not hold up the new one.
        if (old.Metadata.Uid != cur.Metadata.Uid) DeleteDaemonSet(old);
        Enqueue(cur);
    }

    private void DeleteDaemonSet(V1DaemonSet ds)
    {
        var key = KubeModels.Key(ds);
        _expectations.DeleteExpectations(key);
        _failedPodsBackoff.Forget(ds.Metadata.Uid);
        Enqueue(key);
    }

    // ---- ControllerRevisions ----

    private void AddHistory(V1ControllerRevision history)
    {
        if (KubeModels.IsDeleting(history))
        {
            DeleteHistory(history);
            return;
        }
        // Ours: nothing to do (we created it). An orphan: whoever selects it may adopt it.
        if (KubeModels.ControllerOf(history) is not null) return;
        foreach (var ds in SetsSelecting(history.Metadata.NamespaceProperty, history.Metadata.Labels)) Enqueue(ds);
    }

    private void UpdateHistory(V1ControllerRevision old, V1ControllerRevision cur)
    {
        if (old.Metadata.ResourceVersion == cur.Metadata.ResourceVersion) return;
        var curRef = KubeModels.ControllerOf(cur);
        var oldRef = KubeModels.ControllerOf(old);
        var refChanged = !SameRef(curRef, oldRef);
        if (refChanged && oldRef is not null && Resolve(old.Metadata.NamespaceProperty, oldRef) is { } previous) Enqueue(previous);
        if (curRef is not null)
        {
            if (Resolve(cur.Metadata.NamespaceProperty, curRef) is { } ds) Enqueue(ds);
            return;
        }
        if (refChanged || !SameLabels(old.Metadata.Labels, cur.Metadata.Labels))
            foreach (var ds in SetsSelecting(cur.Metadata.NamespaceProperty, cur.Metadata.Labels)) Enqueue(ds);
    }

    private void DeleteHistory(V1ControllerRevision history)
    {
        if (KubeModels.ControllerOf(history) is { } controllerRef && Resolve(history.Metadata.NamespaceProperty, controllerRef) is { } ds)
            Enqueue(ds);
    }

    // ---- Pods ----

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
            if (Resolve(pod.Metadata.NamespaceProperty, controllerRef) is not { } ds) return;
            var key = KubeModels.Key(ds);
            _expectations.CreationObserved(key);
            Enqueue(key);
            return;
        }
        foreach (var ds in SetsSelecting(pod.Metadata.NamespaceProperty, pod.Metadata.Labels)) Enqueue(ds);
    }

    private void UpdatePod(V1Pod old, V1Pod cur)
    {
        if (old.Metadata.ResourceVersion == cur.Metadata.ResourceVersion) return; // a resync
        if (KubeModels.IsDeleting(cur))
        {
            // A graceful deletion started: the DaemonSet learns now, not when the kubelet is done.
            DeletePod(cur);
            return;
        }
        var curRef = KubeModels.ControllerOf(cur);
        var oldRef = KubeModels.ControllerOf(old);
        var refChanged = !SameRef(curRef, oldRef);
        if (refChanged && oldRef is not null && Resolve(old.Metadata.NamespaceProperty, oldRef) is { } previous) Enqueue(previous);

        if (curRef is not null)
        {
            if (Resolve(cur.Metadata.NamespaceProperty, curRef) is not { } ds) return;
            Enqueue(ds);
            // Turned ready: available after minReadySeconds (and a second against skew).
            var minReady = ds.Spec?.MinReadySeconds ?? 0;
            if (!PodStates.IsReady(old) && PodStates.IsReady(cur) && minReady > 0)
                EnqueueAfter(KubeModels.Key(ds), TimeSpan.FromSeconds(minReady + 1));
            return;
        }
        if (refChanged || !SameLabels(old.Metadata.Labels, cur.Metadata.Labels))
            foreach (var ds in SetsSelecting(cur.Metadata.NamespaceProperty, cur.Metadata.Labels)) Enqueue(ds);
    }

    private void DeletePod(V1Pod pod)
    {
        if (KubeModels.ControllerOf(pod) is not { } controllerRef) return; // nobody waits for an orphan
        if (Resolve(pod.Metadata.NamespaceProperty, controllerRef) is not { } ds) return;
        var key = KubeModels.Key(ds);
        _expectations.DeletionObserved(key, KubeModels.Key(pod));
        Enqueue(key);
    }

    // ---- Nodes: the few DaemonSets, for this one node ----

    private void AddNode(V1Node node)
    {
        foreach (var ds in _sets.List())
            if (NodeEligibility.ShouldRun(node, ds).ShouldRun) Enqueue(ds);
    }

    private void UpdateNode(V1Node old, V1Node cur)
    {
        if (NodeEligibility.SameForDaemons(old, cur)) return; // a heartbeat
        foreach (var ds in _sets.List())
            if (NodeEligibility.ShouldRun(old, ds) != NodeEligibility.ShouldRun(cur, ds)) Enqueue(ds);
    }

    /// <summary>
    /// Kubernetes leaves a deleted node's pods to the pod GC and notices the node at the next sync;
    /// here the DaemonSets that had a pod there, or wanted one, sync at once (status, and pods still
    /// waiting for the node to be scheduled, which no pod GC collects).
    /// </summary>
    private void DeleteNode(V1Node node)
    {
        var owners = _pods.ByIndex(Indexers.NodeName, node.Metadata.Name)
            .Select(KubeModels.ControllerOf).Where(r => r?.Kind == DaemonSetHistory.Kind).Select(r => r!.Uid)
            .ToHashSet(StringComparer.Ordinal);
        foreach (var ds in _sets.List())
            if (owners.Contains(ds.Metadata.Uid) || NodeEligibility.ShouldRun(node, ds).ShouldContinueRunning) Enqueue(ds);
    }

    // ---- lookups ----

    /// <summary>resolveControllerRef: the DaemonSet a controllerRef names, if it is still the same object.</summary>
    private V1DaemonSet? Resolve(string? ns, V1OwnerReference controllerRef)
    {
        if (controllerRef.Kind != DaemonSetHistory.Kind) return null;
        var ds = _sets.Get(ns, controllerRef.Name);
        return ds is not null && ds.Metadata.Uid == controllerRef.Uid ? ds : null;
    }

    /// <summary>GetPodDaemonSets / GetHistoryDaemonSets: the DaemonSets of the namespace whose selector matches.</summary>
    private IEnumerable<V1DaemonSet> SetsSelecting(string? ns, IDictionary<string, string>? labels)
    {
        foreach (var ds in _sets.InNamespace(ns ?? ""))
        {
            LabelSelector? selector;
            try { selector = LabelSelectors.FromModel(ds.Spec?.Selector); }
            catch (FormatException) { continue; }
            // An empty selector would select everything: a DaemonSet never adopts with one.
            if (selector is null || selector.IsEmpty) continue;
            if (selector.Matches(labels)) yield return ds;
        }
    }

    private static bool SameLabels(IDictionary<string, string>? a, IDictionary<string, string>? b)
    {
        if ((a?.Count ?? 0) != (b?.Count ?? 0)) return false;
        if (a is null || b is null) return true;
        return a.All(p => b.TryGetValue(p.Key, out var v) && v == p.Value);
    }

    private static bool SameRef(V1OwnerReference? a, V1OwnerReference? b) =>
        a is null || b is null
            ? a is null && b is null
            : a.Uid == b.Uid && a.Name == b.Name && a.Kind == b.Kind && a.ApiVersion == b.ApiVersion
              && a.Controller == b.Controller && a.BlockOwnerDeletion == b.BlockOwnerDeletion;
}
