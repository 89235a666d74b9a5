using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.Event;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Flowcontrol;
using Akka.KubeEmu.Cluster.Serialization;

namespace Akka.KubeEmu.Actors.Node.Agent;

/// <summary>Told by the Kubelet when the set of images on the node changes (node.status.images).</summary>
public sealed record NodeImagesChanged(IReadOnlyList<NodeImage> Images);

/// <summary>The process's Node watch may have missed writes (a cluster member was unreachable): the next status sync reads the Node from the Store.</summary>
public sealed class NodeWatchInterrupted
{
    public static readonly NodeWatchInterrupted Instance = new();
}

/// <summary>
/// The kubelet's node-facing half for one emulated node: registers the Node (or takes over the
/// one a previous process left), keeps its status current (the node status manager: compare
/// every NodeStatusUpdateFrequency, post on change and at least every
/// NodeStatusReportFrequency) and renews its Lease (the lease controller), both on jittered periods
/// so that thousands of nodes do not beat in lockstep. Every call goes through the API and may time
/// out or conflict: a conflict is answered by reading again, a failure by retrying with backoff; the
/// agent never crashes for the API's sake.
/// </summary>
public sealed class NodeAgent : UntypedActor, IWithTimers
{
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly NodeContext _node;
    private readonly NodeIdentity _identity;
    private readonly JsonObject _nodeRef;
    private readonly Backoff _registerBackoff = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(7));
    private readonly Backoff _leaseBackoff;

    private bool _registered;
    private bool _registering;
    private bool _runtimeReady;
    private string? _nodeUid;
    private IReadOnlyList<NodeImage> _images = [];

    private bool _statusInFlight;
    // Failed tries of the current status update (kubelet's nodeStatusUpdateRetry: 5 in a row, then the next period).
    private int _statusRetries;
    private const int NodeStatusUpdateRetry = 5;
    private DateTimeOffset? _lastReport;

    // The Node as this agent last read or wrote it. The kubelet reads its Node every status period
    // (from the API server's watch cache); here the next sync compares against this copy instead of
    // asking the Store across processes, until the process's Node watch cache shows a write by someone
    // else or a deletion (checked at each sync), the watch may have missed writes (NodeWatchInterrupted),
    // a write conflicts, or the node is re-registered.
    private RawJson? _seen;
    private string? _seenVersion;

    // What the last sync that found nothing to post compared: the same Node version, runtime state and
    // images give the same desired status, so the next check needs neither parse nor compare until a
    // report is due (a thousand nodes of a process check every 10 s).
    private (string Version, bool RuntimeReady, IReadOnlyList<NodeImage> Images)? _unchanged;

    private JsonObject? _lease;
    private bool _leaseInFlight;

    public NodeAgent(NodeContext node)
    {
        _node = node;
        _identity = NodeIdentity.For(node.NodeName);
        // The lease controller backs off 200 ms..7 s; never longer than a renew interval, or a node of the
        // fast profile would miss its 2 s grace period after a control-plane restart and be marked NotReady.
        _leaseBackoff = new Backoff(TimeSpan.FromMilliseconds(200),
            TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(7).Ticks, node.Timing.NodeLeaseRenewInterval.Ticks)));
        // The kubelet's nodeRef: kind Node, name and uid both the node name, no namespace.
        _nodeRef = new JsonObject { ["kind"] = "Node", ["name"] = node.NodeName, ["uid"] = node.NodeName };
    }

    public static Props Props(NodeContext node) => Akka.Actor.Props.Create(() => new NodeAgent(node));

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        // A kubelet records these on every start: the blank node its setters start from has no
        // conditions yet, so each pressure setter reports its healthy state.
        Record(NodeConditions.StartingReason, NodeConditions.StartingMessage);
        foreach (var c in NodeConditions.Pressure) Record(c.Event, NodeConditions.StatusEventMessage(_node.NodeName, c.Event));
        Record(NodeConditions.AllocatableEnforcedReason, NodeConditions.AllocatableEnforcedMessage);
        // The container runtime answers its first status check a moment after the kubelet starts.
        Timers.StartSingleTimer("runtime", RuntimeReady.Instance, _node.Timing.PodStartupDelay);
        // A random first tick, then jittered periods: nodes started together do not post in lockstep.
        Timers.StartSingleTimer("status", StatusTick.Instance, Jitter.Offset(_node.Timing.NodeStatusUpdateFrequency));
        Self.Tell(Register.Instance);
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Register: StartRegistration(); break;
            case RegistrationRead r: OnRegistrationRead(r.Result); break;
            case RegistrationWritten w: OnRegistrationWritten(w.Result); break;
            case RuntimeReady:
                _runtimeReady = true;
                Self.Tell(SyncStatus.Instance);
                break;
            case SyncStatus: StartStatusSync(); break;
            case StatusTick:
                Timers.StartSingleTimer("status", StatusTick.Instance, Slack(Jitter.Apply(_node.Timing.NodeStatusUpdateFrequency, Jitter.Kubelet)));
                StartStatusSync();
                break;
            case StatusRead r: OnStatusRead(r.Result); break;
            case MetadataWritten w: OnMetadataWritten(w.Result); break;
            case StatusWritten w: OnStatusWritten(w); break;
            case RenewLease: StartLeaseRenewal(); break;
            case LeaseRead r: OnLeaseRead(r.Result); break;
            case LeaseWritten w: OnLeaseWritten(w.Result); break;
            case NodeWatchInterrupted: Forget(); break;
            case NodeImagesChanged images:
                _images = images.Images;
                Self.Tell(SyncStatus.Instance);
                break;
            default: Unhandled(message); break;
        }
    }

    // ---- registration (kubelet_node_status.go registerWithAPIServer) ----

    private void StartRegistration()
    {
        if (_registering) return;
        _registering = true;
        Pipe(_node.Api.Get(ResourceCatalog.Nodes, "", _node.NodeName), r => new RegistrationRead(r));
    }

    private void OnRegistrationRead(StoreResult result)
    {
        if (result.IsNotFound)
        {
            // Registered not ready: the first status sync right after reports Ready, with its NodeReady event.
            Pipe(_node.Api.Create(ResourceCatalog.Nodes, NodeObject.Initial(_node, _identity, runtimeReady: false, _images)), r => new RegistrationWritten(r));
            return;
        }
        if (!result.Ok)
        {
            RetryRegistration(result.Error);
            return;
        }
        // A Node by this name exists: a previous process of this node (or a node of the same
        // name) registered it. Take it over: our labels, annotations (the Akka address the
        // control plane maps members with) and pod CIDR; taints and user labels stay.
        var existing = result.Object;
        if (!NodeObject.EnsureRegistration(existing, _node))
        {
            OnRegistrationWritten(result);
            return;
        }
        Pipe(_node.Api.Update(ResourceCatalog.Nodes, existing), r => new RegistrationWritten(r));
    }

    private void OnRegistrationWritten(StoreResult result)
    {
        _registering = false;
        if (result.IsConflict)
        {
            Self.Tell(Register.Instance); // created meanwhile, or modified: read it again
            return;
        }
        if (!result.Ok)
        {
            RetryRegistration(result.Error);
            return;
        }
        var node = result.Object;
        Forget(); // the first sync reads the Node as registered
        _nodeUid = KubeObject.Uid(node);
        _registered = true;
        _registerBackoff.Reset();
        _log.Info("Node {0} registered (uid {1})", _node.NodeName, _nodeUid);
        Self.Tell(SyncStatus.Instance);
        // As the kubelet's lease controller, the first sync creates the Lease at once; the renewals
        // then start at a random point of their first period (see OnLeaseWritten).
        Self.Tell(RenewLease.Instance);
    }

    private void RetryRegistration(ApiStatus? error)
    {
        _registering = false;
        var delay = _registerBackoff.NextDelay(_node.Now);
        _log.Warning("Node {0}: registration failed ({1}); retrying in {2}", _node.NodeName, error?.Message, delay);
        Timers.StartSingleTimer("register", Register.Instance, delay);
    }

    // ---- node status (kubelet_node_status.go updateNodeStatus) ----

    private void StartStatusSync()
    {
        if (!_registered || _statusInFlight) return;
        if (WrittenElsewhere()) Forget();
        if (_unchanged is { } same && same == (_seenVersion, _runtimeReady, _images) && !ReportDue()) return;
        _statusInFlight = true;
        if (_seen is { } seen) OnStatusRead(new StoreResult(seen, null));
        else Pipe(_node.Api.Get(ResourceCatalog.Nodes, "", _node.NodeName), r => new StatusRead(r));
    }

    private void Seen(StoreResult result, JsonObject node)
    {
        _seen = result.Raw;
        _seenVersion = KubeObject.ResourceVersion(node);
    }

    private void Forget() => (_seen, _seenVersion, _unchanged) = (null, null, null);

    private bool ReportDue() => _lastReport is not { } last || _node.Now - last >= _node.Timing.NodeStatusReportFrequency;

    /// <summary>
    /// Whether the process's Node watch cache holds a write this agent has not seen: a newer
    /// resourceVersion (its own earlier writes show there late too, with older ones), or no Node at
    /// all (deleted). Read at each sync rather than pushed per watch event: a push that came while the
    /// agent had seen no version yet (the node lifecycle controller's Unknown right after a restarted
    /// kubelet's first post) was lost, and the Node stayed Unknown until the next report.
    /// </summary>
    private bool WrittenElsewhere()
    {
        if (_seenVersion is null || _node.NodeCache is not { HasSynced: true } cache) return false;
        if (cache.Get(null, _node.NodeName)?.Metadata?.ResourceVersion is not { } cached) return true;
        return !ulong.TryParse(cached, out var v) || !ulong.TryParse(_seenVersion, out var seen) || v > seen;
    }

    private void OnStatusRead(StoreResult result)
    {
        if (result.IsNotFound)
        {
            // Someone deleted our Node: register it again.
            Forget();
            _statusInFlight = false;
            _registered = false;
            _log.Warning("Node {0} no longer exists; registering it again", _node.NodeName);
            Self.Tell(Register.Instance);
            return;
        }
        if (!result.Ok)
        {
            _statusInFlight = false;
            RetryStatus();
            return;
        }
        var node = result.Object;
        Seen(result, node);
        _nodeUid = KubeObject.Uid(node);
        if (NodeObject.EnsureRegistration(node, _node))
        {
            Forget();
            Pipe(_node.Api.Update(ResourceCatalog.Nodes, node), r => new MetadataWritten(r));
            return;
        }
        var stored = node["status"] as JsonObject;
        var desired = NodeObject.DesiredStatus(stored, _node, _identity, _runtimeReady, _images, out var events);
        var now = _node.Now;
        var changed = !JsonNode.DeepEquals(stored, desired);
        if (!changed && !ReportDue())
        {
            _statusInFlight = false;
            _unchanged = (_seenVersion!, _runtimeReady, _images);
            return;
        }
        NodeObject.Stamp(desired, now);
        var update = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject
            {
                ["name"] = _node.NodeName,
                ["resourceVersion"] = KubeObject.ResourceVersion(node),
            },
            ["status"] = desired,
        };
        Pipe(_node.Api.Update(ResourceCatalog.Nodes, update, "status"), r => new StatusWritten(r, events));
    }

    private void OnMetadataWritten(StoreResult result)
    {
        _statusInFlight = false;
        if (result.Ok || result.IsConflict) Self.Tell(SyncStatus.Instance);
    }

    private void OnStatusWritten(StatusWritten written)
    {
        _statusInFlight = false;
        var result = written.Result;
        if (!result.Ok)
        {
            // Somebody else (the node lifecycle controller) wrote in between, or the request failed
            // (a Store away, a timeout while cut off): read and try again at once.
            Forget();
            RetryStatus();
            return;
        }
        _statusRetries = 0;
        Seen(result, result.Object);
        _lastReport = _node.Now;
        foreach (var reason in written.Events) Record(reason, NodeConditions.StatusEventMessage(_node.NodeName, reason));
    }

    /// <summary>
    /// updateNodeStatus: a failed try is followed at once by another, up to nodeStatusUpdateRetry in a
    /// row; then the next period starts over. A node cut off from the control plane thus posts as soon
    /// as its request in flight times out after the heal, not a whole period later.
    /// </summary>
    private void RetryStatus()
    {
        if (++_statusRetries < NodeStatusUpdateRetry) Self.Tell(SyncStatus.Instance);
        else _statusRetries = 0;
    }

    // ---- the node lease (pkg/kubelet/... component-helpers leasecontroller) ----

    private void StartLeaseRenewal()
    {
        if (!_registered || _leaseInFlight) return;
        _leaseInFlight = true;
        if (_lease is null)
            Pipe(_node.Api.Get(ResourceCatalog.Leases, NodeLease.Namespace, _node.NodeName), r => new LeaseRead(r));
        else
            // Validated against the lease as this kubelet last wrote it, without reading it first: the
            // Store's resourceVersion check refuses the renewal (409) if anyone else wrote it since.
            Pipe(_node.Api.Update(ResourceCatalog.Leases, NodeLease.Renewed(_lease, _node, _nodeUid), current: _lease), r => new LeaseWritten(r));
    }

    private void OnLeaseRead(StoreResult result)
    {
        if (result.IsNotFound)
            Pipe(_node.Api.Create(ResourceCatalog.Leases, NodeLease.New(_node, _nodeUid)), r => new LeaseWritten(r));
        else if (result.Ok)
            Pipe(_node.Api.Update(ResourceCatalog.Leases, NodeLease.Renewed(result.Object, _node, _nodeUid)), r => new LeaseWritten(r));
        else
            RetryLease(result.Error);
    }

    private void OnLeaseWritten(StoreResult result)
    {
        _leaseInFlight = false;
        if (result.Ok)
        {
            // The first renewal at a random point of its period, so that thousands of hollow nodes
            // started together do not renew together; then the kubelet's jittered period.
            var next = _lease is null ? Jitter.Offset(_node.Timing.NodeLeaseRenewInterval) : Jitter.Apply(_node.Timing.NodeLeaseRenewInterval, Jitter.Kubelet);
            _lease = result.Object;
            _leaseBackoff.Reset();
            Timers.StartSingleTimer("lease", RenewLease.Instance, Slack(next));
            return;
        }
        if (result.IsConflict || result.IsNotFound) _lease = null; // read it again before the next try
        RetryLease(result.Error);
    }

    private void RetryLease(ApiStatus? error)
    {
        _leaseInFlight = false;
        var delay = _leaseBackoff.NextDelay(_node.Now);
        _log.Debug("Node {0}: lease renewal failed ({1}); retrying in {2}", _node.NodeName, error?.Message, delay);
        Timers.StartSingleTimer("lease", RenewLease.Instance, delay);
    }

    // ---- helpers ----

    /// <summary>Periodic ticks come due together with the other nodes' of this process (see <see cref="TimerSlack"/>).</summary>
    private TimeSpan Slack(TimeSpan delay) => TimerSlack.Apply(_node.Now, delay, _node.Timing.NodeTimerSlack);

    private void Record(string reason, string message) =>
        _ = _node.Events.RecordAbout(_nodeRef, EventRecorder.Normal, reason, message);

    private void Pipe(Task<StoreResult> call, Func<StoreResult, object> wrap) =>
        call.PipeTo(Self, success: wrap,
            failure: e => wrap(new StoreResult(null, ApiStatus.Internal(e.GetBaseException().Message))));

    private sealed class Register
    {
        public static readonly Register Instance = new();
    }

    private sealed class RuntimeReady
    {
        public static readonly RuntimeReady Instance = new();
    }

    private sealed class SyncStatus
    {
        public static readonly SyncStatus Instance = new();
    }

    /// <summary>The status loop's period (JitterUntil(syncNodeStatus, nodeStatusUpdateFrequency, 0.04)).</summary>
    private sealed class StatusTick
    {
        public static readonly StatusTick Instance = new();
    }

    private sealed class RenewLease
    {
        public static readonly RenewLease Instance = new();
    }

    private sealed record RegistrationRead(StoreResult Result);

    private sealed record RegistrationWritten(StoreResult Result);

    private sealed record StatusRead(StoreResult Result);

    private sealed record MetadataWritten(StoreResult Result);

    private sealed record StatusWritten(StoreResult Result, IReadOnlyList<string> Events);

    private sealed record LeaseRead(StoreResult Result);

    private sealed record LeaseWritten(StoreResult Result);
}
