using Akka.KubeEmu.Actors.Resources;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Event;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Scheduling.Framework;
using Akka.KubeEmu.Actors.Scheduling.Plugins;

namespace Akka.KubeEmu.Actors.Scheduling;

/// <summary>
/// kube-scheduler as a cluster singleton: informers on nodes and pods, a scheduling queue, one
/// pod at a time through the filter and score plugins, and an optimistic "assume" so the
/// next pod sees the resources of a binding still in flight.
/// </summary>
public sealed class Scheduler : ReceiveActor, IWithTimers
{
    public const string SchedulerName = "default-scheduler";

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly StoreClient _store;
    private readonly TimeProvider _time;
    private readonly EventRecorder _events;
    private readonly SchedulingQueue _queue;
    private readonly IReadOnlyList<IFilterPlugin> _filters = [new NodeUnschedulable(), new NodeAffinity(), new TaintToleration(), new NodeResourcesFit()];
    private readonly IReadOnlyList<IScorePlugin> _scorers = [new NodeResourcesFit()];
    private readonly Dictionary<string, NodeInfo> _nodes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PodInfo> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Node, ResourceRequests Requests)> _placed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _binding = new(StringComparer.Ordinal);
    private bool _nodesSynced, _podsSynced, _scheduleQueued;

    public Scheduler(IActorRef store, TimeProvider time, TimeSpan requestTimeout, TimeSpan maxInUnschedulable)
    {
        _store = new StoreClient(store, requestTimeout);
        _time = time;
        _events = new EventRecorder(new ApiClient(new Api.Rest.RestStorage(_store, new Api.Rest.KubernetesPipeline(new Api.Defaulting.AdmissionSettings())), SchedulerName), new EventSource(SchedulerName), time);
        _queue = new SchedulingQueue(time, maxInUnschedulable);

        Context.ActorOf(Reflector.Props(store, new ReflectorSpec("nodes", "nodes")), "nodes-reflector");
        Context.ActorOf(Reflector.Props(store, new ReflectorSpec("pods", "pods")), "pods-reflector");

        Receive<ReflectorReplace>(r => r.Name == "nodes", r => OnNodes(new ObjectCache().Replace(r), replace: true));
        Receive<ReflectorEvents>(e => e.Name == "nodes", e => OnNodes(Changes(e), replace: false));
        Receive<ReflectorReplace>(r => r.Name == "pods", r => OnPods(new ObjectCache().Replace(r), replace: true));
        Receive<ReflectorEvents>(e => e.Name == "pods", e => OnPods(Changes(e), replace: false));
        Receive<ScheduleNext>(_ => ScheduleOne());
        Receive<BindResult>(OnBound);
        Receive<Flush>(_ =>
        {
            _queue.FlushLeftovers();
            Kick();
        });
    }

    protected override void PreStart() => Timers.StartPeriodicTimer("flush", Flush.Instance, TimeSpan.FromSeconds(5));

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef store, TimeProvider time, TimeSpan? requestTimeout = null, TimeSpan? maxInUnschedulable = null) =>
        Akka.Actor.Props.Create(() => new Scheduler(store, time, requestTimeout ?? TimeSpan.FromSeconds(10),
            maxInUnschedulable ?? TimeSpan.FromMinutes(5)));

    private static IReadOnlyList<(JsonObject? Old, JsonObject? New)> Changes(ReflectorEvents e) =>
        e.Events.Select(ev => ev.Type == "DELETED"
            ? ((JsonObject?)KubeObject.Parse(ev.Object.Utf8), (JsonObject?)null)
            : (null, KubeObject.Parse(ev.Object.Utf8))).ToArray();

    private void OnNodes(IReadOnlyList<(JsonObject? Old, JsonObject? New)> changes, bool replace)
    {
        if (replace)
        {
            var present = changes.Where(c => c.New is not null).Select(c => KubeObject.Name(c.New!)).ToHashSet();
            foreach (var gone in _nodes.Keys.Where(n => !present.Contains(n)).ToArray()) _nodes.Remove(gone);
            _nodesSynced = true;
        }
        foreach (var (old, node) in changes)
        {
            if (node is null)
            {
                _nodes.Remove(KubeObject.Name(old!));
                continue;
            }
            var name = KubeObject.Name(node);
            var typed = NodeInfo.Parse(node);
            if (_nodes.TryGetValue(name, out var info))
            {
                info.Update(typed);
                _queue.OnClusterEvent(ClusterEvent.NodeUpdate);
            }
            else
            {
                info = new NodeInfo(typed);
                _nodes[name] = info;
                foreach (var (key, placed) in _placed.Where(p => p.Value.Node == name)) info.AddPod(key, placed.Requests);
                _queue.OnClusterEvent(ClusterEvent.NodeAdd);
            }
        }
        Kick();
    }

    private void OnPods(IReadOnlyList<(JsonObject? Old, JsonObject? New)> changes, bool replace)
    {
        if (replace)
        {
            var present = changes.Where(c => c.New is not null).Select(c => PodInfo.KeyOf(c.New!)).ToHashSet();
            foreach (var gone in _placed.Keys.Concat(_pending.Keys).Where(k => !present.Contains(k)).ToArray()) Forget(gone);
            _podsSynced = true;
        }
        foreach (var (old, json) in changes)
        {
            if (json is null)
            {
                Forget(PodInfo.KeyOf(old!));
                _queue.OnClusterEvent(ClusterEvent.PodDelete);
                continue;
            }
            var pod = PodInfo.From(json);
            if (pod.HoldsResources) Place(pod.Key, pod.NodeName!, pod.Requests);
            else if (_placed.ContainsKey(pod.Key) && !_binding.Contains(pod.Key))
            {
                Unplace(pod.Key);
                _queue.OnClusterEvent(ClusterEvent.PodDelete);
            }

            if (pod.NeedsScheduling)
            {
                var known = _pending.TryGetValue(pod.Key, out var before);
                _pending[pod.Key] = pod;
                if (!known) _queue.Add(pod.Key);
                else if (!JsonNode.DeepEquals(before!.Json["spec"], json["spec"])) _queue.Activate(pod.Key);
            }
            else
            {
                _pending.Remove(pod.Key);
                _queue.Delete(pod.Key);
            }
        }
        Kick();
    }

    private void Forget(string key)
    {
        _pending.Remove(key);
        _queue.Delete(key);
        if (!_binding.Contains(key)) Unplace(key);
    }

    private void Place(string key, string node, ResourceRequests requests)
    {
        if (_placed.TryGetValue(key, out var was) && was.Node != node) Unplace(key);
        _placed[key] = (node, requests);
        if (_nodes.TryGetValue(node, out var info)) info.AddPod(key, requests);
    }

    private void Unplace(string key)
    {
        if (_placed.Remove(key, out var was) && _nodes.TryGetValue(was.Node, out var info)) info.RemovePod(key);
    }

    private void Kick()
    {
        if (_scheduleQueued || !_nodesSynced || !_podsSynced || _queue.ActiveCount == 0) return;
        _scheduleQueued = true;
        Self.Tell(ScheduleNext.Instance);
    }

    /// <summary>scheduleOne: filter, score, assume, bind asynchronously.</summary>
    private void ScheduleOne()
    {
        _scheduleQueued = false;
        var key = _queue.Pop();
        if (key is null) return;
        if (!_pending.TryGetValue(key, out var pod) || _binding.Contains(key))
        {
            Kick();
            return;
        }

        var diagnosis = new Dictionary<string, FilterStatus>(StringComparer.Ordinal);
        var rejectors = ClusterEvent.None;
        var feasible = new List<NodeInfo>();
        foreach (var node in _nodes.Values)
        {
            var status = FilterStatus.Success;
            foreach (var filter in _filters)
            {
                status = filter.Filter(pod, node);
                if (status.IsSuccess) continue;
                rejectors |= filter.RequeueOn;
                break;
            }
            if (status.IsSuccess) feasible.Add(node);
            else diagnosis[node.Name] = status;
        }

        if (feasible.Count == 0) Unschedulable(pod, new FitError(_nodes.Count, diagnosis).Message, rejectors | ClusterEvent.NodeAdd);
        else Assume(pod, SelectHost(pod, feasible));
        Kick();
    }

    // selectHost: the best score, ties broken at random as kube-scheduler does.
    private NodeInfo SelectHost(PodInfo pod, List<NodeInfo> feasible)
    {
        NodeInfo? best = null;
        long bestScore = long.MinValue;
        var ties = 0;
        foreach (var node in feasible)
        {
            var score = _scorers.Sum(s => s.Weight * s.Score(pod, node));
            if (score > bestScore)
            {
                best = node;
                bestScore = score;
                ties = 1;
            }
            else if (score == bestScore && Random.Shared.Next(++ties) == 0)
            {
                best = node;
            }
        }
        return best!;
    }

    private void Assume(PodInfo pod, NodeInfo node)
    {
        _binding.Add(pod.Key);
        Place(pod.Key, node.Name, pod.Requests);
        var bound = pod.Json.DeepClone().AsObject();
        PodBinding.Bind(bound, node.Name, _time.GetUtcNow());
        var key = pod.Key;
        var nodeName = node.Name;
        _store.Update("pods", bound, "binding")
            .PipeTo(Self, success: r => new BindResult(key, nodeName, r, bound));
    }

    private void OnBound(BindResult result)
    {
        _binding.Remove(result.Key);
        if (result.Result.Ok)
        {
            _pending.Remove(result.Key);
            var ns = KubeObject.Namespace(result.Pod);
            _events.Record(result.Result.Object, EventRecorder.Normal, "Scheduled",
                $"Successfully assigned {ns}/{KubeObject.Name(result.Pod)} to {result.Node}");
            return;
        }
        Unplace(result.Key);
        _log.Info("binding {0} to {1} failed: {2}", result.Key, result.Node, result.Result.Error!.Message);
        if (_pending.ContainsKey(result.Key)) _queue.Activate(result.Key);
        Kick();
    }

    private void Unschedulable(PodInfo pod, string message, ClusterEvent helpful)
    {
        _queue.MarkUnschedulable(pod.Key, helpful);

        var updated = pod.Json.DeepClone().AsObject();
        if (PodConditions.Set(updated, "PodScheduled", "False", "Unschedulable", message, _time.GetUtcNow()))
            _ = _store.Update("pods", updated, "status");
        _events.Record(pod.Json, EventRecorder.Warning, "FailedScheduling", message);
    }

    private sealed record BindResult(string Key, string Node, StoreResult Result, JsonObject Pod);

    private sealed class ScheduleNext
    {
        public static readonly ScheduleNext Instance = new();
    }

    private sealed class Flush
    {
        public static readonly Flush Instance = new();
    }
}
