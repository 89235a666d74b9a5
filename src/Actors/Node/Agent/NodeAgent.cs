using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.NodeLifecycle;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Node.Kubelet;

namespace Akka.KubeEmu.Actors.Node.Agent;

/// <summary>
/// The node half of a kubelet: registers the Node (or takes it over after a process restart),
/// renews its Lease in kube-node-lease, and posts node status when it changes and at least
/// every node-status-report-frequency. A node the controller marked Unknown while this process
/// was unreachable is set Ready again by the next post.
/// </summary>
public sealed class NodeAgent : ReceiveActor, IWithTimers
{
    private const string LeaseNamespace = "kube-node-lease";
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(7);

    private readonly NodeHostSettings _settings;
    private readonly NodeSpec _node;
    private readonly NodeImages _images;
    private readonly NodeObject _object;
    private readonly StoreClient _store;
    private readonly EventRecorder _events;
    private JsonObject? _stored;
    private JsonObject? _lease;
    private DateTimeOffset _lastHeartbeat;
    private TimeSpan _registerBackoff = MinBackoff, _leaseBackoff = MinBackoff;
    private bool _statusInFlight, _leaseInFlight;

    public NodeAgent(NodeHostSettings settings, NodeSpec node, NodeImages images)
    {
        _settings = settings;
        _node = node;
        _images = images;
        _object = new NodeObject(node, settings.Capacity, settings.AkkaAddress, Guid.NewGuid().ToString());
        // Heartbeats time out after one renew interval, so they resume promptly once a restarted
        // control plane is back (a 10 s timeout would let the lease lapse and the node look lost).
        _store = new StoreClient(settings.Store, settings.Timing.NodeLeaseRenewInterval < TimeSpan.FromSeconds(1)
            ? TimeSpan.FromSeconds(1) : settings.Timing.NodeLeaseRenewInterval);
        _events = new EventRecorder(_store, new EventSource("kubelet", node.Name), settings.Time);

        Receive<Register>(_ => RegisterNode().PipeTo(Self, success: ok => new Registered(ok), failure: _ => new Registered(false)));
        Receive<Registered>(OnRegistered);
        Receive<ReflectorReplace>(r => _stored = r.Items.Select(i => KubeObject.Parse(i.Utf8)).FirstOrDefault());
        Receive<ReflectorEvents>(e =>
        {
            foreach (var ev in e.Events) _stored = ev.Type == "DELETED" ? null : KubeObject.Parse(ev.Object.Utf8);
        });
        Receive<SyncStatus>(_ => SyncNodeStatus());
        Receive<StatusPosted>(OnStatusPosted);
        Receive<RenewLease>(_ => Renew());
        Receive<LeaseRenewed>(OnLeaseRenewed);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(NodeHostSettings settings, NodeSpec node, NodeImages images) =>
        Akka.Actor.Props.Create(() => new NodeAgent(settings, node, images));

    private DateTimeOffset Now => _settings.Time.GetUtcNow();

    protected override void PreStart() => Self.Tell(Register.Instance);

    /// <summary>registerWithAPIServer: create, or take over the Node of the same name.</summary>
    private async Task<bool> RegisterNode()
    {
        var created = await _store.Create("nodes", _object.Registration());
        if (!created.Ok)
        {
            if (created.Error!.Code != 409) return false;
            var existing = await _store.Get("nodes", "", _node.Name);
            if (!existing.Ok) return false;
            var updated = await _store.Update("nodes", _object.TakeOver(existing.Object));
            if (!updated.Ok) return false;
        }
        var status = StatusObject(_object.Status(null, Now, _images.All));
        return (await _store.Update("nodes", status, "status")).Ok;
    }

    private void OnRegistered(Registered r)
    {
        if (!r.Ok)
        {
            Timers.StartSingleTimer("register", Register.Instance, _registerBackoff);
            _registerBackoff = Next(_registerBackoff);
            return;
        }
        _lastHeartbeat = Now;
        var node = NodeReference();
        _ = _events.RecordAbout(node, EventRecorder.Normal, "Starting", "Starting kubelet.");
        foreach (var reason in NodeObject.StartupReasons)
            _ = _events.RecordAbout(node, EventRecorder.Normal, reason, $"Node {_node.Name} status is now: {reason}");
        _ = _events.RecordAbout(node, EventRecorder.Normal, "NodeAllocatableEnforced", "Updated Node Allocatable limit across pods");
        _ = _events.RecordAbout(node, EventRecorder.Normal, "NodeReady", $"Node {_node.Name} status is now: NodeReady");

        Context.ActorOf(Reflector.Props(_settings.Store, new ReflectorSpec("node", "nodes", FieldSelector: $"metadata.name={_node.Name}")), "node-reflector");
        Timers.StartPeriodicTimer("status", SyncStatus.Instance, _settings.Timing.NodeStatusUpdateFrequency);
        Self.Tell(RenewLease.Instance);
    }

    /// <summary>syncNodeStatus: post when something changed (including a Ready the controller took away) or the report interval passed.</summary>
    private void SyncNodeStatus()
    {
        if (_statusInFlight) return;
        var stored = _stored?["status"] as JsonObject;
        var desired = _object.Status(stored, Now, _images.All);
        var due = Now - _lastHeartbeat >= _settings.Timing.NodeStatusReportFrequency;
        if (!due && !NodeObject.Changed(stored, desired)) return;
        var wasReady = _stored is null || NodeConditionsUnknown.ReadyStatus(_stored) == "True";
        _statusInFlight = true;
        _store.Update("nodes", StatusObject(desired), "status").PipeTo(Self, success: r => new StatusPosted(r.Ok, wasReady));
    }

    private void OnStatusPosted(StatusPosted p)
    {
        _statusInFlight = false;
        if (!p.Ok) return;
        _lastHeartbeat = Now;
        if (!p.WasReady)
            _ = _events.RecordAbout(NodeReference(), EventRecorder.Normal, "NodeReady", $"Node {_node.Name} status is now: NodeReady");
    }

    /// <summary>The lease controller: renew, creating the Lease when missing; on conflict read it again.</summary>
    private void Renew()
    {
        if (_leaseInFlight) return;
        _leaseInFlight = true;
        var lease = _lease;
        var now = Now;
        RenewAsync(lease, now).PipeTo(Self, success: l => new LeaseRenewed(l), failure: _ => new LeaseRenewed(null));
    }

    private async Task<JsonObject?> RenewAsync(JsonObject? lease, DateTimeOffset now)
    {
        if (lease is null)
        {
            var existing = await _store.Get("leases.coordination.k8s.io", LeaseNamespace, _node.Name);
            if (existing.IsNotFound)
            {
                var created = await _store.Create("leases.coordination.k8s.io", NewLease(now));
                return created.Ok ? created.Object : null;
            }
            if (!existing.Ok) return null;
            lease = existing.Object;
        }
        var renewed = lease.DeepClone().AsObject();
        var spec = KubeObject.EnsureObject(renewed, "spec");
        spec["holderIdentity"] = _node.Name;
        spec["leaseDurationSeconds"] = (int)_settings.Timing.NodeLeaseDuration.TotalSeconds;
        spec["renewTime"] = KubeObject.MicroTimestamp(now);
        var updated = await _store.Update("leases.coordination.k8s.io", renewed);
        return updated.Ok ? updated.Object : null;
    }

    private void OnLeaseRenewed(LeaseRenewed r)
    {
        _leaseInFlight = false;
        _lease = r.Lease;
        if (r.Lease is null)
        {
            Timers.StartSingleTimer("lease", RenewLease.Instance, _leaseBackoff);
            _leaseBackoff = Next(_leaseBackoff);
            return;
        }
        _leaseBackoff = MinBackoff;
        Timers.StartSingleTimer("lease", RenewLease.Instance, _settings.Timing.NodeLeaseRenewInterval);
    }

    private JsonObject NewLease(DateTimeOffset now) => new()
    {
        ["apiVersion"] = "coordination.k8s.io/v1",
        ["kind"] = "Lease",
        ["metadata"] = new JsonObject
        {
            ["name"] = _node.Name,
            ["namespace"] = LeaseNamespace,
            ["ownerReferences"] = _stored is null ? null : new JsonArray(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Node",
                ["name"] = _node.Name,
                ["uid"] = KubeObject.Uid(_stored),
            }),
        },
        ["spec"] = new JsonObject
        {
            ["holderIdentity"] = _node.Name,
            ["leaseDurationSeconds"] = (int)_settings.Timing.NodeLeaseDuration.TotalSeconds,
            ["renewTime"] = KubeObject.MicroTimestamp(now),
        },
    };

    private JsonObject StatusObject(JsonObject status) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Node",
        ["metadata"] = new JsonObject { ["name"] = _node.Name },
        ["status"] = status,
    };

    // The kubelet refers to its node with the name as uid.
    private JsonObject NodeReference() => new() { ["kind"] = "Node", ["name"] = _node.Name, ["uid"] = _node.Name };

    private static TimeSpan Next(TimeSpan backoff) => TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));

    private sealed record Registered(bool Ok);

    private sealed record StatusPosted(bool Ok, bool WasReady);

    private sealed record LeaseRenewed(JsonObject? Lease);

    private sealed class Register
    {
        public static readonly Register Instance = new();
    }

    private sealed class SyncStatus
    {
        public static readonly SyncStatus Instance = new();
    }

    private sealed class RenewLease
    {
        public static readonly RenewLease Instance = new();
    }
}
