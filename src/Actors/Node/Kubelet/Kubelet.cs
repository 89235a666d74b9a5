using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Scheduling;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Node.Kubelet;

/// <summary>
/// The kubelet's pod side for one node: watches the pods bound to it (field selector
/// spec.nodeName, which the store indexes), admits them against the node's allocatable,
/// gives each an IP from the node's pod CIDR and a PodWorker, and forwards every change.
/// </summary>
public sealed class Kubelet : ReceiveActor
{
    private readonly NodeHostSettings _settings;
    private readonly NodeSpec _node;
    private readonly PodWorkerContext _context;
    private readonly Dictionary<string, (IActorRef Worker, int IpSlot, ResourceRequests Requests)> _workers = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, string> _uidByWorker = new();
    private readonly HashSet<string> _rejected = new(StringComparer.Ordinal);
    private readonly bool[] _ipSlots = new bool[253];

    public Kubelet(NodeHostSettings settings, NodeSpec node, NodeImages images)
    {
        _settings = settings;
        _node = node;
        var store = new StoreClient(settings.Store, TimeSpan.FromSeconds(10));
        _context = new PodWorkerContext(store, new EventRecorder(store, new EventSource("kubelet", node.Name), settings.Time),
            settings.Timing, settings.Time, settings.Images, images, node.Name, NodeAddresses.InternalIp(node.Index));
        Context.ActorOf(Reflector.Props(settings.Store, new ReflectorSpec("pods", "pods", FieldSelector: $"spec.nodeName={node.Name}")), "pods-reflector");

        Receive<ReflectorReplace>(r =>
        {
            var pods = r.Items.Select(i => KubeObject.Parse(i.Utf8)).ToList();
            var present = pods.Select(p => KubeObject.Uid(p) ?? "").ToHashSet();
            foreach (var uid in _workers.Keys.Where(u => !present.Contains(u)).ToArray()) StopWorker(uid);
            foreach (var pod in pods) Sync(pod);
        });
        Receive<ReflectorEvents>(e =>
        {
            foreach (var ev in e.Events)
            {
                var pod = KubeObject.Parse(ev.Object.Utf8);
                if (ev.Type == "DELETED") StopWorker(KubeObject.Uid(pod) ?? "");
                else Sync(pod);
            }
        });
        Receive<Terminated>(t =>
        {
            if (_uidByWorker.Remove(t.ActorRef, out var uid)) Release(uid);
        });
    }

    public static Props Props(NodeHostSettings settings, NodeSpec node, NodeImages images) =>
        Akka.Actor.Props.Create(() => new Kubelet(settings, node, images));

    private void Sync(JsonObject pod)
    {
        var uid = KubeObject.Uid(pod) ?? "";
        if (_workers.TryGetValue(uid, out var entry))
        {
            entry.Worker.Tell(new PodUpdate(pod));
            return;
        }
        if (_rejected.Contains(uid)) return;

        var spec = KubernetesJson.Deserialize<V1Pod>(pod.ToJsonString()).Spec;
        var requests = ResourceRequests.Of(spec);
        var terminal = KubeObject.ScalarAt(pod, "status.phase") is "Succeeded" or "Failed";
        if (!terminal && KubeObject.At(pod, "metadata.deletionTimestamp") is null && Reject(pod, requests) is { } rejection)
        {
            _rejected.Add(uid);
            _ = _context.Store.Update("pods", rejection, "status");
            _context.Events.Record(pod, EventRecorder.Warning, KubeObject.ScalarAt(rejection, "status.reason")!, KubeObject.ScalarAt(rejection, "status.message")!);
            return;
        }

        var slot = Array.IndexOf(_ipSlots, false);
        if (slot >= 0) _ipSlots[slot] = true;
        var worker = Context.ActorOf(PodWorker.Props(_context, pod, slot >= 0 ? NodeAddresses.PodIp(_node.Index, slot) : null), $"pod-{uid}");
        Context.Watch(worker);
        _workers[uid] = (worker, slot, terminal ? default : requests);
        _uidByWorker[worker] = uid;
    }

    /// <summary>The kubelet's admission (canAdmitPod / noderesources fit): what is already admitted plus this pod must fit allocatable.</summary>
    private JsonObject? Reject(JsonObject pod, ResourceRequests requests)
    {
        var capacity = _settings.Capacity;
        var allocatable = new ResourceRequests(
            ResourceRequests.MilliValue(new ResourceQuantity(capacity.Cpu)),
            ResourceRequests.Value(new ResourceQuantity(capacity.Memory)), 0);
        var used = _workers.Values.Aggregate(default(ResourceRequests), (sum, w) => sum + w.Requests);
        string? resource = null;
        long requested = 0, usedAmount = 0, total = 0;
        if (_workers.Count + 1 > capacity.Pods) (resource, requested, usedAmount, total) = ("pods", 1, _workers.Count, capacity.Pods);
        else if (requests.MilliCpu > 0 && used.MilliCpu + requests.MilliCpu > allocatable.MilliCpu)
            (resource, requested, usedAmount, total) = ("cpu", requests.MilliCpu, used.MilliCpu, allocatable.MilliCpu);
        else if (requests.Memory > 0 && used.Memory + requests.Memory > allocatable.Memory)
            (resource, requested, usedAmount, total) = ("memory", requests.Memory, used.Memory, allocatable.Memory);
        if (resource is null) return null;

        var rejected = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = KubeObject.Name(pod), ["namespace"] = KubeObject.Namespace(pod), ["uid"] = KubeObject.Uid(pod) },
            ["status"] = new JsonObject
            {
                ["phase"] = "Failed",
                ["reason"] = "OutOf" + resource,
                ["message"] = $"Pod was rejected: Node didn't have enough resource: {resource}, requested: {requested}, used: {usedAmount}, capacity: {total}",
                ["startTime"] = KubeObject.Timestamp(_settings.Time.GetUtcNow()),
            },
        };
        if (KubeObject.At(pod, "status.conditions") is JsonArray conditions) rejected["status"]!["conditions"] = conditions.DeepClone();
        if (KubeObject.ScalarAt(pod, "status.qosClass") is { } qos) rejected["status"]!["qosClass"] = qos;
        return rejected;
    }

    private void StopWorker(string uid)
    {
        _rejected.Remove(uid);
        if (!_workers.TryGetValue(uid, out var entry)) return;
        _uidByWorker.Remove(entry.Worker);
        Context.Stop(entry.Worker);
        Release(uid);
    }

    private void Release(string uid)
    {
        if (!_workers.Remove(uid, out var entry)) return;
        if (entry.IpSlot >= 0) _ipSlots[entry.IpSlot] = false;
    }
}
