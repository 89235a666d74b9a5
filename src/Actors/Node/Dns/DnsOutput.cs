using System.Text;

namespace Akka.KubeEmu.Actors.Node.Dns;

/// <summary>What the usual tools print for an answer of <see cref="ClusterDns"/> (busybox nslookup, dig +short, getent hosts).</summary>
public static class DnsOutput
{
    /// <summary>busybox nslookup (1.36): the server, then the name and its addresses; exit 1 with NXDOMAIN.</summary>
    public static (int Exit, string Text) Nslookup(string query, DnsAnswer? answer)
    {
        var sb = new StringBuilder($"Server:\t\t{ClusterDns.NameserverIp}\nAddress:\t{ClusterDns.NameserverIp}:53\n\n");
        if (answer is null) return (1, sb.Append($"** server can't find {query}: NXDOMAIN\n\n").ToString());
        if (answer.CanonicalName is { } cname) sb.Append($"{answer.Name}\tcanonical name = {cname}\n");
        foreach (var address in answer.Addresses) sb.Append($"Name:\t{answer.Name}\nAddress: {address}\n");
        // nslookup -type=srv: busybox prints each record as "<name>\tservice = priority weight port target".
        foreach (var r in answer.Srv ?? []) sb.Append($"{answer.Name}\tservice = {r.Priority} {r.Weight} {r.Port} {r.Target}\n");
        return (0, sb.Append('\n').ToString());
    }

    /// <summary>
    /// busybox up to 1.28 (the Kubernetes StatefulSet and DNS pages use busybox:1.28): the name as
    /// asked, each address numbered with its PTR name; `can't resolve` with exit 1.
    /// </summary>
    public static (int Exit, string Text) NslookupLegacy(string query, DnsAnswer? answer, Func<string, string?> reverse)
    {
        static string Address(int n, string ip, string? name) => name is null ? $"Address {n}: {ip}\n" : $"Address {n}: {ip} {name}\n";
        var sb = new StringBuilder($"Server:    {ClusterDns.NameserverIp}\n").Append(Address(1, ClusterDns.NameserverIp, reverse(ClusterDns.NameserverIp))).Append('\n');
        if (answer is null || answer.Addresses.Count == 0 && answer.CanonicalName is null)
            return (1, sb.Append($"nslookup: can't resolve '{query}'\n").ToString());
        sb.Append($"Name:      {query}\n");
        for (var i = 0; i < answer.Addresses.Count; i++) sb.Append(Address(i + 1, answer.Addresses[i], reverse(answer.Addresses[i])));
        return (0, sb.ToString());
    }

    /// <summary>dig +short: one address (or SRV line, or the CNAME) per line.</summary>
    public static string DigShort(DnsAnswer? answer)
    {
        if (answer is null) return "";
        if (answer.Srv is { } srv) return string.Concat(srv.Select(r => $"{r.Priority} {r.Weight} {r.Port} {r.Target}.\n"));
        if (answer.CanonicalName is { } cname) return cname + ".\n";
        return string.Concat(answer.Addresses.Select(a => a + "\n"));
    }

    /// <summary>getent hosts: "address   name" for the first address; exit 2 when not found.</summary>
    public static (int Exit, string Text) GetentHosts(DnsAnswer? answer) =>
        answer is { Addresses.Count: > 0 } a ? (0, $"{a.Addresses[0],-15} {a.Name}\n") : (2, "");
}
