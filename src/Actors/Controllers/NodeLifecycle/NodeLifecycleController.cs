using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Actors.Timing;
using Akka.KubeEmu.Cluster.Membership;

namespace Akka.KubeEmu.Actors.Controllers.NodeLifecycle;

/// <summary>
/// kube-controller-manager's node lifecycle controller, with Akka cluster membership as its
/// fastest witness: a node whose process is Unreachable or Removed is marked Unknown at once
/// ("Kubelet stopped posting node status."), without waiting for the Lease to expire; a node
/// whose Lease is not renewed within node-monitor-grace-period is marked too, as in Kubernetes.
/// It keeps the not-ready/unreachable taints in line with the Ready condition and marks the
/// node's pods NotReady.
/// </summary>
public sealed class NodeLifecycleController : ReceiveActor, IWithTimers
{
    public const string AkkaAddressAnnotation = "kubeemu.io/akka-address";
    private const string Component = "node-controller";

    private readonly StoreClient _store;
    private readonly TimingProfile _timing;
    private readonly TimeProvider _time;
    private readonly EventRecorder _events;
    private readonly ObjectCache _nodes = new();
    private readonly NodeHealthTracker _health = new();
    private readonly HashSet<string> _writing = new(StringComparer.Ordinal);

    /// <param name="membership">Starts the membership monitor that feeds <see cref="MemberHealth"/> to this actor; null when someone else sends them (tests).</param>
    public NodeLifecycleController(IActorRef store, TimingProfile timing, TimeProvider time, Func<IActorRef, Props>? membership)
    {
        _store = new StoreClient(store, TimeSpan.FromSeconds(10));
        _timing = timing;
        _time = time;
        _events = new EventRecorder(new ApiClient(new Api.Rest.RestStorage(_store, new Api.Rest.KubernetesPipeline(new Api.Defaulting.AdmissionSettings())), Component), new EventSource(Component), time);

        Context.ActorOf(Reflector.Props(store, new ReflectorSpec("nodes", "nodes")), "nodes-reflector");
        Context.ActorOf(Reflector.Props(store, new ReflectorSpec("leases", "leases.coordination.k8s.io", "kube-node-lease")), "leases-reflector");
        if (membership is not null) Context.ActorOf(membership(Self), "membership");

        Receive<ReflectorReplace>(r => r.Name == "nodes", r => OnNodes(_nodes.Replace(r)));
        Receive<ReflectorEvents>(e => e.Name == "nodes", e => OnNodes(_nodes.Apply(e)));
        Receive<ReflectorReplace>(r => r.Name == "leases", r => OnLeases(r.Items.Select(i => KubeObject.Parse(i.Utf8))));
        Receive<ReflectorEvents>(e => e.Name == "leases", e => OnLeases(e.Events.Where(ev => ev.Type != "DELETED").Select(ev => KubeObject.Parse(ev.Object.Utf8))));
        Receive<MemberHealth>(h =>
        {
            _health.OnMember(h);
            MonitorNodeHealth();
        });
        Receive<Tick>(_ => MonitorNodeHealth());
        Receive<WriteDone>(d => _writing.Remove(d.Node));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef store, TimingProfile timing, TimeProvider time, Func<IActorRef, Props>? membership = null) =>
        Akka.Actor.Props.Create(() => new NodeLifecycleController(store, timing, time, membership));

    protected override void PreStart() => Timers.StartPeriodicTimer("monitor", Tick.Instance, _timing.NodeMonitorPeriod);

    private void OnNodes(IReadOnlyList<(JsonObject? Old, JsonObject? New)> changes)
    {
        foreach (var (old, node) in changes)
        {
            if (node is null)
            {
                _health.Forget(KubeObject.Name(old!));
                continue;
            }
            if (old is null)
            {
                var name = KubeObject.Name(node);
                _ = _events.RecordAbout(NodeReference(name), EventRecorder.Normal, "RegisteredNode",
                    $"Node {name} event: Registered Node {name} in Controller");
            }
        }
        MonitorNodeHealth();
    }

    private void OnLeases(IEnumerable<JsonObject> leases)
    {
        var now = _time.GetUtcNow();
        foreach (var lease in leases)
            _health.OnLease(KubeObject.Name(lease), KubeObject.ScalarAt(lease, "spec.renewTime"), now);
    }

    /// <summary>monitorNodeHealth: one write at most per node per pass; the next pass sees its result.</summary>
    private void MonitorNodeHealth()
    {
        if (!_nodes.Synced) return;
        var now = _time.GetUtcNow();
        foreach (var node in _nodes.Values)
        {
            var name = KubeObject.Name(node);
            if (_writing.Contains(name)) continue;
            var ready = NodeConditionsUnknown.ReadyStatus(node);
            var lost = IsLost(node, name, ready, now);

            if (lost && ready != "Unknown")
            {
                var updated = node.DeepClone().AsObject();
                NodeConditionsUnknown.Apply(updated, now);
                Write(name, _store.Update("nodes", updated, "status"));
                _ = _events.RecordAbout(NodeReference(name), EventRecorder.Normal, "NodeNotReady", $"Node {name} status is now: NodeNotReady");
                MarkPodsNotReady(name, now);
                continue;
            }

            var withTaints = node.DeepClone().AsObject();
            if (NodeTaints.Reconcile(withTaints, NodeTaints.Wanted(lost ? "Unknown" : ready), now))
                Write(name, _store.Update("nodes", withTaints));
        }
    }

    private bool IsLost(JsonObject node, string name, string? ready, DateTimeOffset now)
    {
        var address = KubeObject.StringMap(KubeObject.At(node, "metadata.annotations")).GetValueOrDefault(AkkaAddressAnnotation);
        var member = _health.Member(address);
        if (member is MemberHealthStatus.Unreachable or MemberHealthStatus.Removed) return true;
        var grace = ready is null ? _timing.NodeStartupGracePeriod : _timing.NodeMonitorGracePeriod;
        return now - _health.LastObserved(name, now) > grace;
    }

    private void Write(string node, Task<StoreResult> write)
    {
        _writing.Add(node);
        write.PipeTo(Self, success: _ => new WriteDone(node), failure: _ => new WriteDone(node));
    }

    /// <summary>MarkPodsNotReady: the node's pods stop counting as Ready endpoints.</summary>
    private void MarkPodsNotReady(string node, DateTimeOffset now)
    {
        var store = _store;
        var events = _events;
        _ = Task.Run(async () =>
        {
            var (list, _) = await store.List(new ListObjects("pods", null, null, $"spec.nodeName={node}"));
            foreach (var raw in list?.Items ?? [])
            {
                var pod = KubeObject.Parse(raw.Utf8);
                if (!PodConditions.Set(pod, "Ready", "False", null, null, now)) continue;
                await store.Update("pods", pod, "status");
                await events.Record(pod, EventRecorder.Warning, "NodeNotReady", "Node is not ready");
            }
        });
    }

    // The node controller refers to nodes with their name as uid, as the kubelet does.
    private static JsonObject NodeReference(string name) =>
        new() { ["kind"] = "Node", ["name"] = name, ["uid"] = name };

    private sealed record WriteDone(string Node);

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }
}
