using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Actors.Store.Allocation;

/// <summary>
/// The cluster IP and node port allocators of kube-apiserver's service registry
/// (registry/core/service/storage/alloc.go), kept inside the Store. The Store is the single writer,
/// so choosing a free value (<see cref="Prepare"/>, while the write is planned) and marking it taken
/// (<see cref="Apply"/>, when the write is committed) happen in one step of one actor: two concurrent
/// creates can never get the same IP, a dry run reserves nothing, and a refused write leaks nothing.
/// The bitmaps are the Store's index of its Services' clusterIPs and nodePorts, rebuilt from them on
/// recovery, so they survive a restart and can never drift from the objects (kube-apiserver keeps them
/// in etcd beside the Services and needs repair controllers for that).
/// </summary>
public sealed class ServiceAllocator
{
    private readonly AllocationBitmap _ips;
    private readonly AllocationBitmap _ports;

    public ServiceAllocator(ServiceNetworkSettings settings, Random? random = null)
    {
        Cidr = settings.Cidr;
        NodePorts = settings.NodePorts;
        _ips = new AllocationBitmap(Cidr.Size, Cidr.Offset, random);
        _ports = new AllocationBitmap(NodePorts.Size, NodePorts.Offset, random);
    }

    public ServiceCidr Cidr { get; }

    public PortRange NodePorts { get; }

    public int AllocatedIps => _ips.Count;

    public int AllocatedPorts => _ports.Count;

    public bool HasIp(string ip) => Cidr.IndexOf(ip) is { } i && _ips.Has(i);

    public bool HasPort(long port) => NodePorts.Contains(port) && _ports.Has((int)(port - NodePorts.Base));

    /// <summary>
    /// allocateCreate / allocateUpdate: fills the service's clusterIP(s) and node ports in place, or
    /// refuses the write with kube-apiserver's error. Marks nothing: <see cref="Apply"/> does on commit.
    /// </summary>
    public ApiStatus? Prepare(JsonObject service, JsonObject? old)
    {
        if (service["spec"] is not JsonObject spec) return null;
        var name = KubeObject.Name(service);
        var type = Type(spec);
        if (old is not null) KeepAllocatedValues(spec, old["spec"] as JsonObject);
        if (ClusterIps(spec, old?["spec"] as JsonObject, type, name) is { } ipError) return ipError;
        return NodePortsOf(spec, old?["spec"] as JsonObject, type, name);
    }

    /// <summary>A committed write: the old object's values are released, the new one's taken.</summary>
    public void Apply(JsonObject? old, JsonObject? next)
    {
        var (oldIps, oldPorts) = Held(old);
        var (newIps, newPorts) = Held(next);
        foreach (var i in oldIps.Except(newIps)) _ips.Release(i);
        foreach (var p in oldPorts.Except(newPorts)) _ports.Release(p);
        foreach (var i in newIps) if (!_ips.Has(i)) _ips.Allocate(i);
        foreach (var p in newPorts) if (!_ports.Has(p)) _ports.Allocate(p);
    }

    /// <summary>After recovery: the bitmaps are what the stored Services hold.</summary>
    public void Rebuild(IEnumerable<JsonObject> services)
    {
        foreach (var s in services) Apply(null, s);
    }

    private ApiStatus? ClusterIps(JsonObject spec, JsonObject? oldSpec, string type, string name)
    {
        if (type == "ExternalName") return null;
        var requested = Requested(spec);
        if (requested == "None") return null;
        if (oldSpec is not null && Type(oldSpec) != "ExternalName")
        {
            // The IP stays with the service (clusterIPs[0] is immutable, validation says so).
            var kept = Requested(oldSpec);
            if (kept is "None" || !string.IsNullOrEmpty(kept) && kept == requested) return null;
            if (!string.IsNullOrEmpty(kept) && string.IsNullOrEmpty(requested))
            {
                SetIp(spec, kept);
                return null;
            }
        }
        if (string.IsNullOrEmpty(requested))
        {
            if (_ips.PickNext() is not { } next)
                return ApiStatus.Internal("failed to allocate a serviceIP: range is full");
            SetIp(spec, Cidr.AddressAt(next));
            return null;
        }
        var error = Cidr.IndexOf(requested) is not { } index
            ? $"the provided IP ({requested}) is not in the valid range. The range of valid IPs is {Cidr.Text}"
            : _ips.Has(index) ? "provided IP is already allocated" : null;
        if (error is not null)
            return ApiStatus.Invalid(ResourceCatalog.Services, name,
                [FieldError.InvalidRaw("spec.clusterIPs", GoStrings(spec["clusterIPs"], requested), $"failed to allocate IP {requested}: {error}")]);
        SetIp(spec, requested);
        return null;
    }

    private ApiStatus? NodePortsOf(JsonObject spec, JsonObject? oldSpec, string type, string name)
    {
        if (type is not ("NodePort" or "LoadBalancer")) return null;
        var oldPorts = oldSpec is not null && Type(oldSpec) is "NodePort" or "LoadBalancer" ? PortsOf(oldSpec) : [];
        var allocateNew = type == "NodePort" || spec["allocateLoadBalancerNodePorts"]?.GetValue<bool>() != false;
        var taken = new HashSet<long>();
        var byServicePort = new Dictionary<long, long>();
        var ports = (spec["ports"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i];
            var number = KubeObject.Long(port["port"]) ?? 0;
            var nodePort = KubeObject.Long(port["nodePort"]) ?? 0;
            if (nodePort == 0 && byServicePort.TryGetValue(number, out var shared))
            {
                // TCP and UDP of one port number share their node port.
                port["nodePort"] = shared;
                continue;
            }
            if (nodePort == 0)
            {
                if (!allocateNew) continue;
                if (PickPort(taken) is not { } next)
                    return ApiStatus.Internal("failed to allocate a nodePort: range is full");
                port["nodePort"] = next;
                taken.Add(next);
                byServicePort[number] = next;
                continue;
            }
            string? error = null;
            if (taken.Contains(nodePort))
            {
                // Only the TCP and UDP sides of one service port may name the same node port.
                if (!byServicePort.TryGetValue(number, out var sibling) || sibling != nodePort) error = "provided port is already allocated";
            }
            else if (!oldPorts.Contains(nodePort))
            {
                error = !NodePorts.Contains(nodePort)
                    ? $"provided port is not in the valid range. The range of valid ports is {NodePorts.Text}"
                    : _ports.Has((int)(nodePort - NodePorts.Base)) ? "provided port is already allocated" : null;
            }
            if (error is not null)
                return ApiStatus.Invalid(ResourceCatalog.Services, name, [FieldError.InvalidRaw($"spec.ports[{i}].nodePort", nodePort.ToString(), error)]);
            taken.Add(nodePort);
            byServicePort.TryAdd(number, nodePort);
        }
        return HealthCheckNodePort(spec, oldSpec, type, name, taken);
    }

    // allocHealthCheckNodePort: a LoadBalancer with externalTrafficPolicy Local gets a node port for the health checks.
    private ApiStatus? HealthCheckNodePort(JsonObject spec, JsonObject? oldSpec, string type, string name, HashSet<long> taken)
    {
        var current = KubeObject.Long(spec["healthCheckNodePort"]) ?? 0;
        if (type != "LoadBalancer" || KubeObject.String(spec, "externalTrafficPolicy") != "Local") return null;
        var old = oldSpec is null ? 0 : KubeObject.Long(oldSpec["healthCheckNodePort"]) ?? 0;
        if (current == 0 && old != 0)
        {
            spec["healthCheckNodePort"] = old;
            return null;
        }
        if (current == 0)
        {
            if (PickPort(taken) is not { } next) return ApiStatus.Internal("failed to allocate a HealthCheck NodePort 0: range is full");
            spec["healthCheckNodePort"] = next;
            return null;
        }
        if (current == old) return null;
        if (!NodePorts.Contains(current) || taken.Contains(current) || _ports.Has((int)(current - NodePorts.Base)))
            return ApiStatus.Internal($"failed to allocate requested HealthCheck NodePort {current}: " +
                                      (NodePorts.Contains(current) ? "provided port is already allocated" : $"provided port is not in the valid range. The range of valid ports is {NodePorts.Text}"));
        return null;
    }

    // patchAllocatedValues: an update that leaves a node port out (kubectl apply of the first manifest) keeps the one it had.
    private static void KeepAllocatedValues(JsonObject spec, JsonObject? oldSpec)
    {
        if (oldSpec is null || Type(oldSpec) is not ("NodePort" or "LoadBalancer") || Type(spec) is not ("NodePort" or "LoadBalancer")) return;
        var oldPorts = (oldSpec["ports"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        foreach (var port in (spec["ports"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if ((KubeObject.Long(port["nodePort"]) ?? 0) != 0) continue;
            var match = oldPorts.FirstOrDefault(o => KubeObject.Long(o["port"]) == KubeObject.Long(port["port"])
                                                    && (KubeObject.String(o, "protocol") ?? "TCP") == (KubeObject.String(port, "protocol") ?? "TCP"));
            if (KubeObject.Long(match?["nodePort"]) is { } np and not 0) port["nodePort"] = np;
        }
    }

    private long? PickPort(HashSet<long> taken)
    {
        // The picked port is not yet marked, so a service asking for several draws until it gets a new one.
        for (var attempt = 0; attempt < 64; attempt++)
        {
            if (_ports.PickNext() is not { } next) return null;
            var port = NodePorts.Base + next;
            if (!taken.Contains(port)) return port;
        }
        for (var p = NodePorts.Base; p < NodePorts.Base + NodePorts.Size; p++)
            if (!taken.Contains(p) && !_ports.Has(p - NodePorts.Base)) return p;
        return null;
    }

    private (HashSet<int> Ips, HashSet<int> Ports) Held(JsonObject? service)
    {
        var ips = new HashSet<int>();
        var ports = new HashSet<int>();
        if (service?["spec"] is not JsonObject spec) return (ips, ports);
        var type = Type(spec);
        if (type != "ExternalName")
            foreach (var ip in (spec["clusterIPs"] as JsonArray)?.Select(KubeObject.ScalarText) ?? [KubeObject.String(spec, "clusterIP")])
                if (ip is not null && Cidr.IndexOf(ip) is { } i) ips.Add(i);
        if (type is "NodePort" or "LoadBalancer")
        {
            foreach (var p in PortsOf(spec))
                if (NodePorts.Contains(p)) ports.Add((int)(p - NodePorts.Base));
            if (KubeObject.Long(spec["healthCheckNodePort"]) is { } hc && NodePorts.Contains(hc)) ports.Add((int)(hc - NodePorts.Base));
        }
        return (ips, ports);
    }

    private static HashSet<long> PortsOf(JsonObject spec) =>
        ((spec["ports"] as JsonArray)?.OfType<JsonObject>() ?? []).Select(p => KubeObject.Long(p["nodePort"]) ?? 0).Where(p => p != 0).ToHashSet();

    private static string Type(JsonObject spec) => KubeObject.String(spec, "type") ?? "ClusterIP";

    private static string? Requested(JsonObject spec) =>
        (spec["clusterIPs"] as JsonArray)?.FirstOrDefault() is { } first ? KubeObject.ScalarText(first) : KubeObject.String(spec, "clusterIP");

    private static void SetIp(JsonObject spec, string ip)
    {
        spec["clusterIP"] = ip;
        spec["clusterIPs"] = new JsonArray(ip);
    }

    // The value as kube-apiserver prints a []string in a field error: ["10.96.0.5"].
    private static string GoStrings(JsonNode? clusterIps, string fallback)
    {
        var items = (clusterIps as JsonArray)?.Select(KubeObject.ScalarText).OfType<string>().ToList() ?? [fallback];
        if (items.Count == 0) items.Add(fallback);
        return "[" + string.Join(",", items.Select(i => $"\"{i}\"")) + "]";
    }
}
