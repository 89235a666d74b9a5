using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Informers;

namespace Akka.KubeEmu.Actors.Controllers.TaintEviction;

/// <summary>
/// kube-controller-manager's taint eviction controller: pods on a node with NoExecute taints
/// they do not tolerate are deleted; tolerated-for-a-while pods (the 300 s not-ready and
/// unreachable tolerations every pod gets by default) are deleted when their time is up, and
/// spared if the taint goes away first.
/// </summary>
public sealed class TaintEvictionController : ReceiveActor, IWithTimers
{
    private const string Component = "taint-eviction-controller";

    private readonly StoreClient _store;
    private readonly TimeProvider _time;
    private readonly EventRecorder _events;
    private readonly ObjectCache _nodes = new();
    private readonly ObjectCache _pods = new();
    private readonly Dictionary<string, DateTimeOffset> _scheduled = new(StringComparer.Ordinal);

    public TaintEvictionController(IActorRef store, TimeProvider time)
    {
        _store = new StoreClient(store, TimeSpan.FromSeconds(10));
        _time = time;
        _events = new EventRecorder(new ApiClient(new Api.Rest.RestStorage(_store, new Api.Rest.KubernetesPipeline(new Api.Defaulting.AdmissionSettings())), Component), new EventSource(Component), time);
        Context.ActorOf(Reflector.Props(store, new ReflectorSpec("nodes", "nodes")), "nodes-reflector");
        Context.ActorOf(Reflector.Props(store, new ReflectorSpec("pods", "pods", FieldSelector: "spec.nodeName!=")), "pods-reflector");

        Receive<ReflectorReplace>(r => r.Name == "nodes", r =>
        {
            _nodes.Replace(r);
            ReconcileAll();
        });
        Receive<ReflectorEvents>(e => e.Name == "nodes", e =>
        {
            foreach (var (_, node) in _nodes.Apply(e))
                if (node is not null) ReconcileNode(KubeObject.Name(node));
        });
        Receive<ReflectorReplace>(r => r.Name == "pods", r =>
        {
            _pods.Replace(r);
            ReconcileAll();
        });
        Receive<ReflectorEvents>(e => e.Name == "pods", e =>
        {
            foreach (var (old, pod) in _pods.Apply(e))
            {
                if (pod is null) Cancel(ObjectCache.Key(old!), announce: false);
                else Reconcile(pod);
            }
        });
        Receive<EvictNow>(e => Evict(e.PodKey));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef store, TimeProvider time) => Akka.Actor.Props.Create(() => new TaintEvictionController(store, time));

    private void ReconcileAll()
    {
        if (!_nodes.Synced || !_pods.Synced) return;
        foreach (var pod in _pods.Values.ToArray()) Reconcile(pod);
    }

    private void ReconcileNode(string node)
    {
        if (!_pods.Synced) return;
        foreach (var pod in _pods.Values.Where(p => KubeObject.ScalarAt(p, "spec.nodeName") == node).ToArray()) Reconcile(pod);
    }

    private void Reconcile(JsonObject pod)
    {
        if (!_nodes.Synced) return;
        var key = ObjectCache.Key(pod);
        var node = _nodes.Get("", KubeObject.ScalarAt(pod, "spec.nodeName") ?? "");
        var at = node is null || KubeObject.At(pod, "metadata.deletionTimestamp") is not null
            ? null
            : EvictionPlan.EvictAt(pod, EvictionPlan.NoExecuteTaints(node), _time.GetUtcNow());
        if (at is null)
        {
            Cancel(key, announce: true);
            return;
        }
        if (_scheduled.TryGetValue(key, out var planned) && planned == at) return;
        _scheduled[key] = at.Value;
        var delay = at.Value - _time.GetUtcNow();
        if (delay <= TimeSpan.Zero) Self.Tell(new EvictNow(key));
        else Timers.StartSingleTimer(key, new EvictNow(key), delay);
    }

    private void Cancel(string key, bool announce)
    {
        if (!_scheduled.Remove(key)) return;
        Timers.Cancel(key);
        if (announce && _pods.Get(Namespace(key), Name(key)) is { } pod)
            _events.Record(pod, EventRecorder.Normal, "TaintManagerEviction", $"Cancelling deletion of Pod {key}");
    }

    private void Evict(string key)
    {
        if (!_scheduled.Remove(key) || _pods.Get(Namespace(key), Name(key)) is not { } pod) return;
        _events.Record(pod, EventRecorder.Normal, "TaintManagerEviction", $"Marking for deletion Pod {key}");
        _ = _store.Delete("pods", Namespace(key), Name(key));
    }

    private static string Namespace(string key) => key[..key.IndexOf('/')];

    private static string Name(string key) => key[(key.IndexOf('/') + 1)..];

    private sealed record EvictNow(string PodKey);
}
