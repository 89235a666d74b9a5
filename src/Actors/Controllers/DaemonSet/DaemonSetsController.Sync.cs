using System.Collections.Concurrent;
using Akka.Event;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Selectors;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.DaemonSet;

public sealed partial class DaemonSetsController
{
    public const string SelectingAllReason = "SelectingAll";
    public const string FailedDaemonPodReason = "FailedDaemonPod";
    public const string SucceededDaemonPodReason = "SucceededDaemonPod";

    /// <summary>syncDaemonSet: history first, then pods (unless earlier creates and deletes are still unseen), then status.</summary>
    protected override async Task<SyncResult> Sync(string key)
    {
        var ds = _sets.Get(key);
        if (ds is null)
        {
            _expectations.DeleteExpectations(key);
            return SyncResult.Done;
        }
        LabelSelector? selector;
        try
        {
            selector = LabelSelectors.FromModel(ds.Spec?.Selector);
        }
        catch (FormatException e)
        {
            Log.Warning("{0}: DaemonSet {1} has a selector that does not parse: {2}", Name, key, e.Message);
            return SyncResult.Done;
        }
        if (selector is null || selector.IsEmpty)
        {
            await Recorder.Event(ds, EventRecorder.Warning, SelectingAllReason, "This daemon set is selecting all pods. A non-empty selector is required.");
            return SyncResult.Done;
        }
        // Being deleted: its revisions may be gone or orphaned already, so no status can be trusted.
        if (KubeModels.IsDeleting(ds) || ds.Spec?.Template is null) return SyncResult.Done;

        var nodes = _nodes.List();
        var (current, old) = await _history.Construct(ds, selector, () => DaemonPodsOf(ds, selector));
        var hash = DaemonSetHistory.HashOf(current);
        var requeue = new Requeue();

        if (!_expectations.SatisfiedExpectations(key))
        {
            // Only the counts: this sync did not act on the DaemonSet's generation.
            await UpdateStatus(ds, selector, nodes, hash, observeGeneration: false, requeue);
            return requeue.Result;
        }

        Exception? error = null;
        try
        {
            await UpdatePods(key, ds, selector, nodes, hash, old, requeue);
        }
        catch (Exception e)
        {
            error = e;
        }
        try
        {
            await UpdateStatus(ds, selector, nodes, hash, observeGeneration: true, requeue);
        }
        catch (Exception statusError) when (error is not null)
        {
            Log.Warning("{0}: failed to update the status of {1}: {2}", Name, key, statusError.Message);
        }
        if (error is not null) throw error; // logged, and retried with back-off
        return requeue.Result;
    }

    /// <summary>updateDaemonSet: manage, then one rolling-update step when nothing is pending, then history cleanup.</summary>
    private async Task UpdatePods(string key, V1DaemonSet ds, LabelSelector selector, IReadOnlyList<V1Node> nodes, string hash,
        List<V1ControllerRevision> old, Requeue requeue)
    {
        await Manage(key, ds, selector, nodes, hash, requeue);

        if (_expectations.SatisfiedExpectations(key) && RollingUpdate.IsRollingUpdate(ds))
        {
            var byNode = NodesToDaemonPods(await DaemonPodsOf(ds, selector), includeDeletedTerminal: false);
            var verdicts = nodes.Select(n => (n, NodeEligibility.ShouldRun(n, ds).ShouldRun)).ToList();
            var step = RollingUpdate.Plan(ds, verdicts, byNode, hash, Time.GetUtcNow());
            await SyncNodes(key, ds, step.PodsToDelete, step.NodesToCreate, hash);
        }

        var all = await DaemonPodsOf(ds, selector);
        await _history.Cleanup(ds, old, NodesToDaemonPods(all, includeDeletedTerminal: true).Values.SelectMany(p => p));
    }

    /// <summary>
    /// manage: node by node, what should be there (<see cref="PodsShouldBeOnNode"/>), plus the
    /// unscheduled pods waiting for a node that no longer exists (no pod GC will collect them).
    /// </summary>
    private async Task Manage(string key, V1DaemonSet ds, LabelSelector selector, IReadOnlyList<V1Node> nodes, string hash, Requeue requeue)
    {
        var byNode = NodesToDaemonPods(await DaemonPodsOf(ds, selector), includeDeletedTerminal: false);
        var toCreate = new List<string>();
        var toDelete = new List<string>();
        foreach (var node in nodes)
            await PodsShouldBeOnNode(ds, node, byNode, hash, toCreate, toDelete, requeue);

        var existing = nodes.Select(n => n.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var (nodeName, pods) in byNode)
            if (!existing.Contains(nodeName))
                toDelete.AddRange(pods.Where(p => string.IsNullOrEmpty(p.Spec?.NodeName)).Select(p => p.Metadata.Name));

        await SyncNodes(key, ds, toDelete, toCreate, hash);
    }

    /// <summary>podsShouldBeOnNode: the pod to create on the node, and the pods to delete there.</summary>
    private async Task PodsShouldBeOnNode(V1DaemonSet ds, V1Node node, Dictionary<string, List<V1Pod>> byNode, string hash,
        List<string> toCreate, List<string> toDelete, Requeue requeue)
    {
        var nodeName = node.Metadata.Name;
        var (shouldRun, shouldContinueRunning) = NodeEligibility.ShouldRun(node, ds);
        var exists = byNode.TryGetValue(nodeName, out var daemonPods);
        if (shouldRun && !exists)
        {
            toCreate.Add(nodeName);
            return;
        }
        if (!shouldContinueRunning)
        {
            // Not wanted here (any more): every daemon pod on the node goes.
            if (exists) toDelete.AddRange(daemonPods!.Where(p => !KubeModels.IsDeleting(p)).Select(p => p.Metadata.Name));
            return;
        }

        var running = new List<V1Pod>();
        foreach (var pod in daemonPods ?? [])
        {
            if (KubeModels.IsDeleting(pod)) continue;
            switch (pod.Status?.Phase)
            {
                case "Failed":
                {
                    // Often a kubelet rejecting the pod: deleting and recreating it must not loop hot.
                    var backoffKey = FailedPodsBackoff.Key(ds.Metadata.Uid, ds.Status?.ObservedGeneration ?? 0, nodeName);
                    var now = Time.GetUtcNow();
                    if (_failedPodsBackoff.InBackOff(backoffKey, now, out var period))
                    {
                        requeue.After(period);
                        continue;
                    }
                    _failedPodsBackoff.Next(backoffKey, now);
                    await Recorder.Event(ds, EventRecorder.Warning, FailedDaemonPodReason,
                        $"Found failed daemon pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} on node {nodeName}, will try to kill it");
                    toDelete.Add(pod.Metadata.Name);
                    break;
                }
                case "Succeeded":
                    await Recorder.Event(ds, EventRecorder.Normal, SucceededDaemonPodReason,
                        $"Found succeeded daemon pod {pod.Metadata.NamespaceProperty}/{pod.Metadata.Name} on node {nodeName}, will try to delete it");
                    toDelete.Add(pod.Metadata.Name);
                    break;
                default:
                    running.Add(pod);
                    break;
            }
        }

        running.Sort(DaemonPods.ByCreationTimestampAndPhase);
        if (!RollingUpdate.AllowsSurge(ds))
        {
            // One pod per node: the oldest stays. None left: the next sync creates one once the rest are gone.
            toDelete.AddRange(running.Skip(1).Select(p => p.Metadata.Name));
            return;
        }
        if (running.Count <= 1)
        {
            if (running.Count == 0 && shouldRun) toCreate.Add(nodeName);
            return;
        }
        // Surging: an old and a new pod may share the node while the new one is not ready and the old one is.
        var generation = DaemonPods.TemplateGeneration(ds);
        V1Pod? oldestNew = null, oldestOld = null;
        foreach (var pod in running)
        {
            if (DaemonPods.IsUpdated(pod, hash, generation))
            {
                if (oldestNew is null)
                {
                    oldestNew = pod;
                    continue;
                }
            }
            else if (oldestOld is null)
            {
                oldestOld = pod;
                continue;
            }
            toDelete.Add(pod.Metadata.Name);
        }
        if (oldestNew is not null && oldestOld is not null
            && (!ReplicaSet.PodStates.IsReady(oldestOld) || ReplicaSet.PodStates.IsAvailable(oldestNew, ds.Spec?.MinReadySeconds ?? 0, Time.GetUtcNow())))
            toDelete.Add(oldestOld.Metadata.Name);
    }

    /// <summary>
    /// syncNodes: expectations first, then the creates in slow-start batches (each pod pinned to its
    /// node by node affinity, labelled with the revision) and the deletes, at most <see cref="BurstReplicas"/> of each.
    /// </summary>
    private async Task SyncNodes(string key, V1DaemonSet ds, IReadOnlyList<string> podsToDelete, IReadOnlyList<string> nodesNeedingPods, string hash)
    {
        var creates = nodesNeedingPods.Take(BurstReplicas).ToList();
        var deletes = podsToDelete.Distinct(StringComparer.Ordinal).Take(BurstReplicas).ToList();
        var ns = ds.Metadata.NamespaceProperty ?? "";
        _expectations.ExpectDeletions(key, deletes.Select(p => KubeModels.Key(ns, p)).ToArray());
        _expectations.RaiseExpectations(key, creates.Count, 0);

        var errors = new ConcurrentQueue<Exception>();
        if (creates.Count > 0)
        {
            var template = DaemonPods.CreatePodTemplate(ds.Spec.Template, DaemonPods.TemplateGeneration(ds), hash);
            var pending = new ConcurrentQueue<string>(creates);
            var (_, error) = await SlowStart.Batch(creates.Count, 1, async () =>
            {
                if (!pending.TryDequeue(out var nodeName)) return;
                try
                {
                    await CreatePod(ds, template, nodeName);
                }
                catch (Exception)
                {
                    // The informer will not show this pod: stop waiting for it.
                    _expectations.CreationObserved(key);
                    throw;
                }
            });
            if (error is not null) errors.Enqueue(error);
            // The pods never attempted will not show up either (the next sync tries again).
            if (!pending.IsEmpty) _expectations.LowerExpectations(key, pending.Count, 0);
        }

        await Task.WhenAll(deletes.Select(async name =>
        {
            if (await DeletePod(key, ds, name) is { } error) errors.Enqueue(error);
        }));
        if (!errors.IsEmpty) throw errors.Count == 1 ? errors.First() : new AggregateException(errors);
    }

    /// <summary>RealPodControl.CreatePods: the pod from the template, named by the API server after the DaemonSet.</summary>
    private async Task CreatePod(V1DaemonSet ds, V1PodTemplateSpec template, string nodeName)
    {
        var podTemplate = KubeModels.Clone(template);
        DaemonPods.PinToNode(podTemplate.Spec, nodeName);
        var pod = PodTemplates.PodFrom(podTemplate, ds.Metadata.NamespaceProperty ?? "", ds.Metadata.Name,
            ControllerRefs.For(ds, DaemonSetHistory.ApiVersion, DaemonSetHistory.Kind));
        await PodControl.Create(Api, Recorder, ds, pod);
    }

    private async Task<Exception?> DeletePod(string key, V1DaemonSet ds, string podName)
    {
        var ns = ds.Metadata.NamespaceProperty ?? "";
        var outcome = await PodControl.Delete(Api, Recorder, ds, ns, podName);
        if (!outcome.Deleted) _expectations.DeletionObserved(key, KubeModels.Key(ns, podName));
        return outcome.Error;
    }

    /// <summary>updateDaemonSetStatus: the counts over every node, written when they changed (retried once on a fresh read).</summary>
    private async Task UpdateStatus(V1DaemonSet ds, LabelSelector selector, IReadOnlyList<V1Node> nodes, string hash, bool observeGeneration,
        Requeue requeue)
    {
        var byNode = NodesToDaemonPods(await DaemonPodsOf(ds, selector), includeDeletedTerminal: false);
        var counts = DaemonSetStatuses.Calculate(ds, nodes, byNode, hash, Time.GetUtcNow());
        // The last line of defence against clock skew: look again once the ready pods should be available.
        var minReady = ds.Spec?.MinReadySeconds ?? 0;
        if (minReady > 0 && counts.NumberReady != counts.NumberAvailable) requeue.After(TimeSpan.FromSeconds(minReady));
        if (DaemonSetStatuses.UpToDate(ds, counts)) return;

        var target = ds;
        for (var attempt = 0; ; attempt++)
        {
            var result = await Api.UpdateStatus(DaemonSetStatuses.WithCounts(target, counts, observeGeneration ? ds.Metadata.Generation : null));
            if (result.Ok) return;
            if (attempt >= 1) throw new ApiException(result.Error!);
            target = (await Api.Get<V1DaemonSet>(ds.Metadata.NamespaceProperty ?? "", ds.Metadata.Name)).Object;
        }
    }

    /// <summary>getDaemonPods: the pods the DaemonSet controls, adopting matching orphans and releasing pods relabelled away.</summary>
    private async Task<IReadOnlyList<V1Pod>> DaemonPodsOf(V1DaemonSet ds, LabelSelector selector)
    {
        var ns = ds.Metadata.NamespaceProperty ?? "";
        var candidates = _pods.ByIndex(Indexers.ControllerUid, ds.Metadata.Uid)
            .Concat(_pods.ByIndex(Indexers.ControllerUid, Indexers.Orphans(ns)));
        var refs = new ControllerRefManager<V1Pod>(Api, ds, ControllerRefs.For(ds, DaemonSetHistory.ApiVersion, DaemonSetHistory.Kind), selector,
            ControllerRefs.RecheckOwner(Api, ds));
        return await refs.Claim(candidates);
    }

    /// <summary>
    /// getNodesToDaemonPods: the pods by the node they are for. Pods both terminal and being deleted
    /// are left out unless asked for (the kubelet or pod GC is done with them; history cleanup still counts them).
    /// </summary>
    private static Dictionary<string, List<V1Pod>> NodesToDaemonPods(IEnumerable<V1Pod> pods, bool includeDeletedTerminal)
    {
        var byNode = new Dictionary<string, List<V1Pod>>(StringComparer.Ordinal);
        foreach (var pod in pods)
        {
            if (!includeDeletedTerminal && DaemonPods.IsTerminal(pod) && KubeModels.IsDeleting(pod)) continue;
            if (DaemonPods.TargetNodeName(pod) is not { } nodeName) continue;
            if (!byNode.TryGetValue(nodeName, out var list)) byNode[nodeName] = list = [];
            list.Add(pod);
        }
        return byNode;
    }

    /// <summary>The earliest time a sync asked to look again (failed-pod back-off, minReadySeconds).</summary>
    private sealed class Requeue
    {
        private readonly Lock _lock = new();
        private TimeSpan? _after;

        public void After(TimeSpan delay)
        {
            lock (_lock)
                if (_after is null || delay < _after) _after = delay;
        }

        public SyncResult Result => _after is { } after ? SyncResult.After(after) : SyncResult.Done;
    }
}
