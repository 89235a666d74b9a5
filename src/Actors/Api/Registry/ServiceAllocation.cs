using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Registry;

/// <summary>
/// What the service registry settles before validation (defaults of SetDefaults_Service the allocator
/// completes, and initIPFamilyFields on a single-stack IPv4 cluster). The cluster IP and node ports
/// themselves are chosen by the Store in the step that stores the Service (Store/Allocation), so that
/// no two Services can get the same one.
/// </summary>
public static class ServiceAllocation
{
    public static void Allocate(JsonObject service)
    {
        if (service["spec"] is not JsonObject spec) return;
        var type = KubeObject.String(spec, "type") ?? "ClusterIP";
        // clusterIP and clusterIPs[0] are the same field in two shapes; either one fills the other.
        var ip = KubeObject.String(spec, "clusterIP");
        var ips = spec["clusterIPs"] as JsonArray;
        if (!string.IsNullOrEmpty(ip) && ips is null or { Count: 0 }) spec["clusterIPs"] = new JsonArray(ip);
        else if (string.IsNullOrEmpty(ip) && ips is { Count: > 0 } && KubeObject.ScalarText(ips[0]) is { } first) spec["clusterIP"] = first;

        if (type == "LoadBalancer" && spec["allocateLoadBalancerNodePorts"] is null) spec["allocateLoadBalancerNodePorts"] = true;
        if (KubeObject.String(spec, "sessionAffinity") == "ClientIP" && spec["sessionAffinityConfig"] is null)
            spec["sessionAffinityConfig"] = new JsonObject { ["clientIP"] = new JsonObject { ["timeoutSeconds"] = 10800 } };
        if (type == "ExternalName")
        {
            spec.Remove("ipFamilyPolicy");
            spec.Remove("ipFamilies");
            return;
        }
        // Headless without a selector asks for every family the cluster has: RequireDualStack, and
        // on a single-stack cluster the second family is listed all the same.
        var headlessWithoutSelector = KubeObject.String(spec, "clusterIP") == "None" && spec["selector"] is not JsonObject { Count: > 0 };
        if (headlessWithoutSelector && spec["ipFamilies"] is null or JsonArray { Count: 1 }
            && KubeObject.String(spec, "ipFamilyPolicy") is null or "RequireDualStack")
        {
            spec["ipFamilyPolicy"] = "RequireDualStack";
            spec["ipFamilies"] = new JsonArray("IPv4", "IPv6");
        }
    }
}
