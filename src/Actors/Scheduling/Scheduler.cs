using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Event;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Defaulting;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Flowcontrol;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Resources;
using Akka.KubeEmu.Actors.Scheduling.Framework;
using Akka.KubeEmu.Actors.Scheduling.Plugins;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Scheduling;

/// <summary>
/// kube-scheduler as a cluster singleton: its own shared informers on nodes and pods (a separate
/// component from the controller manager), a scheduling queue, one pod at a time through the
/// filter and score plugins, and an optimistic "assume" so the next pod sees the resources of a
/// binding still in flight. It writes only through the API: the pods/binding subresource, the
/// PodScheduled=False status (retried with back-off when the API fails) and events.
/// Unschedulable pods wait for a cluster event that may help them: a node added, or a node update
/// that changes a scheduling property (never a mere heartbeat), or a pod leaving.
/// </summary>
public sealed class Scheduler : ReceiveActor, IWithTimers
{
    public const string SchedulerName = "default-scheduler";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly ApiClient _api;
    private readonly TimeProvider _time;
    private readonly EventRecorder _events;
    private readonly SchedulerMetrics? _metrics;
    private readonly SharedInformerFactory _informers;
    private readonly string _nodesInformer;
    private readonly string _podsInformer;
    private readonly string _claimsInformer;
    private readonly string _classesInformer;
    private readonly Indexer<V1Pod> _podIndex;
    private readonly string _namespacesInformer;
    private readonly VolumeBinding _volumeBinding;
    private readonly SchedulingQueue _queue;
    private readonly Profile _profile;
    private readonly DefaultPreemption _preemption = new();
    private readonly Snapshot _snapshot = new();
    private readonly Nominator _nominator = new();
    private int _nextStartNodeIndex;
    private readonly Dictionary<string, PodInfo> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Node, PodInfo Pod)> _placed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _binding = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StatusRetry> _statusRetries = new(StringComparer.Ordinal);
    private bool _nodesSynced, _podsSynced, _scheduleQueued;
    private bool _claimsSynced, _classesSynced, _namespacesSynced;

    public Scheduler(IActorRef store, TimeProvider time, TimeSpan requestTimeout, TimeSpan maxInUnschedulable, SchedulerMetrics? metrics = null)
    {
        _api = new ApiClient(new RestStorage(new StoreClient(store, requestTimeout), new KubernetesPipeline(new AdmissionSettings()), time), "kube-scheduler");
        _time = time;
        _events = new EventRecorder(_api, new EventSource(SchedulerName), time);
        _metrics = metrics;
        _queue = new SchedulingQueue(time, maxInUnschedulable);

        // kube-scheduler's own informers, not the controller manager's.
        _informers = new SharedInformerFactory(Context.System, "scheduler", store, time);
        var nodes = _informers.For<V1Node>();
        var pods = _informers.For<V1Pod>();
        _nodesInformer = nodes.Name;
        _podsInformer = pods.Name;
        nodes.AddEventHandler(Self);
        pods.AddEventHandler(Self);
        // VolumeBinding's view: claims and classes, and the pending pods found by the claims they wait for.
        var claims = _informers.For<V1PersistentVolumeClaim>();
        var classes = _informers.For<V1StorageClass>();
        _claimsInformer = claims.Name;
        _classesInformer = classes.Name;
        _podIndex = pods.Indexer;
        _podIndex.AddIndexer(VolumeIndexes.PodsByClaim, VolumeIndexes.ByClaimOfPod);
        // namespaceSelectors of pod affinity terms read the namespaces' labels.
        var namespaces = _informers.For<V1Namespace>();
        _namespacesInformer = namespaces.Name;
        _snapshot.NamespaceLabels = ns => namespaces.Indexer.Get(ns)?.Metadata?.Labels;
        namespaces.AddEventHandler(Self);
        _profile = Profile.Default(systemDefaultSpreading: true, new VolumeRestrictions(claims.Indexer, _podIndex));
        _volumeBinding = new VolumeBinding(claims.Indexer, classes.Indexer);
        claims.AddEventHandler(Self);
        classes.AddEventHandler(Self);

        Receive<InformerEvents>(e => e.Informer == _nodesInformer, e => OnNodes(e.Changes));
        Receive<InformerEvents>(e => e.Informer == _podsInformer, e => OnPods(e.Changes));
        Receive<InformerEvents>(e => e.Informer == _claimsInformer, e => OnClaims(e.Changes));
        Receive<InformerEvents>(e => e.Informer == _classesInformer, e => OnClasses(e.Changes));
        Receive<InformerEvents>(e => e.Informer == _namespacesInformer, e => OnNamespaces(e.Changes));
        Receive<InformerSynced>(s =>
        {
            if (s.Informer == _nodesInformer) _nodesSynced = true;
            if (s.Informer == _podsInformer) _podsSynced = true;
            if (s.Informer == _claimsInformer) _claimsSynced = true;
            if (s.Informer == _classesInformer) _classesSynced = true;
            if (s.Informer == _namespacesInformer) _namespacesSynced = true;
            Kick();
        });
        Receive<StatusWritten>(OnStatusWritten);
        Receive<RetryStatus>(r => WriteUnschedulable(r.Key));
        Receive<ScheduleNext>(_ => ScheduleOne());
        Receive<BindResult>(OnBound);
        Receive<Shutdown>(_ => Context.Stop(Self));
        Receive<Flush>(_ =>
        {
            _queue.FlushLeftovers();
            Kick();
        });
        Receive<FlushBackoff>(_ =>
        {
            _queue.FlushBackoffCompleted();
            Kick();
        });
        Receive<PreemptionDone>(OnPreemptionDone);
    }

    /// <summary>The scheduler's termination message (its singleton's hand-over).</summary>
    public sealed class Shutdown
    {
        public static readonly Shutdown Instance = new();

        private Shutdown()
        {
        }
    }

    // As kube-scheduler: back-offs are checked every second, leftovers every 30 s.
    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("flush", Flush.Instance, TimeSpan.FromSeconds(30));
        Timers.StartPeriodicTimer("flush-backoff", FlushBackoff.Instance, TimeSpan.FromSeconds(1));
    }

    protected override void PostStop() => _informers.Shutdown();

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="metrics">Counts scheduling attempts by result, when given.</param>
    public static Props Props(IActorRef store, TimeProvider time, TimeSpan? requestTimeout = null, TimeSpan? maxInUnschedulable = null,
        SchedulerMetrics? metrics = null) =>
        Akka.Actor.Props.Create(() => new Scheduler(store, time, requestTimeout ?? TimeSpan.FromSeconds(10),
            maxInUnschedulable ?? TimeSpan.FromMinutes(5), metrics));

    // ---- informer events ----

    private void OnNodes(IReadOnlyList<ObjectChange> changes)
    {
        foreach (var change in changes)
        {
            switch (change)
            {
                case { Old: V1Node gone, New: null }:
                    _snapshot.Remove(gone.Metadata.Name);
                    break;
                case { New: V1Node node }:
                    var name = node.Metadata.Name;
                    if (_snapshot.Get(name) is { } info)
                    {
                        var old = info.Node;
                        info.Update(node);
                        // Only a change of what the filters look at may help: a heartbeat does not.
                        if (NodeUpdates.ChangesSchedulingProperties(old, node)) _queue.OnClusterEvent(ClusterEvent.NodeUpdate);
                    }
                    else
                    {
                        info = _snapshot.Add(node);
                        foreach (var pod in _podIndex.ByIndex(Indexers.NodeName, name))
                            if (_placed.TryGetValue(KubeModels.Key(pod), out var placed) && placed.Node == name) info.AddPod(placed.Pod);
                        foreach (var key in _binding)
                            if (_placed.TryGetValue(key, out var assumed) && assumed.Node == name) info.AddPod(assumed.Pod);
                        _queue.OnClusterEvent(ClusterEvent.NodeAdd);
                    }
                    break;
            }
        }
        Kick();
    }

    private void OnPods(IReadOnlyList<ObjectChange> changes)
    {
        foreach (var change in changes)
        {
            if (change is { Old: V1Pod gone, New: null })
            {
                var goneKey = KubeModels.Key(gone);
                var wasPlaced = _placed.ContainsKey(goneKey) && !_binding.Contains(goneKey);
                Forget(goneKey);
                // AssignedPodDelete: only a pod that held a node's resources frees anything.
                if (wasPlaced) _queue.OnClusterEvent(ClusterEvent.PodDelete);
                continue;
            }
            if (change.New is not V1Pod cur) continue;
            var pod = PodInfo.From(cur);
            if (pod.HoldsResources)
            {
                var before = _placed.TryGetValue(pod.Key, out var was) ? was.Pod : null;
                Place(pod.Key, pod.NodeName!, pod);
                _nominator.Remove(pod.Key);
                // AssignedPodAdd: the informer shows the pod on a node for the first time (even if this scheduler assumed it already).
                if (change.Old is not V1Pod { Spec.NodeName.Length: > 0 }) _queue.OnClusterEvent(ClusterEvent.PodAdd);
                else if (before is not null && !SameLabels(before.Pod, cur)) _queue.OnClusterEvent(ClusterEvent.PodUpdate);
            }
            else if (_placed.ContainsKey(pod.Key) && !_binding.Contains(pod.Key))
            {
                Unplace(pod.Key);
                _queue.OnClusterEvent(ClusterEvent.PodDelete);
            }

            if (pod.NeedsScheduling)
            {
                var known = _pending.TryGetValue(pod.Key, out var before);
                _pending[pod.Key] = pod;
                _nominator.Update(pod);
                if (!known) _queue.Add(pod.Key, pod.Priority);
                else if (SpecChanged(before!.Pod, cur)) _queue.Update(pod.Key, pod.Priority);
            }
            else
            {
                _pending.Remove(pod.Key);
                _nominator.Remove(pod.Key);
                if (!_binding.Contains(pod.Key)) _queue.Delete(pod.Key);
                _statusRetries.Remove(pod.Key);
            }
        }
        Kick();
    }

    private static bool SameLabels(V1Pod a, V1Pod b) =>
        KubeModels.Encode(a.Metadata.Labels ?? new Dictionary<string, string>()).AsSpan()
            .SequenceEqual(KubeModels.Encode(b.Metadata.Labels ?? new Dictionary<string, string>()));

    private void OnNamespaces(IReadOnlyList<ObjectChange> changes)
    {
        // A namespace's labels can make a namespaceSelector match: affinity may be satisfied now.
        if (changes.Count > 0) _queue.OnClusterEvent(ClusterEvent.PodUpdate);
        Kick();
    }

    /// <summary>isPodUpdated, reduced: the pod's spec or labels changed (its status, the scheduler's own write, does not count).</summary>
    private static bool SpecChanged(V1Pod before, V1Pod now) =>
        before.Metadata.ResourceVersion != now.Metadata.ResourceVersion
        && (!KubeModels.Encode(before.Spec).AsSpan().SequenceEqual(KubeModels.Encode(now.Spec))
            || !KubeModels.Encode(before.Metadata.Labels ?? new Dictionary<string, string>()).AsSpan()
                .SequenceEqual(KubeModels.Encode(now.Metadata.Labels ?? new Dictionary<string, string>())));

    private void Forget(string key)
    {
        _pending.Remove(key);
        _nominator.Remove(key);
        _queue.Delete(key);
        _statusRetries.Remove(key);
        if (!_binding.Contains(key)) Unplace(key);
    }

    private void Place(string key, string node, PodInfo pod)
    {
        if (_placed.TryGetValue(key, out var was) && was.Node != node) Unplace(key);
        _placed[key] = (node, pod);
        _snapshot.Get(node)?.AddPod(pod);
    }

    private void Unplace(string key)
    {
        if (_placed.Remove(key, out var was)) _snapshot.Get(was.Node)?.RemovePod(key);
    }

    private void Kick()
    {
        if (_scheduleQueued || !_nodesSynced || !_podsSynced || !_claimsSynced || !_classesSynced || !_namespacesSynced || _queue.ActiveCount == 0) return;
        _scheduleQueued = true;
        Self.Tell(ScheduleNext.Instance);
    }

    // ---- scheduling ----

    /// <summary>scheduleOne: PreFilter, filter, (PostFilter: preemption), score, assume, bind asynchronously.</summary>
    private void ScheduleOne()
    {
        _scheduleQueued = false;
        var key = _queue.Pop();
        if (key is null) return;
        if (!_pending.TryGetValue(key, out var pod) || _binding.Contains(key))
        {
            if (!_binding.Contains(key)) _queue.Delete(key);
            Kick();
            return;
        }

        if (_volumeBinding.PreFilter(pod) is { IsSuccess: false } rejected)
        {
            Unschedulable(pod, FitError.PreFilterMessage(_snapshot.Count, rejected), _volumeBinding.RequeueOn | ClusterEvent.NodeAdd);
            Kick();
            return;
        }
        foreach (var plugin in _profile.CyclePlugins)
        {
            if (plugin.BeginCycle(pod, _snapshot) is not { IsSuccess: false } refused) continue;
            Unschedulable(pod, FitError.PreFilterMessage(_snapshot.Count, refused), plugin.RequeueOn | ClusterEvent.NodeAdd);
            Kick();
            return;
        }

        // findNodesThatPassFilters: from where the last pod stopped, until enough feasible nodes are found.
        var diagnosis = new Dictionary<string, FilterStatus>(StringComparer.Ordinal);
        var rejectors = ClusterEvent.None;
        var nodes = _snapshot.Nodes;
        var all = nodes.Count;
        var wanted = NumFeasibleNodesToFind(all);
        var feasible = new List<NodeInfo>(Math.Min(wanted, all));
        var processed = 0;
        for (; processed < all && feasible.Count < wanted; processed++)
        {
            var node = nodes[(_nextStartNodeIndex + processed) % all];
            var status = RunFilters(pod, node, ref rejectors);
            if (status.IsSuccess) feasible.Add(node);
            else diagnosis[node.Name] = status;
        }
        if (all > 0) _nextStartNodeIndex = (_nextStartNodeIndex + processed) % all;

        if (feasible.Count == 0) PostFilter(pod, diagnosis, rejectors);
        else Assume(pod, SelectHost(pod, feasible));
        Kick();
    }

    /// <summary>
    /// RunFilterPluginsWithNominatedPods: pods nominated to this node by an earlier preemption, of
    /// equal or higher priority, count as if they were there, so a lesser pod does not take their room.
    /// </summary>
    private FilterStatus RunFilters(PodInfo pod, NodeInfo node, ref ClusterEvent rejectors)
    {
        var target = node;
        if (_nominator.On(node.Name) is { Count: > 0 } nominated)
            foreach (var other in nominated)
            {
                if (other.Key == pod.Key || other.Priority < pod.Priority || node.HasPod(other.Key)) continue;
                if (ReferenceEquals(target, node)) target = node.Clone();
                target.AddPod(other);
            }
        var filters = _profile.Filters;
        for (var i = 0; i < filters.Count; i++)
        {
            var filter = filters[i];
            var status = filter.Filter(pod, target);
            if (status.IsSuccess) continue;
            rejectors |= filter.RequeueOn;
            return status;
        }
        return FilterStatus.Success;
    }

    /// <summary>PostFilter: DefaultPreemption; the FailedScheduling message says what it found or why not.</summary>
    private void PostFilter(PodInfo pod, Dictionary<string, FilterStatus> diagnosis, ClusterEvent rejectors)
    {
        var result = _preemption.Preempt(pod, diagnosis, _snapshot, (p, n) =>
        {
            var ignored = ClusterEvent.None;
            return RunFilters(p, n, ref ignored);
        });
        if (!result.Found)
        {
            // A pod that had a nominated node loses it (NominatedNodeName "").
            var clear = string.IsNullOrEmpty(pod.Pod.Status?.NominatedNodeName) ? null : "";
            _nominator.Remove(pod.Key);
            Unschedulable(pod, new FitError(_snapshot.Count, diagnosis, result.Message).Message, rejectors | ClusterEvent.NodeAdd, clear);
            return;
        }
        var node = result.Node!.Name;
        ClearLowerPriorityNominations(pod, node);
        _nominator.Nominate(pod, node);
        // The victims leaving is what will let it in.
        Unschedulable(pod, new FitError(_snapshot.Count, diagnosis).Message, rejectors | ClusterEvent.NodeAdd | ClusterEvent.PodDelete, node);
        PrepareCandidate(pod, node, result.Victims);
    }

    /// <summary>
    /// Pods of lower priority nominated to the same node may no longer fit there: they lose their
    /// nomination (status.nominatedNodeName cleared through the API) and are tried again.
    /// </summary>
    private void ClearLowerPriorityNominations(PodInfo preemptor, string node)
    {
        foreach (var other in _nominator.On(node)?.Where(p => p.Priority < preemptor.Priority).ToArray() ?? [])
        {
            _nominator.Remove(other.Key);
            _queue.Update(other.Key, other.Priority);
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject { ["uid"] = other.Pod.Metadata.Uid },
                ["status"] = new JsonObject { ["nominatedNodeName"] = null },
            };
            var key = other.Key;
            _api.Patch<V1Pod>(other.Namespace, other.Name, PatchDispatch.StrategicMergePatch, patch.ToJsonString(), "status")
                .PipeTo(Self, success: r => new PreemptionDone(key, r.Ok ? [] : [$"clearing the nomination: {r.Error?.Message}"]),
                    failure: e => new PreemptionDone(key, [e.GetBaseException().Message]));
        }
    }

    /// <summary>
    /// prepareCandidate: each victim gets the DisruptionTarget condition, is deleted (its graceful
    /// termination as usual) and gets the event Preempted; all through the API.
    /// </summary>
    private void PrepareCandidate(PodInfo preemptor, string node, IReadOnlyList<PodInfo> victims)
    {
        var api = _api;
        var events = _events;
        var now = KubeObject.Timestamp(_time.GetUtcNow());
        var key = preemptor.Key;
        var uid = preemptor.Pod.Metadata.Uid;
        var message = $"{preemptor.Pod.Spec?.SchedulerName ?? SchedulerName}: preempting to accommodate a higher priority pod";
        async Task<string?> Evict(PodInfo victim)
        {
            var condition = new JsonObject
            {
                ["metadata"] = new JsonObject { ["uid"] = victim.Pod.Metadata.Uid },
                ["status"] = new JsonObject
                {
                    ["conditions"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "DisruptionTarget", ["status"] = "True", ["reason"] = "PreemptionByScheduler",
                        ["message"] = message, ["lastProbeTime"] = null, ["lastTransitionTime"] = now,
                    }),
                },
            };
            var patched = await api.Patch<V1Pod>(victim.Namespace, victim.Name, PatchDispatch.StrategicMergePatch, condition.ToJsonString(), "status");
            if (!patched.Ok && patched.Error?.Code != 404) return $"{victim.Key}: {patched.Error?.Message}";
            var deleted = await api.Delete<V1Pod>(victim.Namespace, victim.Name, new DeleteRequest(PreconditionUid: victim.Pod.Metadata.Uid));
            if (deleted is not null && deleted.Code != 404) return $"{victim.Key}: {deleted.Message}";
            await events.Event(victim.Pod, EventRecorder.Normal, "Preempted", $"Preempted by pod {uid} on node {node}");
            return null;
        }
        Task.WhenAll(victims.Select(Evict))
            .PipeTo(Self, success: errors => new PreemptionDone(key, errors.OfType<string>().ToArray()),
                failure: e => new PreemptionDone(key, [e.GetBaseException().Message]));
    }

    private void OnPreemptionDone(PreemptionDone done)
    {
        // A victim that could not be removed leaves the preemptor waiting for its next attempt (the back-off or the flush).
        foreach (var error in done.Errors) _log.Info("preempting for {0}: {1}", done.Key, error);
    }

    /// <summary>
    /// numFeasibleNodesToFind with the default (adaptive) percentageOfNodesToScore: every node up to
    /// 100, then 50 % less one point per 125 nodes (at least 5 %), never fewer than 100 nodes.
    /// </summary>
    public static int NumFeasibleNodesToFind(int allNodes)
    {
        const int minFeasibleNodes = 100, minPercentage = 5, basePercentage = 50;
        if (allNodes < minFeasibleNodes) return allNodes;
        var percentage = Math.Max(minPercentage, basePercentage - allNodes / 125);
        var nodes = allNodes * percentage / 100;
        return Math.Max(minFeasibleNodes, nodes);
    }

    /// <summary>
    /// prioritizeNodes then selectHost: each score plugin's scores for the feasible nodes,
    /// normalised, times its weight, summed; the best node wins, ties broken at random as kube-scheduler does.
    /// </summary>
    private NodeInfo SelectHost(PodInfo pod, List<NodeInfo> feasible)
    {
        if (feasible.Count == 1) return feasible[0];
        var total = new long[feasible.Count];
        var scores = new long[feasible.Count];
        foreach (var scorer in _profile.Scorers)
        {
            scorer.PreScore(pod, feasible, _snapshot);
            for (var i = 0; i < feasible.Count; i++) scores[i] = scorer.Score(pod, feasible[i]);
            scorer.Normalize(pod, scores);
            for (var i = 0; i < feasible.Count; i++) total[i] += scores[i] * scorer.Weight;
        }
        var best = 0;
        var ties = 1;
        for (var i = 1; i < feasible.Count; i++)
        {
            if (total[i] > total[best])
            {
                best = i;
                ties = 1;
            }
            else if (total[i] == total[best] && Random.Shared.Next(++ties) == 0)
            {
                best = i;
            }
        }
        return feasible[best];
    }

    /// <summary>assume, then the binding cycle: POST pods/{name}/binding.</summary>
    private void Assume(PodInfo pod, NodeInfo node)
    {
        _binding.Add(pod.Key);
        Place(pod.Key, node.Name, pod);
        var key = pod.Key;
        var nodeName = node.Name;
        var involved = pod.Pod;
        var provisionOn = _volumeBinding.ClaimsToProvisionOn(pod);
        var api = _api;
        (provisionOn.Count == 0 ? api.Bind(pod.Namespace, pod.Name, nodeName, pod.Pod.Metadata.Uid)
                : PreBindThenBind(api, provisionOn, pod, nodeName))
            .PipeTo(Self, success: error => new BindResult(key, nodeName, error, involved),
                failure: e => new BindResult(key, nodeName, ApiStatus.Internal(e.GetBaseException().Message), involved));
    }

    private static async Task<ApiStatus?> PreBindThenBind(ApiClient api, IReadOnlyList<V1PersistentVolumeClaim> claims, PodInfo pod, string node) =>
        await VolumeBinding.PreBind(api, claims, node) ?? await api.Bind(pod.Namespace, pod.Name, node, pod.Pod.Metadata.Uid);

    /// <summary>A claim added or changed: the pending pods that mount it try again (isSchedulableAfterPersistentVolumeClaimChange).</summary>
    private void OnClaims(IReadOnlyList<ObjectChange> changes)
    {
        foreach (var change in changes)
            if (change.New is V1PersistentVolumeClaim claim)
                foreach (var pod in _podIndex.ByIndex(VolumeIndexes.PodsByClaim, KubeModels.Key(claim)))
                    if (_pending.TryGetValue(KubeModels.Key(pod), out var waiting)) _queue.Update(waiting.Key, waiting.Priority);
        Kick();
    }

    private void OnClasses(IReadOnlyList<ObjectChange> changes)
    {
        if (changes.Any(c => c is { Old: null, New: V1StorageClass })) _queue.OnClusterEvent(ClusterEvent.StorageClassAdd);
        Kick();
    }

    private void OnBound(BindResult result)
    {
        _binding.Remove(result.Key);
        if (result.Error is null)
        {
            _metrics?.OnScheduled();
            _pending.Remove(result.Key);
            _nominator.Remove(result.Key);
            _queue.Delete(result.Key);
            _statusRetries.Remove(result.Key);
            // The event is about the pod (the binding call only answers with a Status).
            _ = _events.Event(result.Pod, EventRecorder.Normal, "Scheduled",
                $"Successfully assigned {result.Key} to {result.Node}");
            return;
        }
        _metrics?.OnError();
        Unplace(result.Key);
        _log.Info("binding {0} to {1} failed: {2}", result.Key, result.Node, result.Error.Message);
        if (_pending.ContainsKey(result.Key)) _queue.MarkFailed(result.Key);
        else _queue.Delete(result.Key);
        Kick();
    }

    /// <summary>handleSchedulingFailure: the FailedScheduling event, and PodScheduled=False with the reason.</summary>
    /// <param name="nominatedNode">status.nominatedNodeName to set ("" clears it), or null to leave it.</param>
    private void Unschedulable(PodInfo pod, string message, ClusterEvent helpful, string? nominatedNode = null)
    {
        _metrics?.OnUnschedulable();
        _queue.MarkUnschedulable(pod.Key, helpful);
        _ = _events.Event(pod.Pod, EventRecorder.Warning, "FailedScheduling", message);
        if (_statusRetries.TryGetValue(pod.Key, out var retry))
        {
            retry.Message = message;
            retry.NominatedNode = nominatedNode;
        }
        else _statusRetries[pod.Key] = new StatusRetry(message) { NominatedNode = nominatedNode };
        WriteUnschedulable(pod.Key);
    }

    /// <summary>updatePod: patches the PodScheduled condition when it says something new; a failed write is tried again with back-off.</summary>
    private void WriteUnschedulable(string key)
    {
        if (!_statusRetries.TryGetValue(key, out var retry) || retry.InFlight) return;
        if (!_pending.TryGetValue(key, out var pod))
        {
            _statusRetries.Remove(key);
            return;
        }
        var existing = pod.Pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        var nominationSettled = retry.NominatedNode is null || retry.NominatedNode == (pod.Pod.Status?.NominatedNodeName ?? "");
        if (existing is { Status: "False", Reason: "Unschedulable" } && existing.Message == retry.Message && nominationSettled)
        {
            _statusRetries.Remove(key);
            return;
        }
        var now = _time.GetUtcNow();
        var transition = existing?.Status == "False" && existing.LastTransitionTime is { } t
            ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc))
            : now;
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["uid"] = pod.Pod.Metadata.Uid },
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "PodScheduled",
                    ["status"] = "False",
                    ["reason"] = "Unschedulable",
                    ["message"] = retry.Message,
                    ["lastProbeTime"] = null,
                    ["lastTransitionTime"] = KubeObject.Timestamp(transition),
                }),
            },
        };
        if (retry.NominatedNode is { } nominated)
            ((JsonObject)patch["status"]!)["nominatedNodeName"] = nominated.Length == 0 ? null : nominated;
        retry.InFlight = true;
        var message = retry.Message;
        _api.Patch<V1Pod>(pod.Namespace, pod.Name, PatchDispatch.StrategicMergePatch, patch.ToJsonString(), "status")
            .PipeTo(Self, success: r => new StatusWritten(key, message, r.Error),
                failure: e => new StatusWritten(key, message, ApiStatus.Internal(e.GetBaseException().Message)));
    }

    private void OnStatusWritten(StatusWritten written)
    {
        if (!_statusRetries.TryGetValue(written.Key, out var retry)) return;
        retry.InFlight = false;
        // Written, or the pod went (404) or is another pod now (a uid or validation refusal): nothing to retry.
        if (written.Error is null || written.Error.Code is >= 400 and < 500 && written.Error.Code != 429)
        {
            if (retry.Message == written.Message) _statusRetries.Remove(written.Key);
            else WriteUnschedulable(written.Key); // a newer message came meanwhile
            return;
        }
        var delay = retry.Backoff.NextDelay(_time.GetUtcNow());
        _log.Info("updating the PodScheduled condition of {0} failed ({1}); retrying in {2}", written.Key, written.Error.Message, delay);
        Timers.StartSingleTimer("status-" + written.Key, new RetryStatus(written.Key), delay);
    }

    private sealed class StatusRetry(string message)
    {
        public string Message { get; set; } = message;
        public string? NominatedNode { get; set; }
        public bool InFlight { get; set; }
        public Backoff Backoff { get; } = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10));
    }

    private sealed record BindResult(string Key, string Node, ApiStatus? Error, V1Pod Pod);

    private sealed record StatusWritten(string Key, string Message, ApiStatus? Error);

    private sealed record RetryStatus(string Key);

    private sealed record PreemptionDone(string Key, IReadOnlyList<string> Errors);

    private sealed class FlushBackoff
    {
        public static readonly FlushBackoff Instance = new();
    }

    private sealed class ScheduleNext
    {
        public static readonly ScheduleNext Instance = new();
    }

    private sealed class Flush
    {
        public static readonly Flush Instance = new();
    }
}
