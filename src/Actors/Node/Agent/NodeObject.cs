using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Node.Agent;

/// <summary>
/// The Node object as a kubelet writes it: registration metadata and spec, and the status its
/// setters compute (pkg/kubelet/nodestatus). Pure functions over Kubernetes JSON.
/// </summary>
public static class NodeObject
{
    public const string AkkaAddressAnnotation = "kubeemu.io/akka-address";

    /// <summary>node.status.images holds at most this many (kubelet's nodeStatusMaxImages).</summary>
    public const int MaxImages = 50;

    public static JsonObject Initial(NodeContext node, NodeIdentity identity, bool runtimeReady, IReadOnlyList<NodeImage> images)
    {
        var obj = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = node.NodeName },
            ["spec"] = new JsonObject(),
        };
        EnsureRegistration(obj, node);
        obj["status"] = DesiredStatus(null, node, identity, runtimeReady, images, out _);
        return obj;
    }

    /// <summary>
    /// Puts the kubelet's labels, annotations and pod CIDR on <paramref name="obj"/>, keeping
    /// everything else (user labels, taints, unschedulable). True when something changed.
    /// </summary>
    public static bool EnsureRegistration(JsonObject obj, NodeContext node)
    {
        var meta = KubeObject.Metadata(obj);
        var changed = false;
        var labels = KubeObject.EnsureObject(meta, "labels");
        changed |= Set(labels, "beta.kubernetes.io/arch", "amd64");
        changed |= Set(labels, "beta.kubernetes.io/os", "linux");
        changed |= Set(labels, "kubernetes.io/arch", "amd64");
        changed |= Set(labels, "kubernetes.io/hostname", node.NodeName);
        changed |= Set(labels, "kubernetes.io/os", "linux");
        var annotations = KubeObject.EnsureObject(meta, "annotations");
        changed |= Set(annotations, AkkaAddressAnnotation, node.AkkaAddress);
        if (node.PodNetwork.Address is { } podNetwork) changed |= Set(annotations, Network.PodNetwork.Annotation, podNetwork);
        changed |= Set(annotations, "node.alpha.kubernetes.io/ttl", "0");
        changed |= Set(annotations, "volumes.kubernetes.io/controller-managed-attach-detach", "true");
        var spec = KubeObject.EnsureObject(obj, "spec");
        changed |= Set(spec, "podCIDR", node.Network.PodCidr);
        if (spec["podCIDRs"] is not JsonArray { Count: 1 } cidrs || KubeObject.ScalarText(cidrs[0]) != node.Network.PodCidr)
        {
            spec["podCIDRs"] = new JsonArray(node.Network.PodCidr);
            changed = true;
        }
        return changed;
    }

    /// <summary>The events a status write of <see cref="DesiredStatus"/> stands for.</summary>
    public sealed record StatusEvents(IReadOnlyList<string> Reasons);

    /// <summary>
    /// The status the kubelet wants, computed from the stored one: fields other components own
    /// (volumesAttached, other conditions) are kept, a condition keeps its lastTransitionTime
    /// while its status stays, and lastHeartbeatTime is left as stored so that callers can
    /// compare; <see cref="Stamp"/> sets it before writing. <paramref name="events"/> gets the
    /// node events the changes call for, as the setters record them.
    /// </summary>
    public static JsonObject DesiredStatus(JsonObject? stored, NodeContext node, NodeIdentity identity, bool runtimeReady,
        IReadOnlyList<NodeImage> images, out List<string> events)
    {
        events = [];
        var now = KubeObject.Timestamp(node.Now);
        var status = stored?.DeepClone().AsObject() ?? new JsonObject();
        var resources = new JsonObject
        {
            ["cpu"] = node.Capacity.Cpu,
            ["ephemeral-storage"] = node.Capacity.EphemeralStorage,
            ["hugepages-1Gi"] = "0",
            ["hugepages-2Mi"] = "0",
            ["memory"] = node.Capacity.Memory,
            ["pods"] = node.Capacity.Pods.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        status["capacity"] = resources;
        status["allocatable"] = resources.DeepClone();

        var storedConditions = stored?["conditions"] as JsonArray;
        var conditions = new JsonArray();
        foreach (var wanted in NodeConditions.Pressure)
        {
            var previous = Find(storedConditions, wanted.Type);
            // The pressure setters record an event whenever the condition was not already False.
            if (KubeObject.String(previous, "status") != wanted.Status) events.Add(wanted.Event);
            conditions.Add(Condition(wanted, previous, now));
        }
        var ready = runtimeReady ? NodeConditions.ReadyTrue : NodeConditions.ReadyFalse;
        var previousReady = Find(storedConditions, NodeConditions.Ready);
        // The Ready setter records only a change of an existing condition.
        if (previousReady is not null && KubeObject.String(previousReady, "status") != ready.Status) events.Add(ready.Event);
        conditions.Add(Condition(ready, previousReady, now));
        if (storedConditions is not null)
            foreach (var other in storedConditions)
                if (other is JsonObject o && !IsOwned(KubeObject.String(o, "type"))) conditions.Add(o.DeepClone());
        status["conditions"] = conditions;

        status["addresses"] = new JsonArray(
            new JsonObject { ["type"] = "InternalIP", ["address"] = node.Network.InternalIp },
            new JsonObject { ["type"] = "Hostname", ["address"] = node.NodeName });
        status["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = 10250 } };
        status["nodeInfo"] = new JsonObject
        {
            ["machineID"] = identity.MachineId,
            ["systemUUID"] = identity.SystemUuid,
            ["bootID"] = identity.BootId,
            ["kernelVersion"] = node.Capacity.KernelVersion,
            ["osImage"] = node.Capacity.OsImage,
            ["containerRuntimeVersion"] = node.Capacity.ContainerRuntimeVersion,
            ["kubeletVersion"] = node.Capacity.KubeletVersion,
            ["kubeProxyVersion"] = node.Capacity.KubeletVersion,
            ["operatingSystem"] = "linux",
            ["architecture"] = "amd64",
        };
        if (images.Count > 0)
            status["images"] = new JsonArray(images.OrderByDescending(i => i.SizeBytes).Take(MaxImages)
                .Select(i => (JsonNode)new JsonObject
                {
                    ["names"] = new JsonArray(i.Names.Select(n => (JsonNode)JsonValue.Create(n)!).ToArray()),
                    ["sizeBytes"] = i.SizeBytes,
                }).ToArray());
        else status.Remove("images");
        return status;
    }

    /// <summary>Sets lastHeartbeatTime of the kubelet's conditions: the status is about to be posted.</summary>
    public static void Stamp(JsonObject status, DateTimeOffset now)
    {
        if (status["conditions"] is not JsonArray conditions) return;
        foreach (var c in conditions)
            if (c is JsonObject o && IsOwned(KubeObject.String(o, "type"))) o["lastHeartbeatTime"] = KubeObject.Timestamp(now);
    }

    public static bool IsReady(JsonObject? node) =>
        KubeObject.String(Find(KubeObject.At(node, "status.conditions") as JsonArray, NodeConditions.Ready), "status") == "True";

    private static bool IsOwned(string? type) =>
        type is NodeConditions.MemoryPressure or NodeConditions.DiskPressure or NodeConditions.PidPressure or NodeConditions.Ready;

    private static JsonObject Condition(NodeConditions.Healthy wanted, JsonObject? previous, string now)
    {
        var sameStatus = KubeObject.String(previous, "status") == wanted.Status;
        return new JsonObject
        {
            ["type"] = wanted.Type,
            ["status"] = wanted.Status,
            ["lastHeartbeatTime"] = previous?["lastHeartbeatTime"]?.DeepClone() ?? now,
            ["lastTransitionTime"] = sameStatus ? previous!["lastTransitionTime"]?.DeepClone() ?? now : now,
            ["reason"] = wanted.Reason,
            ["message"] = wanted.Message,
        };
    }

    private static JsonObject? Find(JsonArray? conditions, string type) =>
        conditions?.OfType<JsonObject>().FirstOrDefault(c => KubeObject.String(c, "type") == type);

    private static bool Set(JsonObject obj, string key, string value)
    {
        if (KubeObject.String(obj, key) == value) return false;
        obj[key] = value;
        return true;
    }
}
