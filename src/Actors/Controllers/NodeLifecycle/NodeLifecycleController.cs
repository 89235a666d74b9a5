using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Timing;
using Akka.KubeEmu.Cluster.Membership;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.NodeLifecycle;

/// <summary>
/// kube-controller-manager's node lifecycle controller, with Akka cluster membership as its
/// fastest witness where the timing profile allows it (fast): a node whose process is
/// Unreachable or Removed is marked Unknown at once ("Kubelet stopped posting node status."),
/// without waiting for the Lease to expire. A node whose Lease is not renewed (and whose Ready
/// heartbeat does not move) within node-monitor-grace-period is marked in every profile, as in
/// Kubernetes; in the kubernetes profile that is the only way. It keeps the not-ready/unreachable
/// taints in line with the Ready condition and marks the node's pods NotReady.
/// <para>
/// monitorNodeHealth per node, not per pass over all nodes: the queue holds node names; a node is
/// looked at when its own Node, Lease or process changes, and again when the grace period of its
/// last heartbeat runs out (the key comes back after that delay, which node-monitor-period's pass
/// would have found). The node's pods come from the pods' node index; every write goes through the
/// API and a failed one (marking pods NotReady included) is retried with the queue's back-off.
/// </para>
/// </summary>
public sealed class NodeLifecycleController : Controller
{
    public const string ControllerName = "node-controller";

    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(1);

    private readonly TimingProfile _timing;
    private readonly Indexer<V1Node> _nodes;
    private readonly SharedIndexInformer<V1Pod> _pods;
    private readonly NodeHealthTracker _health = new();

    // nodesToRetry: nodes whose pods are still to be marked NotReady.
    private readonly ConcurrentDictionary<string, byte> _podsToMark = new(StringComparer.Ordinal);

    /// <param name="membership">Starts the membership monitor that feeds <see cref="MemberHealth"/> to this actor; null when someone else sends them (tests).</param>
    public NodeLifecycleController(ControllerContext context, TimingProfile timing, Func<IActorRef, Props>? membership, int workers = 8)
        : base(context, ControllerName, workers)
    {
        _timing = timing;
        var nodes = Informers.For<V1Node>();
        var leases = Informers.For<V1Lease>("kube-node-lease", null, null);
        _pods = Informers.For<V1Pod>();
        _nodes = nodes.Indexer;
        NodeProcess.AddIndex(_nodes);

        Handle(nodes, added: NodeAdded, updated: NodeUpdated, deleted: NodeDeleted);
        Handle(leases, added: LeaseChanged, updated: (_, l) => LeaseChanged(l));
        Handle(_pods, added: p => PodUpdated(null, p), updated: PodUpdated);
        if (membership is not null) Context.ActorOf(membership(Self), "membership");

        Receive<MembershipSynced>(_ => { });
        Receive<MemberHealth>(h =>
        {
            _health.OnMember(h, Time.GetUtcNow());
            foreach (var node in _nodes.ByIndex(NodeProcess.AddressIndex, h.Address)) Enqueue(node);
            Pump();
        });
    }

    public static Props Props(ControllerContext context, TimingProfile timing, Func<IActorRef, Props>? membership = null) =>
        Akka.Actor.Props.Create(() => new NodeLifecycleController(context, timing, membership, 8));

    // ---- handlers ----

    private void NodeAdded(V1Node node)
    {
        var name = node.Metadata.Name;
        _health.OnNodeStatus(name, ReadyHeartbeat(node), Time.GetUtcNow());
        _ = Recorder.RecordAbout(NodeReference(name), EventRecorder.Normal, "RegisteredNode",
            $"Node {name} event: Registered Node {name} in Controller");
        Enqueue(name);
    }

    private void NodeUpdated(V1Node old, V1Node cur)
    {
        if (old.Metadata.ResourceVersion == cur.Metadata.ResourceVersion) return;
        _health.OnNodeStatus(cur.Metadata.Name, ReadyHeartbeat(cur), Time.GetUtcNow());
        Enqueue(cur.Metadata.Name);
    }

    private void NodeDeleted(V1Node node)
    {
        _health.Forget(node.Metadata.Name);
        _podsToMark.TryRemove(node.Metadata.Name, out _);
    }

    private void LeaseChanged(V1Lease lease)
    {
        var name = lease.Metadata.Name;
        var renewTime = lease.Spec?.RenewTime?.Ticks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!_health.OnLease(name, renewTime, Time.GetUtcNow())) return;
        // A renewal of a node that is Ready and carries nothing to lift only moves its grace period on:
        // the look every sync of a healthy node leaves due when that period runs out finds it renewed and
        // looks again later. So a thousand nodes renewing every 10 s cost no sync each (as the real
        // controller reads leases only in its periodic monitorNodeHealth pass).
        if (_nodes.Get(name) is { } node && ReadyStatus(node) == "True"
            && NodeTaints.Carries(node, NodeTaints.Wanted("True", node.Spec?.Unschedulable == true))) return;
        Enqueue(name);
    }

    /// <summary>podUpdated: a pod bound to a node that is not Ready is marked NotReady as well (processPod).</summary>
    private void PodUpdated(V1Pod? old, V1Pod cur)
    {
        var node = cur.Spec?.NodeName;
        if (string.IsNullOrEmpty(node) || old?.Spec?.NodeName == node) return;
        if (_nodes.Get(node) is not { } n || ReadyStatus(n) == "True") return;
        _podsToMark[node] = 0;
        Enqueue(node);
    }

    // ---- sync (on a worker): monitorNodeHealth for one node ----

    protected override async Task<SyncResult> Sync(string name)
    {
        var node = _nodes.Get(name);
        if (node is null) return SyncResult.Done;
        var now = Time.GetUtcNow();
        var observedReady = ReadyStatus(node);
        var (lost, expiresAt) = Health(node, observedReady, now);

        // The node as JSON only when something is written: most syncs (a lease renewed) change nothing,
        // and serialising a whole Node for each of them cost the control plane more than the write path.
        JsonObject? current = null;
        var reportNotReady = false;
        if (lost && observedReady != "Unknown")
        {
            // tryUpdateNodeHealth: every condition the kubelet owns becomes Unknown.
            current = KubeModels.ToJsonObject(node);
            NodeConditionsUnknown.Apply(current, now);
            var written = await Api.Update(ResourceCatalog.Nodes, current, "status");
            if (written.IsConflict) return SyncResult.Retry;
            if (written.IsNotFound) return SyncResult.Done;
            current = written.Object;
            if (observedReady == "True")
            {
                _podsToMark[name] = 0;
                reportNotReady = true;
            }
        }

        // The taints first (Kubernetes' NoExecute tainting pass does not wait for anything): the
        // eviction clock of every pod on the node starts with them.
        var currentReady = current is null ? observedReady : NodeConditionsUnknown.ReadyStatus(current);
        var unschedulable = current is null ? node.Spec?.Unschedulable == true : KubeObject.ScalarAt(current, "spec.unschedulable") == "true";
        var wanted = NodeTaints.Wanted(lost ? "Unknown" : currentReady, unschedulable);
        if ((current is not null || !NodeTaints.Carries(node, wanted)) && NodeTaints.Reconcile(current ??= KubeModels.ToJsonObject(node), wanted, now))
        {
            var tainted = await Api.Update(ResourceCatalog.Nodes, current);
            if (tainted.IsConflict && reportNotReady) await ReportNotReady(name);
            if (tainted.IsConflict) return SyncResult.Retry;
            if (tainted.IsNotFound) return SyncResult.Done;
            _ = tainted.Object;
        }

        // Reported once, when the controller itself took Ready away.
        if (reportNotReady) await ReportNotReady(name);

        if (currentReady == "True") _podsToMark.TryRemove(name, out _);
        else if (_podsToMark.ContainsKey(name))
        {
            if (await MarkPodsNotReady(name, now) is { } failed) throw new ApiException(failed); // retried with back-off
            _podsToMark.TryRemove(name, out _);
        }

        // Look again when the last heartbeat's grace period runs out, unless something else comes first.
        // Not lost means now <= expiresAt: a sync at the very instant it runs out (a clock that moves in
        // steps, as virtual time does) must still come back, or nothing would look at the node again.
        return !lost ? SyncResult.After(expiresAt - now + Margin) : SyncResult.Done;
    }

    private Task ReportNotReady(string name) =>
        Recorder.RecordAbout(NodeReference(name), EventRecorder.Normal, "NodeNotReady", $"Node {name} status is now: NodeNotReady");

    /// <summary>Lost: its process is unreachable or gone, or no heartbeat within the grace period; and when that period ends.</summary>
    private (bool Lost, DateTimeOffset ExpiresAt) Health(V1Node node, string? ready, DateTimeOffset now)
    {
        var name = node.Metadata.Name;
        var grace = ready is null ? _timing.NodeStartupGracePeriod : _timing.NodeMonitorGracePeriod;
        var expiresAt = _health.LastObserved(name, now) + grace;
        if (_timing.NodeLossFromMembership && _health.LostByMembership(name, NodeProcess.Address(node)))
            return (true, expiresAt);
        return (now > expiresAt, expiresAt);
    }

    /// <summary>
    /// MarkPodsNotReady: the Ready condition of the node's pods (from the node index) turns False,
    /// through the API; the first failure when a write failed (the others are tried all the same).
    /// </summary>
    private async Task<ApiStatus?> MarkPodsNotReady(string node, DateTimeOffset now)
    {
        ApiStatus? failed = null;
        var at = new DateTime(now.UtcTicks - now.UtcTicks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
        foreach (var pod in _pods.Indexer.ByIndex(Indexers.NodeName, node))
        {
            if (pod.Spec?.NodeName != node) continue;
            if (pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready") is not { } ready || ready.Status == "False") continue;
            var copy = KubeModels.Clone(pod);
            var condition = copy.Status.Conditions.First(c => c.Type == "Ready");
            condition.Status = "False";
            condition.LastTransitionTime = at;
            var result = await Api.UpdateStatus(copy);
            if (result.IsNotFound) continue; // deleted meanwhile: nothing left to mark
            if (!result.Ok)
            {
                failed ??= result.Error! with { Message = $"marking pod {KubeModels.Key(pod)} NotReady: {result.Error!.Message}" };
                continue;
            }
            await Recorder.Event(pod, EventRecorder.Warning, "NodeNotReady", "Node is not ready");
        }
        return failed;
    }

    private static string? ReadyStatus(V1Node node) => node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status;

    private static string? ReadyHeartbeat(V1Node node) =>
        node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.LastHeartbeatTime?.ToString("O");

    // The node controller refers to nodes with their name as uid, as the kubelet does.
    private static JsonObject NodeReference(string name) =>
        new() { ["kind"] = "Node", ["name"] = name, ["uid"] = name };
}
