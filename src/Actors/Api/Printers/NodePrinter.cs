using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Printers;

/// <summary>printNode: Ready / NotReady (Unknown counts as NotReady) / Unknown, ROLES from node-role labels.</summary>
public static class NodePrinter
{
    public static readonly Printer Printer = new(
    [
        Column.NameColumn,
        new("Status", "The status of the node"),
        new("Roles", "The roles of the node"),
        Column.Age,
        new("Version", "Deprecated: KubeletVersion reported by the node. This field is not set for Windows nodes, instead it is set to `unknown`. Deprecated: Use `.status.nodeInfo.kubeletVersion` instead."),
        new("Internal-IP", "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses", 1),
        new("External-IP", "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/reference/node/node-status/#addresses", 1),
        new("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", 1),
        new("Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
        new("Container-Runtime", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", 1),
    ], Cells);

    private static IReadOnlyList<JsonNode?> Cells(JsonObject json, DateTimeOffset now)
    {
        var node = KubernetesJson.Deserialize<V1Node>(json.ToJsonString());
        var status = new List<string>();
        if (node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready") is { } ready)
            status.Add(ready.Status == "True" ? "Ready" : "NotReady");
        if (status.Count == 0) status.Add("Unknown");
        if (node.Spec?.Unschedulable == true) status.Add("SchedulingDisabled");

        var roles = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in node.Metadata.Labels ?? new Dictionary<string, string>())
        {
            if (key.StartsWith("node-role.kubernetes.io/", StringComparison.Ordinal) && key.Length > "node-role.kubernetes.io/".Length)
                roles.Add(key["node-role.kubernetes.io/".Length..]);
            else if (key == "kubernetes.io/role" && value.Length > 0) roles.Add(value);
        }
        var info = node.Status?.NodeInfo;
        string Address(string type) => node.Status?.Addresses?.FirstOrDefault(a => a.Type == type)?.Address is { Length: > 0 } a ? a : "<none>";
        string OrUnknown(string? s) => string.IsNullOrEmpty(s) ? "<unknown>" : s;
        return
        [
            node.Metadata.Name, string.Join(",", status), roles.Count == 0 ? "<none>" : string.Join(",", roles),
            HumanDuration.Since(node.Metadata.CreationTimestamp, now), info?.KubeletVersion ?? "",
            Address("InternalIP"), Address("ExternalIP"), OrUnknown(info?.OsImage), OrUnknown(info?.KernelVersion), OrUnknown(info?.ContainerRuntimeVersion),
        ];
    }
}
