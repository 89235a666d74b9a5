using System.Net;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Node.Proxy;

/// <summary>Where a connection from a pod to an address goes.</summary>
public abstract record ClusterRoute
{
    /// <summary>To a pod: its address, port and node (a Service's endpoint, or a pod IP dialled directly).</summary>
    public sealed record ToPod(Backend Backend) : ClusterRoute;

    /// <summary>kube-proxy's REJECT: a Service port without usable endpoints.</summary>
    public sealed record Rejected : ClusterRoute
    {
        public static readonly Rejected Instance = new();
    }

    /// <summary>
    /// A node's address or a LoadBalancer address: real host addresses here, where kube-proxy's
    /// listeners answer (a NodePort, a LoadBalancer port) or refuse.
    /// </summary>
    public sealed record ToHost(IPEndPoint Address) : ClusterRoute;

    /// <summary>Nothing answers and nothing refuses (an unused cluster IP or port, an address outside the cluster): the client times out.</summary>
    public sealed record Dropped : ClusterRoute
    {
        public static readonly Dropped Instance = new();
    }
}

/// <summary>
/// What kube-proxy's rules and the pod network do to a connection a pod opens: a Service's cluster
/// IP on one of its ports goes to an endpoint picked as for NodePort traffic (random among the
/// ready ones, ClientIP affinity keyed by the pod's address, internalTrafficPolicy Local keeping to
/// the client's node); no ready endpoint is rejected; a port the Service does not have is dropped,
/// as the iptables mode (kind's) does. A pod IP is routed to the node whose podCIDR holds it; a
/// node's or a LoadBalancer's address is a host address. Anything else is dropped. Reads the
/// informers' thread-safe caches only.
/// </summary>
public sealed class ClusterRouter
{
    private const string ClusterIpIndex = "spec.clusterIP";
    private const string PodCidrIndex = "spec.podCIDR";
    private const string InternalIpIndex = "status.addresses.InternalIP";
    private const string IngressIpIndex = "status.loadBalancer.ingress.ip";

    private readonly Indexer<V1Service> _services;
    private readonly Indexer<V1EndpointSlice> _slices;
    private readonly Indexer<V1Node> _nodes;
    private readonly EndpointPicker _picker;

    public ClusterRouter(Indexer<V1Service> services, Indexer<V1EndpointSlice> slices, Indexer<V1Node> nodes, EndpointPicker picker)
    {
        _services = services;
        _slices = slices;
        _nodes = nodes;
        _picker = picker;
        _services.AddIndexer(ClusterIpIndex, ClusterIps);
        _services.AddIndexer(IngressIpIndex, IngressIps);
        _slices.AddIndexer(ProxyConnector.ServiceIndex, ProxyConnector.SliceService);
        _nodes.AddIndexer(PodCidrIndex, PodCidrs);
        _nodes.AddIndexer(InternalIpIndex, InternalIps);
    }

    /// <param name="clientIp">The connecting pod's address (session affinity is per client).</param>
    /// <param name="clientNode">The connecting pod's node (internalTrafficPolicy Local).</param>
    public ClusterRoute Route(string ip, int port, string clientIp, string clientNode)
    {
        if (_services.ByIndex(ClusterIpIndex, ip).FirstOrDefault() is { } service)
            return ToService(service, port, clientIp, clientNode);
        if (Block24(ip) is { } block && _nodes.ByIndex(PodCidrIndex, block).FirstOrDefault() is { } node)
            return new ClusterRoute.ToPod(new Backend(ip, port, node.Metadata.Name));
        if ((_nodes.ByIndex(InternalIpIndex, ip).Count > 0 || _services.ByIndex(IngressIpIndex, ip).Count > 0) && IPAddress.TryParse(ip, out var host))
            return new ClusterRoute.ToHost(new IPEndPoint(host, port));
        return ClusterRoute.Dropped.Instance;
    }

    /// <summary>The address of a node's pod network (its annotation), null when it publishes none.</summary>
    public IPEndPoint? PodNetworkOf(string nodeName) =>
        _nodes.Get(nodeName)?.Metadata?.Annotations?.TryGetValue(Network.PodNetwork.Annotation, out var address) == true
        && IPEndPoint.TryParse(address!, out var endpoint) ? endpoint : null;

    private ClusterRoute ToService(V1Service service, int port, string clientIp, string clientNode)
    {
        var servicePort = service.Spec?.Ports?.FirstOrDefault(p => p.Port == port && (p.Protocol ?? "TCP") == "TCP");
        if (servicePort is null) return ClusterRoute.Dropped.Instance;
        var key = $"{service.Metadata.NamespaceProperty}/{service.Metadata.Name}";
        var ready = ServiceBackends.Ready(servicePort, _slices.ByIndex(ProxyConnector.ServiceIndex, key));
        if (service.Spec!.InternalTrafficPolicy == "Local")
        {
            // kube-proxy drops (not rejects) when the client's node has no local endpoint.
            ready = ready.Where(b => b.NodeName == clientNode).ToArray();
            if (ready.Count == 0) return ClusterRoute.Dropped.Instance;
        }
        var affinity = service.Spec.SessionAffinity == "ClientIP"
            ? TimeSpan.FromSeconds(service.Spec.SessionAffinityConfig?.ClientIP?.TimeoutSeconds ?? 10800)
            : (TimeSpan?)null;
        return _picker.Pick(key, servicePort.Name ?? "", ready, clientIp, affinity) is { } backend
            ? new ClusterRoute.ToPod(backend)
            : ClusterRoute.Rejected.Instance;
    }

    private static IEnumerable<string> ClusterIps(V1Service service)
    {
        var ips = service.Spec?.ClusterIPs is { Count: > 0 } all ? all : service.Spec?.ClusterIP is { } one ? [one] : [];
        return ips.Where(ip => ip is not ("None" or ""));
    }

    private static IEnumerable<string> IngressIps(V1Service service) =>
        service.Status?.LoadBalancer?.Ingress?.Select(i => i.Ip).OfType<string>() ?? [];

    private static IEnumerable<string> InternalIps(V1Node node) =>
        node.Status?.Addresses?.Where(a => a.Type == "InternalIP").Select(a => a.Address) ?? [];

    // Node podCIDRs are /24 blocks (NodeNetwork), so the first three octets name the node.
    private static IEnumerable<string> PodCidrs(V1Node node) =>
        node.Spec?.PodCIDR is { } cidr && cidr.EndsWith("/24", StringComparison.Ordinal) && Block24(cidr[..^3]) is { } block ? [block] : [];

    private static string? Block24(string ip) =>
        IPAddress.TryParse(ip, out var address) && address.GetAddressBytes() is [var a, var b, var c, _] ? $"{a}.{b}.{c}" : null;
}
