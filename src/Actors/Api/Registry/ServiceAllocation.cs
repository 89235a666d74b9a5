using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Registry;

/// <summary>
/// A service's cluster IP from 10.96.0.0/12 and node ports from 30000-32767, picked at random as
/// the apiserver's allocators do on an empty cluster. (The store does not yet keep an allocation
/// bitmap, so two services may draw the same address; the odds are one in a million.)
/// </summary>
public static class ServiceAllocation
{
    public static void Allocate(JsonObject service)
    {
        if (service["spec"] is not JsonObject spec) return;
        var type = KubeObject.String(spec, "type") ?? "ClusterIP";
        if (type != "ExternalName" && KubeObject.String(spec, "clusterIP") is null or "")
        {
            var offset = Random.Shared.Next(2, 1 << 20);
            var ip = $"10.{96 + (offset >> 16)}.{(offset >> 8) & 0xFF}.{offset & 0xFF}";
            spec["clusterIP"] = ip;
            spec["clusterIPs"] = new JsonArray(ip);
        }
        else if (KubeObject.String(spec, "clusterIP") is { } fixedIp && spec["clusterIPs"] is null)
        {
            spec["clusterIPs"] = new JsonArray(fixedIp);
        }
        if (type is not ("NodePort" or "LoadBalancer")) return;
        foreach (var port in (spec["ports"] as JsonArray)?.OfType<JsonObject>() ?? [])
            if (KubeObject.Long(port["nodePort"]) is null or 0)
                port["nodePort"] = Random.Shared.Next(30000, 32768);
    }
}
