using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Node.Proxy;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Node.Dns;

/// <summary>One answer of the cluster DNS: A records, or a CNAME (ExternalName), or SRV targets.</summary>
public sealed record DnsAnswer(string Name, IReadOnlyList<string> Addresses, string? CanonicalName = null, IReadOnlyList<SrvRecord>? Srv = null);

public sealed record SrvRecord(int Priority, int Weight, int Port, string Target);

/// <summary>
/// CoreDNS's kubernetes plugin as the specification of Kubernetes DNS describes it, answered from
/// the node process's Service and EndpointSlice caches: <c>svc.ns.svc.cluster.local</c> is the
/// cluster IP (a headless Service: the addresses of its ready endpoints), <c>host.svc.ns.svc...</c>
/// an endpoint with that hostname (StatefulSet pods with a governing Service),
/// <c>_port._proto.svc.ns.svc...</c> SRV records for named ports, <c>a-b-c-d.ns.pod...</c> pod
/// records, ExternalName a CNAME. Short names go through the pod's search list as its resolver
/// does (ndots:5). Lookups are O(one Service's endpoints).
/// </summary>
public sealed class ClusterDns
{
    public const string Domain = "cluster.local";
    public const string NameserverIp = "10.96.0.10";

    private readonly Indexer<V1Service> _services;
    private readonly Indexer<V1EndpointSlice> _slices;

    public ClusterDns(Indexer<V1Service> services, Indexer<V1EndpointSlice> slices)
    {
        _services = services;
        _slices = slices;
        _slices.AddIndexer(ProxyConnector.ServiceIndex, ProxyConnector.SliceService);
    }

    /// <summary>The search list the kubelet writes for a ClusterFirst pod of <paramref name="ns"/>.</summary>
    public static IReadOnlyList<string> SearchList(string ns) => [$"{ns}.svc.{Domain}", $"svc.{Domain}", Domain];

    /// <summary>/etc/resolv.conf as the kubelet writes it (dnsPolicy ClusterFirst).</summary>
    public static string ResolvConf(string ns) =>
        $"search {string.Join(' ', SearchList(ns))}\nnameserver {NameserverIp}\noptions ndots:5\n";

    /// <summary>Resolves as glibc/musl do with the pod's resolv.conf: names with fewer than 5 dots try the search list first.</summary>
    public DnsAnswer? Resolve(string name, string podNamespace)
    {
        var absolute = name.EndsWith('.');
        var bare = name.TrimEnd('.').ToLowerInvariant();
        if (absolute || bare.Count(c => c == '.') >= 5) return Lookup(bare);
        foreach (var domain in SearchList(podNamespace))
            if (Lookup($"{bare}.{domain}") is { } found) return found;
        return Lookup(bare);
    }

    /// <summary>One fully qualified name (without the final dot).</summary>
    public DnsAnswer? Lookup(string fqdn)
    {
        var suffix = "." + Domain;
        if (!fqdn.EndsWith(suffix, StringComparison.Ordinal)) return null;
        var labels = fqdn[..^suffix.Length].Split('.');
        // <svc>.<ns>.svc | <host>.<svc>.<ns>.svc | _<port>._<proto>.<svc>.<ns>.svc | <a-b-c-d>.<ns>.pod
        if (labels.Length == 3 && labels[2] == "pod")
        {
            var ip = labels[0].Replace('-', '.');
            return System.Net.IPAddress.TryParse(ip, out _) ? new DnsAnswer(fqdn, [ip]) : null;
        }
        if (labels[^1] != "svc") return null;
        if (labels.Length == 3) return ServiceRecord(fqdn, labels[1], labels[0]);
        if (labels.Length == 4) return EndpointRecord(fqdn, labels[2], labels[1], labels[0]);
        if (labels.Length == 5 && labels[0].StartsWith('_') && labels[1].StartsWith('_'))
            return SrvRecords(fqdn, labels[3], labels[2], labels[0][1..], labels[1][1..]);
        return null;
    }

    private DnsAnswer? ServiceRecord(string fqdn, string ns, string name)
    {
        if (_services.Get(ns, name) is not { Spec: { } spec }) return null;
        if (spec.Type == "ExternalName") return new DnsAnswer(fqdn, [], spec.ExternalName);
        if (spec.ClusterIP is { } ip && ip != "None") return new DnsAnswer(fqdn, [ip]);
        var addresses = ReadyEndpoints(ns, name).SelectMany(e => e.Addresses ?? []).Distinct().ToArray();
        return addresses.Length == 0 ? null : new DnsAnswer(fqdn, addresses);
    }

    private DnsAnswer? EndpointRecord(string fqdn, string ns, string service, string host)
    {
        if (_services.Get(ns, service) is null) return null;
        var addresses = ReadyEndpoints(ns, service).Where(e => e.Hostname == host).SelectMany(e => e.Addresses ?? []).ToArray();
        return addresses.Length == 0 ? null : new DnsAnswer(fqdn, addresses);
    }

    private DnsAnswer? SrvRecords(string fqdn, string ns, string name, string port, string protocol)
    {
        if (_services.Get(ns, name) is not { Spec: { } spec }) return null;
        var servicePort = spec.Ports?.FirstOrDefault(p => p.Name == port && string.Equals(p.Protocol ?? "TCP", protocol, StringComparison.OrdinalIgnoreCase));
        if (servicePort is null) return null;
        var service = $"{name}.{ns}.svc.{Domain}";
        if (spec.ClusterIP is { } ip && ip != "None")
            return new DnsAnswer(fqdn, [], Srv: [new SrvRecord(0, 100, servicePort.Port, service)]);
        var records = new List<SrvRecord>();
        foreach (var slice in _slices.ByIndex(ProxyConnector.ServiceIndex, $"{ns}/{name}"))
        {
            var target = slice.Ports?.FirstOrDefault(p => p.Name == port)?.Port;
            if (target is null) continue;
            foreach (var e in slice.Endpoints ?? [])
                if (e.Conditions?.Ready != false && e.Addresses?.FirstOrDefault() is { } address)
                    records.Add(new SrvRecord(0, 100, target.Value, $"{e.Hostname ?? address.Replace('.', '-')}.{service}"));
        }
        if (records.Count == 0) return null;
        // CoreDNS shares a weight of 100 among the records of one priority (floor, at least 1): 50 each for two pods.
        var weight = Math.Max(1, 100 / records.Count);
        return new DnsAnswer(fqdn, [], Srv: records.Select(r => r with { Weight = weight }).OrderBy(r => r.Target, StringComparer.Ordinal).ToArray());
    }

    /// <summary>
    /// The PTR name of an address (what old busybox nslookup prints beside it): a cluster IP's
    /// Service, or a ready endpoint's hostname (or dashed address) under its Service. Scans the
    /// caches: only for a shell's lookup, never on a traffic path.
    /// </summary>
    public string? Reverse(string ip)
    {
        if (ip == NameserverIp) return $"kube-dns.kube-system.svc.{Domain}";
        foreach (var svc in _services.List())
            if (svc.Spec?.ClusterIP == ip) return $"{svc.Metadata.Name}.{svc.Metadata.NamespaceProperty}.svc.{Domain}";
        foreach (var slice in _slices.List())
            foreach (var e in slice.Endpoints ?? [])
                if (e.Conditions?.Ready != false && e.Addresses?.Contains(ip) == true && SliceService(slice) is { } service)
                    return $"{e.Hostname ?? ip.Replace('.', '-')}.{service}.{slice.Metadata.NamespaceProperty}.svc.{Domain}";
        return null;
    }

    private static string? SliceService(V1EndpointSlice slice) =>
        slice.Metadata?.Labels?.TryGetValue(ProxyConnector.ServiceIndex, out var name) == true ? name : null;

    private IEnumerable<V1Endpoint> ReadyEndpoints(string ns, string service) =>
        _slices.ByIndex(ProxyConnector.ServiceIndex, $"{ns}/{service}")
            .Where(s => s.AddressType == "IPv4")
            .SelectMany(s => s.Endpoints ?? [])
            .Where(e => e.Conditions?.Ready != false);
}
