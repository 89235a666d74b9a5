using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Controllers.NodeLifecycle;

namespace Akka.KubeEmu.Actors.Node.Agent;

/// <summary>
/// The Node object a kubelet registers and the status its setters produce
/// (pkg/kubelet/nodestatus): capacity, conditions, addresses, daemon endpoints, node info.
/// </summary>
public sealed class NodeObject(NodeSpec node, NodeCapacity capacity, string akkaAddress, string bootId)
{
    private static readonly (string Type, string Reason, string Message, string Healthy)[] Conditions =
    [
        ("MemoryPressure", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", "False"),
        ("DiskPressure", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", "False"),
        ("PIDPressure", "KubeletHasSufficientPID", "kubelet has sufficient PID available", "False"),
        ("Ready", "KubeletReady", "kubelet is posting ready status", "True"),
    ];

    /// <summary>Event reasons a starting kubelet records for each healthy condition.</summary>
    public static readonly string[] StartupReasons = ["NodeHasSufficientMemory", "NodeHasNoDiskPressure", "NodeHasSufficientPID"];

    public JsonObject Registration() => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Node",
        ["metadata"] = new JsonObject
        {
            ["name"] = node.Name,
            ["labels"] = Labels(),
            ["annotations"] = Annotations(),
        },
        ["spec"] = new JsonObject
        {
            ["podCIDR"] = NodeAddresses.PodCidr(node.Index),
            ["podCIDRs"] = new JsonArray(NodeAddresses.PodCidr(node.Index)),
        },
    };

    /// <summary>Takes over an existing Node (a restarted process): our labels, annotations and CIDR, the rest kept.</summary>
    public JsonObject TakeOver(JsonObject existing)
    {
        var taken = existing.DeepClone().AsObject();
        var meta = KubeObject.Metadata(taken);
        var labels = KubeObject.EnsureObject(meta, "labels");
        foreach (var (k, v) in Labels()) labels[k] = v?.DeepClone();
        var annotations = KubeObject.EnsureObject(meta, "annotations");
        foreach (var (k, v) in Annotations()) annotations[k] = v?.DeepClone();
        var spec = KubeObject.EnsureObject(taken, "spec");
        spec["podCIDR"] = NodeAddresses.PodCidr(node.Index);
        spec["podCIDRs"] = new JsonArray(NodeAddresses.PodCidr(node.Index));
        taken.Remove("status");
        return taken;
    }

    /// <summary>The full status; a condition keeps its lastTransitionTime while its status holds.</summary>
    public JsonObject Status(JsonObject? previous, DateTimeOffset heartbeat, IReadOnlyCollection<string> images)
    {
        var resources = new JsonObject
        {
            ["cpu"] = capacity.Cpu,
            ["ephemeral-storage"] = capacity.EphemeralStorage,
            ["hugepages-1Gi"] = "0",
            ["hugepages-2Mi"] = "0",
            ["memory"] = capacity.Memory,
            ["pods"] = capacity.Pods.ToString(),
        };
        var conditions = new JsonArray();
        foreach (var (type, reason, message, healthy) in Conditions)
        {
            var old = (KubeObject.At(previous, "conditions") as JsonArray)?.OfType<JsonObject>()
                .FirstOrDefault(c => KubeObject.String(c, "type") == type);
            var since = old is not null && KubeObject.String(old, "status") == healthy
                ? KubeObject.String(old, "lastTransitionTime")!
                : KubeObject.Timestamp(heartbeat);
            conditions.Add(new JsonObject
            {
                ["type"] = type,
                ["status"] = healthy,
                ["lastHeartbeatTime"] = KubeObject.Timestamp(heartbeat),
                ["lastTransitionTime"] = since,
                ["reason"] = reason,
                ["message"] = message,
            });
        }
        var status = new JsonObject
        {
            ["capacity"] = resources,
            ["allocatable"] = resources.DeepClone(),
            ["conditions"] = conditions,
            ["addresses"] = new JsonArray(
                new JsonObject { ["type"] = "InternalIP", ["address"] = NodeAddresses.InternalIp(node.Index) },
                new JsonObject { ["type"] = "Hostname", ["address"] = node.Name }),
            ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = 10250 } },
            ["nodeInfo"] = new JsonObject
            {
                ["machineID"] = Hex(node.Name + "machine", 32),
                ["systemUUID"] = Guid.Parse(Hex(node.Name + "system", 32)).ToString(),
                ["bootID"] = bootId,
                ["kernelVersion"] = capacity.KernelVersion,
                ["osImage"] = capacity.OsImage,
                ["containerRuntimeVersion"] = capacity.ContainerRuntimeVersion,
                ["kubeletVersion"] = capacity.KubeletVersion,
                ["kubeProxyVersion"] = capacity.KubeletVersion,
                ["operatingSystem"] = "linux",
                ["architecture"] = "amd64",
            },
        };
        if (images.Count > 0)
            status["images"] = new JsonArray(images.Order().Select(i => (JsonNode)new JsonObject { ["names"] = new JsonArray(i) }).ToArray());
        return status;
    }

    /// <summary>Whether two statuses differ in something other than heartbeat times.</summary>
    public static bool Changed(JsonObject? a, JsonObject b)
    {
        if (a is null) return true;
        static JsonObject Strip(JsonObject s)
        {
            var copy = s.DeepClone().AsObject();
            foreach (var c in (copy["conditions"] as JsonArray)?.OfType<JsonObject>() ?? []) c.Remove("lastHeartbeatTime");
            return copy;
        }
        return !JsonNode.DeepEquals(Strip(a), Strip(b));
    }

    private JsonObject Labels() => new()
    {
        ["beta.kubernetes.io/arch"] = "amd64",
        ["beta.kubernetes.io/os"] = "linux",
        ["kubernetes.io/arch"] = "amd64",
        ["kubernetes.io/hostname"] = node.Name,
        ["kubernetes.io/os"] = "linux",
    };

    private JsonObject Annotations() => new()
    {
        [NodeLifecycleController.AkkaAddressAnnotation] = akkaAddress,
        ["node.alpha.kubernetes.io/ttl"] = "0",
        ["volumes.kubernetes.io/controller-managed-attach-detach"] = "true",
    };

    private static string Hex(string seed, int length) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed)))[..length];
}
