using System.Net;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;
using WireSrvRecord = ARSoft.Tools.Net.Dns.SrvRecord;

namespace Akka.KubeEmu.Actors.Node.Dns;

/// <summary>
/// The cluster DNS on a real UDP port of the host (HOCON <c>kubeemu.traffic.dns-udp-port</c>, off by
/// default), so that `dig @127.0.0.1 -p PORT web-0.nginx.default.svc.cluster.local` answers as CoreDNS's
/// kubernetes plugin would: A, CNAME (ExternalName), SRV and PTR records from the node process's caches,
/// TTL 5, authoritative, NXDOMAIN for names of the zone it does not know. The wire format is
/// ARSoft.Tools.Net's.
/// </summary>
public sealed class DnsUdpServer : IDisposable
{
    /// <summary>CoreDNS's kubernetes plugin answers with a TTL of 5 s.</summary>
    private const int Ttl = 5;

    private readonly DnsServer _server;

    public DnsUdpServer(ClusterDns dns, IPEndPoint endpoint)
    {
        _server = new DnsServer(new UdpServerTransport(endpoint));
        _server.QueryReceived += (_, e) =>
        {
            e.Response = e.Query is DnsMessage query ? Answer(dns, query) : null;
            return Task.CompletedTask;
        };
        _server.Start();
    }

    /// <summary>The response to one query.</summary>
    public static DnsMessage Answer(ClusterDns dns, DnsMessage query)
    {
        var response = query.CreateResponseInstance();
        response.IsAuthoritiveAnswer = true;
        response.IsRecursionAllowed = true;
        response.ReturnCode = ReturnCode.NoError;
        foreach (var question in query.Questions)
        {
            var name = question.Name.ToString().TrimEnd('.').ToLowerInvariant();
            if (question.RecordType == RecordType.Ptr)
            {
                if (ReverseAddress(name) is { } ip && dns.Reverse(ip) is { } target)
                    response.AnswerRecords.Add(new PtrRecord(question.Name, Ttl, DomainName.Parse(target)));
                else response.ReturnCode = ReturnCode.NxDomain;
                continue;
            }
            if (dns.Lookup(name) is not { } answer)
            {
                response.ReturnCode = ReturnCode.NxDomain;
                continue;
            }
            if (answer.CanonicalName is { } cname)
                response.AnswerRecords.Add(new CNameRecord(question.Name, Ttl, DomainName.Parse(cname)));
            switch (question.RecordType)
            {
                case RecordType.A or RecordType.Any:
                    foreach (var address in answer.Addresses)
                        if (IPAddress.TryParse(address, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
                            response.AnswerRecords.Add(new ARecord(question.Name, Ttl, ip));
                    break;
                case RecordType.Srv:
                    foreach (var srv in answer.Srv ?? [])
                        response.AnswerRecords.Add(new WireSrvRecord(question.Name, Ttl, (ushort)srv.Priority, (ushort)srv.Weight, (ushort)srv.Port, DomainName.Parse(srv.Target)));
                    break;
            }
        }
        return response;
    }

    /// <summary>4.3.2.1.in-addr.arpa to 1.2.3.4; null for anything else.</summary>
    private static string? ReverseAddress(string name)
    {
        const string suffix = ".in-addr.arpa";
        if (!name.EndsWith(suffix, StringComparison.Ordinal)) return null;
        var octets = name[..^suffix.Length].Split('.');
        return octets.Length == 4 ? string.Join('.', octets.Reverse()) : null;
    }

    public void Dispose() => _server.Stop();
}
