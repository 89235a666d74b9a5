using k8s.Models;

namespace Akka.KubeEmu.Actors.Node.Proxy;

/// <summary>One place a Service port's traffic can go: a pod's address and port, and its node.</summary>
public sealed record Backend(string Ip, int Port, string? NodeName)
{
    public override string ToString() => $"{Ip}:{Port}";
}

/// <summary>
/// kube-proxy's view of a Service port's endpoints (pkg/proxy/endpointslicecache): the endpoints of
/// the Service's EndpointSlices that carry the port (by the service port's name), ready ones only
/// (a missing condition counts as ready, as in discovery/v1), each address once.
/// </summary>
public static class ServiceBackends
{
    public static IReadOnlyList<Backend> Ready(V1ServicePort servicePort, IEnumerable<V1EndpointSlice> slices)
    {
        var result = new List<Backend>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var name = servicePort.Name ?? "";
        foreach (var slice in slices)
        {
            if (slice.AddressType != "IPv4" || slice.Endpoints is null) continue;
            var port = slice.Ports?.FirstOrDefault(p => (p.Name ?? "") == name && (p.Protocol ?? "TCP") == (servicePort.Protocol ?? "TCP"));
            if (port?.Port is not { } number) continue;
            foreach (var endpoint in slice.Endpoints)
            {
                if (endpoint.Conditions?.Ready == false || endpoint.Conditions?.Terminating == true) continue;
                foreach (var address in endpoint.Addresses ?? [])
                    if (seen.Add(address)) result.Add(new Backend(address, number, endpoint.NodeName));
            }
        }
        return result;
    }

    /// <summary>externalTrafficPolicy Local: only the endpoints on the node the traffic arrived at.</summary>
    public static IReadOnlyList<Backend> ForNode(V1Service service, IReadOnlyList<Backend> ready, string nodeName) =>
        service.Spec?.ExternalTrafficPolicy == "Local" ? ready.Where(b => b.NodeName == nodeName).ToArray() : ready;
}
