using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Registry;

/// <summary>
/// serviceStrategy's dropTypeDependentFields: when an update switches a Service to a type that no
/// longer uses a field the apiserver filled in (cluster IPs, node ports, the health check node port,
/// allocateLoadBalancerNodePorts, loadBalancerClass, externalTrafficPolicy), the field is wiped, as
/// long as the update left it as it was; a value the user changed too is left for validation to refuse.
/// So `kubectl patch svc web -p '{"spec":{"type":"ClusterIP"}}'` works on a NodePort Service.
/// </summary>
public static class ServiceTypeChange
{
    public static void DropTypeDependentFields(JsonObject service, JsonObject old)
    {
        if (service["spec"] is not JsonObject spec || old["spec"] is not JsonObject oldSpec) return;
        if (NeedsClusterIp(oldSpec) && !NeedsClusterIp(spec))
        {
            if (Same(spec, oldSpec, "clusterIP") && Same(spec, oldSpec, "clusterIPs"))
            {
                spec.Remove("clusterIP");
                spec.Remove("clusterIPs");
            }
            if (Same(spec, oldSpec, "ipFamilies")) spec.Remove("ipFamilies");
            if (Same(spec, oldSpec, "ipFamilyPolicy")) spec.Remove("ipFamilyPolicy");
        }
        // Ports may be added, removed or changed on the way, as long as no node port is new.
        if (NeedsNodePort(oldSpec) && !NeedsNodePort(spec) && NodePorts(oldSpec).IsSupersetOf(NodePorts(spec)))
            foreach (var port in Ports(spec)) port.Remove("nodePort");
        if (NeedsHealthCheckNodePort(oldSpec) && !NeedsHealthCheckNodePort(spec) && Same(spec, oldSpec, "healthCheckNodePort"))
            spec.Remove("healthCheckNodePort");
        if (Type(oldSpec) == "LoadBalancer" && Type(spec) != "LoadBalancer")
        {
            if (spec["allocateLoadBalancerNodePorts"] is not null && Same(spec, oldSpec, "allocateLoadBalancerNodePorts"))
                spec.Remove("allocateLoadBalancerNodePorts");
            if (Same(spec, oldSpec, "loadBalancerClass")) spec.Remove("loadBalancerClass");
        }
        if (ExternallyAccessible(oldSpec) && !ExternallyAccessible(spec) && Same(spec, oldSpec, "externalTrafficPolicy"))
            spec.Remove("externalTrafficPolicy");
    }

    /// <summary>patchAllocatedValues applies only while both the old and the new type have a cluster IP.</summary>
    public static bool KeepsClusterIp(JsonObject service, JsonObject old) =>
        service["spec"] is JsonObject spec && old["spec"] is JsonObject oldSpec && NeedsClusterIp(spec) && NeedsClusterIp(oldSpec);

    private static string Type(JsonObject spec) => KubeObject.String(spec, "type") ?? "ClusterIP";

    private static bool NeedsClusterIp(JsonObject spec) => Type(spec) != "ExternalName";

    private static bool NeedsNodePort(JsonObject spec) => Type(spec) is "NodePort" or "LoadBalancer";

    private static bool NeedsHealthCheckNodePort(JsonObject spec) =>
        Type(spec) == "LoadBalancer" && KubeObject.String(spec, "externalTrafficPolicy") == "Local";

    /// <summary>serviceutil.ExternallyAccessible: node ports, a load balancer, or external IPs.</summary>
    private static bool ExternallyAccessible(JsonObject spec) =>
        NeedsNodePort(spec) || (Type(spec) == "ClusterIP" && spec["externalIPs"] is JsonArray { Count: > 0 });

    private static IEnumerable<JsonObject> Ports(JsonObject spec) => (spec["ports"] as JsonArray)?.OfType<JsonObject>() ?? [];

    private static HashSet<long> NodePorts(JsonObject spec) =>
        Ports(spec).Select(p => KubeObject.Long(p["nodePort"]) ?? 0).Where(p => p != 0).ToHashSet();

    // A missing field and an empty one are the same value (Go's zero values).
    private static bool Same(JsonObject spec, JsonObject oldSpec, string field) =>
        JsonNode.DeepEquals(Normal(spec[field]), Normal(oldSpec[field]));

    private static JsonNode? Normal(JsonNode? node) =>
        node is JsonArray { Count: 0 } || KubeObject.ScalarText(node) is "" || KubeObject.Long(node) == 0 ? null : node;
}
