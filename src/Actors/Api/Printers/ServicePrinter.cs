using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Printers;

/// <summary>printService: TYPE, CLUSTER-IP, EXTERNAL-IP, PORT(S) "8080:31002/TCP", SELECTOR with -o wide.</summary>
public static class ServicePrinter
{
    public static readonly Printer Printer = new(
    [
        Column.NameColumn,
        new("Type", "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer."),
        new("Cluster-IP", "clusterIP is the IP address of the service and is usually assigned randomly."),
        new("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
        new("Port(s)", "The list of ports that are exposed by this service."),
        Column.Age,
        new("Selector", "Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify.", 1),
    ], Cells);

    private static IReadOnlyList<JsonNode?> Cells(JsonObject json, DateTimeOffset now)
    {
        var svc = KubernetesJson.Deserialize<V1Service>(json.ToJsonString());
        var spec = svc.Spec ?? new V1ServiceSpec();
        var type = spec.Type ?? "ClusterIP";
        var clusterIp = type == "ExternalName" ? "<none>" : string.IsNullOrEmpty(spec.ClusterIP) ? "<none>" : spec.ClusterIP;
        var ingress = svc.Status?.LoadBalancer?.Ingress?.Select(i => string.IsNullOrEmpty(i.Ip) ? i.Hostname : i.Ip).ToList() ?? [];
        var external = type switch
        {
            "ExternalName" => spec.ExternalName ?? "<none>",
            "LoadBalancer" => ingress.Concat(spec.ExternalIPs ?? []).ToList() is { Count: > 0 } all ? string.Join(",", all) : "<pending>",
            _ => spec.ExternalIPs is { Count: > 0 } ips ? string.Join(",", ips) : "<none>",
        };
        var ports = spec.Ports is { Count: > 0 } list
            ? string.Join(",", list.Select(p => p.NodePort is { } np and not 0 ? $"{p.Port}:{np}/{p.Protocol ?? "TCP"}" : $"{p.Port}/{p.Protocol ?? "TCP"}"))
            : "<none>";
        var selector = spec.Selector is { Count: > 0 } s ? string.Join(",", s.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")) : "<none>";
        return [svc.Metadata.Name, type, clusterIp, external, ports, HumanDuration.Since(svc.Metadata.CreationTimestamp, now), selector];
    }
}
