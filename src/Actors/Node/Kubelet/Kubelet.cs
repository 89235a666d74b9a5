using Akka.KubeEmu.Actors.Resources;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Event;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Node.Agent;
using Akka.KubeEmu.Actors.Node.Pods;
using Akka.KubeEmu.Actors.Flowcontrol;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Cluster.Serialization;

namespace Akka.KubeEmu.Actors.Node.Kubelet;

/// <summary>
/// The kubelet's pod side for one node: list+watch of the pods bound to it (the apiserver pod
/// config source, field selector spec.nodeName), admission, pod IPs, the image manager, and one
/// <see cref="PodWorker"/> child per pod. Level-triggered: every (re)list reconciles the pods
/// the Store has with the workers that run; a watch that ends, fails (410 Gone) or loses its
/// Store is replaced by a new list and watch, with backoff.
/// </summary>
public sealed class Kubelet : UntypedActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly NodeContext _node;
    private readonly IActorRef _agent;
    private readonly string _fieldSelector;
    private readonly Dictionary<string, PodEntry> _pods = new(StringComparer.Ordinal);
    private readonly HashSet<string> _finished = new(StringComparer.Ordinal);
    private readonly PodAdmission _admission;
    private readonly PodIpAllocator _ips;
    private readonly ImageManager _images;
    private readonly Backoff _relistBackoff = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(10));

    private long _generation;
    private string? _watchId;
    private bool _watching;
    private IActorRef? _watchedStore;
    private long _workerNames;

    public Kubelet(NodeContext node, IActorRef agent)
    {
        _node = node;
        _agent = agent;
        _fieldSelector = "spec.nodeName=" + node.NodeName;
        _admission = new PodAdmission(node.Capacity);
        _ips = new PodIpAllocator(node.Network);
        _images = new ImageManager(node.Images, node.Timing.ImagePullDelay);
    }

    public static Props Props(NodeContext node, IActorRef agent) => Akka.Actor.Props.Create(() => new Kubelet(node, agent));

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>A worker that throws is stopped, and the next list starts it again from the Store's view.</summary>
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(e =>
        {
            _log.Error(e, "Pod worker failed on node {0}", _node.NodeName);
            return Directive.Stop;
        });

    protected override void PreStart() => Self.Tell(Relist.Instance);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Relist: StartList(); break;
            case Listed l when l.Generation == _generation: OnListed(l.Reply); break;
            case Listed: break;
            case WatchAccepted a when a.WatchId == _watchId: OnWatchAccepted(); break;
            case WatchEvents e when e.WatchId == _watchId:
                foreach (var ev in e.Events) Handle(ev.Type, ev.Object);
                break;
            case WatchEnded e when e.WatchId == _watchId: WatchLost($"watch ended: {e.Status?.Message}"); break;
            case StoreFailure f when !_watching && _watchId is not null: WatchLost($"watch refused: {f.Status.Message}"); break;
            case WatchTimeout t when t.Generation == _generation && !_watching: WatchLost("watch not accepted in time"); break;
            case WatchAccepted or WatchEvents or WatchEnded or StoreFailure or WatchTimeout: break; // an older watch
            case Terminated t when t.ActorRef.Equals(_watchedStore): WatchLost("the store stopped"); break;
            case Terminated t: OnWorkerTerminated(t.ActorRef); break;
            case EnsureImage request: OnEnsureImage(request); break;
            case PullDone: OnPullDone(); break;
            case PodTerminal t: Release(t.Uid); break;
            case PodWorkerDone d: OnWorkerDone(d.Uid); break;
            default: Unhandled(message); break;
        }
    }

    // ---- list and watch (client-go reflector) ----

    private void StartList()
    {
        _generation++;
        if (_watchId is not null) _node.Store.Store.Tell(new CancelWatch("pods", _watchId), Self);
        _watchId = null;
        _watching = false;
        var generation = _generation;
        _node.Store.List(new ListObjects("pods", FieldSelector: _fieldSelector))
            .PipeTo(Self, success: r => new Listed(generation, r),
                failure: e => new Listed(generation, (null, ApiStatus.Internal(e.GetBaseException().Message))));
    }

    private void OnListed((StoreList? List, ApiStatus? Error) reply)
    {
        if (reply.List is not { } list)
        {
            RetryList($"list failed: {reply.Error?.Message}");
            return;
        }
        Reconcile(list.Items);
        _watchId = $"kubelet-{_node.NodeName}-{Guid.NewGuid():N}";
        _node.Store.Store.Tell(new WatchObjects("pods", _watchId, FieldSelector: _fieldSelector, ResourceVersion: list.ResourceVersion), Self);
        Timers.StartSingleTimer("watch-timeout", new WatchTimeout(_generation), _node.StoreTimeout * 2);
    }

    private void OnWatchAccepted()
    {
        _watching = true;
        _relistBackoff.Reset();
        Timers.Cancel("watch-timeout");
        // Death watch on the store itself: a store that dies without ending our watch is noticed.
        if (!Sender.Equals(_watchedStore))
        {
            if (_watchedStore is not null) Context.Unwatch(_watchedStore);
            _watchedStore = Sender;
            Context.Watch(_watchedStore);
        }
    }

    private void WatchLost(string why)
    {
        _watching = false;
        _watchId = null;
        RetryList(why);
    }

    private void RetryList(string why)
    {
        var delay = _relistBackoff.NextDelay(_node.Now);
        _log.Info("Kubelet {0}: {1}; listing pods again in {2}", _node.NodeName, why, delay);
        Timers.StartSingleTimer("relist", Relist.Instance, delay);
    }

    /// <summary>Makes the running workers match the listed pods, oldest pod first (as admission orders them).</summary>
    private void Reconcile(IReadOnlyList<RawJson> items)
    {
        var pods = items.Select(raw => (Raw: raw, Obj: KubeObject.Parse(raw.Utf8)))
            .OrderBy(p => KubeObject.ScalarAt(p.Obj, "metadata.creationTimestamp"), StringComparer.Ordinal)
            .ToArray();
        var listed = pods.Select(p => KubeObject.Uid(p.Obj) ?? "").ToHashSet(StringComparer.Ordinal);
        foreach (var uid in _pods.Keys.Where(u => !listed.Contains(u)).ToArray()) Forget(uid);
        _finished.IntersectWith(listed);
        foreach (var (raw, obj) in pods) Apply(raw, obj);
    }

    private void Handle(string type, RawJson raw)
    {
        var obj = KubeObject.Parse(raw.Utf8);
        if (type == "DELETED")
        {
            var uid = KubeObject.Uid(obj) ?? "";
            _finished.Remove(uid);
            Forget(uid);
            return;
        }
        Apply(raw, obj);
    }

    /// <summary>HandlePodAdditions / HandlePodUpdates: route the pod to its worker, or admit it and start one.</summary>
    private void Apply(RawJson raw, JsonObject obj)
    {
        var uid = KubeObject.Uid(obj) ?? "";
        if (_pods.TryGetValue(uid, out var entry))
        {
            entry.Worker.Tell(new PodChanged(raw));
            return;
        }
        var deleting = KubeObject.At(obj, "metadata.deletionTimestamp") is not null;
        var terminal = KubeObject.ScalarAt(obj, "status.phase") is "Succeeded" or "Failed";
        if (_finished.Contains(uid) || terminal)
        {
            // Nothing runs for it any more; only a pending deletion may need finishing.
            if (deleting && terminal) FinishDeletion(obj);
            return;
        }
        var pod = PodModel.Parse(obj);
        var rejection = deleting ? null : _admission.Check(pod);
        string? ip = null;
        if (rejection is null)
        {
            _admission.Add(pod.Requests);
            ip = _ips.Allocate(KubeObject.ScalarAt(obj, "status.podIP"));
        }
        var worker = Context.ActorOf(PodWorker.Props(_node, raw, new PodWorkerStart(ip, rejection)), $"pod-{uid}-{++_workerNames}");
        Context.Watch(worker);
        _pods[uid] = new PodEntry(worker, pod.Requests, ip, Counted: rejection is null);
    }

    /// <summary>A terminal pod with a deletion timestamp: its kubelet's last act is the final DELETE.</summary>
    private void FinishDeletion(JsonObject obj) =>
        _ = _node.Store.Delete(new DeleteObject("pods", KubeObject.Namespace(obj), KubeObject.Name(obj), 0, PreconditionUid: KubeObject.Uid(obj)));

    private void Release(string uid)
    {
        if (!_pods.TryGetValue(uid, out var entry) || !entry.Counted) return;
        _admission.Remove(entry.Requests);
        _ips.Release(entry.Ip);
        _pods[uid] = entry with { Counted = false };
    }

    /// <summary>The pod is gone from the Store: its worker stops (its containers die with it).</summary>
    private void Forget(string uid)
    {
        if (!_pods.ContainsKey(uid)) return;
        Release(uid);
        var entry = _pods[uid];
        _pods.Remove(uid);
        Context.Unwatch(entry.Worker);
        Context.Stop(entry.Worker);
    }

    private void OnWorkerDone(string uid)
    {
        if (!_pods.ContainsKey(uid)) return;
        Release(uid);
        Context.Unwatch(_pods[uid].Worker);
        _pods.Remove(uid);
        // Watch events older than the worker's last write may still arrive: they must not start it again.
        _finished.Add(uid);
    }

    private void OnWorkerTerminated(IActorRef worker)
    {
        var uid = _pods.FirstOrDefault(p => p.Value.Worker.Equals(worker)).Key;
        if (uid is null) return;
        Release(uid);
        _pods.Remove(uid);
        Self.Tell(Relist.Instance); // level-triggered: the next list restarts it from the Store's view
    }

    // ---- images ----

    private void OnEnsureImage(EnsureImage request)
    {
        var answer = _images.Ensure(request, Sender, _node.Now);
        Sender.Tell(answer);
        if (answer is ImagePullStarted) StartNextPull();
    }

    private void StartNextPull()
    {
        if (_images.StartNext(_node.Now) is { } duration) Timers.StartSingleTimer("pull", PullDone.Instance, duration);
    }

    private void OnPullDone()
    {
        if (_images.Complete(_node.Now) is { } done)
        {
            done.Requester.Tell(done.Answer);
            if (done.ImagesChanged) _agent.Tell(new NodeImagesChanged(_images.Images));
        }
        StartNextPull();
    }

    private sealed record PodEntry(IActorRef Worker, ResourceRequests Requests, string? Ip, bool Counted);

    private sealed record Listed(long Generation, (StoreList? List, ApiStatus? Error) Reply);

    private sealed record WatchTimeout(long Generation);

    private sealed class Relist
    {
        public static readonly Relist Instance = new();
    }

    private sealed class PullDone
    {
        public static readonly PullDone Instance = new();
    }
}
