using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Event;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Node.Agent;
using Akka.KubeEmu.Actors.Node.Exec;
using Akka.KubeEmu.Actors.Node.Logs;
using Akka.KubeEmu.Actors.Node.Pods;
using Akka.KubeEmu.Actors.Resources;
using Akka.KubeEmu.Cluster.Serialization;

namespace Akka.KubeEmu.Actors.Node.Kubelet;

/// <summary>
/// The kubelet's pod side for one node: list+watch of the pods bound to it (the apiserver pod
/// config source, field selector spec.nodeName, through the emulator's one <see cref="Reflector"/>),
/// admission, pod IPs, the image manager, and one <see cref="PodWorker"/> child per pod.
/// Level-triggered: every (re)list reconciles the pods the Store has with the workers that run;
/// the reflector resumes a lost watch, or lists again, with back-off.
/// </summary>
public sealed class Kubelet : UntypedActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly NodeContext _node;
    private readonly IActorRef _agent;
    private readonly string _fieldSelector;
    private readonly Dictionary<string, PodEntry> _pods = new(StringComparer.Ordinal);
    private readonly HashSet<string> _finished = new(StringComparer.Ordinal);

    /// <summary>The logs of finished pods still in the API (a Job's), by uid, until they are deleted.</summary>
    private readonly Dictionary<string, IReadOnlyList<ContainerLogView>> _finishedLogs = new(StringComparer.Ordinal);
    private readonly PodAdmission _admission;
    private readonly PodIpAllocator _ips;
    private readonly ImageManager _images;

    private IActorRef? _reflector;
    private string _reflectorName = "";
    private long _reflectors;
    private long _workerNames;

    public Kubelet(NodeContext node, IActorRef agent)
    {
        _node = node;
        _agent = agent;
        _fieldSelector = "spec.nodeName=" + node.NodeName;
        _admission = new PodAdmission(node.Capacity);
        _ips = new PodIpAllocator(node.Network);
        _images = new ImageManager(node.Images, node.Timing.ImagePullDelay, NodeImageStore.For(node.NodeName, node.Volumes.Settings, node.Images,
            (file, e) => _log.Warning("node {0}: images not kept in {1}: {2}", node.NodeName, file, e.Message)));
    }

    public static Props Props(NodeContext node, IActorRef agent) => Akka.Actor.Props.Create(() => new Kubelet(node, agent));

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>A worker (or the reflector) that throws is stopped; a new reflector lists again and starts it from the Store's view.</summary>
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(e =>
        {
            _log.Error(e, "A pod worker or the pod reflector failed on node {0}", _node.NodeName);
            return Directive.Stop;
        });

    protected override void PreStart()
    {
        // A rebooted node reports the images its disk kept.
        if (_images.Images is { Count: > 0 } kept) _agent.Tell(new NodeImagesChanged(kept));
        StartReflector();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case ReflectorReplace r when r.Name == _reflectorName: Reconcile(r.Items); break;
            case ReflectorEvents e when e.Name == _reflectorName:
                // The reflector has acknowledged the batch to the Store (WatchAck) as it handed it over.
                foreach (var change in e.Events) Handle(change.Type, change.Object);
                break;
            case ReflectorReplace or ReflectorEvents: break; // from a reflector replaced meanwhile
            case Terminated t when t.ActorRef.Equals(_reflector): StartReflector(); break;
            case Terminated t: OnWorkerTerminated(t.ActorRef); break;
            case EnsureImage request: OnEnsureImage(request); break;
            case PullDone: OnPullDone(); break;
            case PodTerminal t: Release(t.Uid); break;
            case PodWorkerDone d:
                OnWorkerDone(d.Uid);
                if (d.Logs is { } logs && _finished.Contains(d.Uid)) _finishedLogs[d.Uid] = logs;
                break;
            case ContainerLogRequest request: OnLogRequest(request); break;
            case ExecStart start:
                // The kubelet's exec endpoint: the pod's worker runs the command, or there is no such pod here.
                if (_pods.TryGetValue(start.Uid, out var exec)) exec.Worker.Forward(start);
                else Sender.Tell(new ExecExited(start.Session, 0, "pod does not exist"));
                break;
            default: Unhandled(message); break;
        }
    }

    // ---- list and watch (client-go reflector) ----

    /// <summary>A new reflector lists the node's pods (then watches from there): a relist from the Store's view.</summary>
    private void StartReflector()
    {
        if (_reflector is not null)
        {
            Context.Unwatch(_reflector);
            Context.Stop(_reflector);
        }
        var n = ++_reflectors;
        _reflectorName = $"pods-{n}";
        _reflector = Context.ActorOf(Reflector.Props(_node.StoreRef, new ReflectorSpec(_reflectorName, "pods", FieldSelector: _fieldSelector), _node.Time),
            $"pods-reflector-{n}");
        Context.Watch(_reflector);
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
        foreach (var uid in _finishedLogs.Keys.Where(u => !listed.Contains(u)).ToArray()) _finishedLogs.Remove(uid);
        foreach (var (raw, obj) in pods) Apply(raw, obj);
    }

    private void Handle(string type, RawJson raw)
    {
        var obj = KubeObject.Parse(raw.Utf8);
        if (type == "DELETED")
        {
            var uid = KubeObject.Uid(obj) ?? "";
            _finished.Remove(uid);
            _finishedLogs.Remove(uid);
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
        _ = _node.Api.Delete(ResourceCatalog.Pods, KubeObject.Namespace(obj), KubeObject.Name(obj),
            new DeleteRequest(GracePeriodSeconds: 0, PreconditionUid: KubeObject.Uid(obj)));

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

    /// <summary>The containerLogs endpoint: the pod's worker answers, or the kept logs of a finished pod.</summary>
    private void OnLogRequest(ContainerLogRequest request)
    {
        if (_pods.TryGetValue(request.Uid, out var entry)) entry.Worker.Forward(request);
        else if (_finishedLogs.TryGetValue(request.Uid, out var logs)) Sender.Tell(ContainerLogResolver.Answer(logs, request));
        else Sender.Tell(ContainerLogAnswer.Failed($"pod \"{request.Pod}\" cannot be found - no logs available"));
    }

    private void OnWorkerTerminated(IActorRef worker)
    {
        var uid = _pods.FirstOrDefault(p => p.Value.Worker.Equals(worker)).Key;
        if (uid is null) return;
        Release(uid);
        _pods.Remove(uid);
        StartReflector(); // level-triggered: the next list restarts it from the Store's view
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

    private sealed class PullDone
    {
        public static readonly PullDone Instance = new();
    }
}
