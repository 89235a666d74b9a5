using System.Text;
using Akka.KubeEmu.Actors.Node.Dns;
using Akka.KubeEmu.Actors.Node.Network.Http;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

// Name lookups against the cluster DNS (busybox nslookup, dig, getent hosts, host) and HTTP to the
// pod's own servers (curl/wget to localhost or the pod's IP: the containers share the network).
internal sealed partial class ShellInterpreter
{
    /// <summary>Null when the command is not one of these or the container has no network view (then it succeeds quietly as before).</summary>
    private int? NetworkCommand(string name, string[] args)
    {
        if (_host.Network is not { } network) return null;
        var operands = args.Where(a => !a.StartsWith('-') && !a.StartsWith('+')).ToArray();
        switch (name)
        {
            case "nslookup" when network.Dns is { } dns && operands.Length > 0:
            {
                var (exit, text) = DnsOutput.Nslookup(operands[0], dns.Resolve(operands[0], network.Namespace));
                Stdout.Write(text);
                return exit;
            }
            case "dig" when network.Dns is { } dns && operands.Length > 0:
            {
                var query = operands.FirstOrDefault(o => !o.Equals("SRV", StringComparison.OrdinalIgnoreCase) && !o.Equals("A", StringComparison.OrdinalIgnoreCase) && !o.StartsWith('@')) ?? operands[0];
                // dig does not use the search list unless +search is given.
                var answer = args.Contains("+search") ? dns.Resolve(query, network.Namespace) : dns.Lookup(query.TrimEnd('.').ToLowerInvariant());
                Stdout.Write(args.Contains("+short") ? DnsOutput.DigShort(answer) : DigLong(query, answer));
                return 0;
            }
            case "getent" when network.Dns is { } dns && operands.Length > 1 && operands[0] is "hosts" or "ahosts":
            {
                if (operands[1] is "localhost")
                {
                    Stdout.Write("127.0.0.1       localhost\n");
                    return 0;
                }
                var (exit, text) = DnsOutput.GetentHosts(dns.Resolve(operands[1], network.Namespace));
                Stdout.Write(text);
                return exit;
            }
            case "host" when network.Dns is { } dns && operands.Length > 0:
            {
                var answer = dns.Resolve(operands[0], network.Namespace);
                if (answer is null)
                {
                    Stdout.Write($"Host {operands[0]} not found: 3(NXDOMAIN)\n");
                    return 1;
                }
                foreach (var a in answer.Addresses) Stdout.Write($"{answer.Name} has address {a}\n");
                return 0;
            }
            case "curl" or "wget" when network.Local is not null && operands.Length > 0:
                return Fetch(name, args, operands[^1], network);
        }
        return null;
    }

    /// <summary>A one-letter option, alone or combined (-sS, -fsSL).</summary>
    private static bool ShortFlag(string[] args, char flag) =>
        args.Any(a => a.Length > 1 && a[0] == '-' && a[1] != '-' && a.AsSpan(1).Contains(flag));

    private static string DigLong(string query, DnsAnswer? answer)
    {
        var sb = new StringBuilder($"\n; <<>> DiG 9.18.33 <<>> {query}\n;; global options: +cmd\n;; Got answer:\n");
        sb.Append($";; ->>HEADER<<- opcode: QUERY, status: {(answer is null ? "NXDOMAIN" : "NOERROR")}, id: 4242\n\n;; ANSWER SECTION:\n");
        if (answer is not null)
        {
            foreach (var a in answer.Addresses) sb.Append($"{answer.Name}.\t30\tIN\tA\t{a}\n");
            foreach (var s in answer.Srv ?? []) sb.Append($"{answer.Name}.\t30\tIN\tSRV\t{s.Priority} {s.Weight} {s.Port} {s.Target}.\n");
            if (answer.CanonicalName is { } c) sb.Append($"{answer.Name}.\t30\tIN\tCNAME\t{c}.\n");
        }
        return sb.Append($"\n;; SERVER: {ClusterDns.NameserverIp}#53({ClusterDns.NameserverIp}) (UDP)\n\n").ToString();
    }

    /// <summary>curl/wget to the pod itself; other hosts are outside what the shell simulates (null: quiet success).</summary>
    private int? Fetch(string name, string[] args, string url, ContainerNetwork network)
    {
        var rest = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        var slash = rest.IndexOf('/');
        var authority = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? "/" : rest[slash..];
        var colon = authority.LastIndexOf(':');
        var host = colon < 0 ? authority : authority[..colon];
        var port = colon < 0 ? 80 : int.TryParse(authority[(colon + 1)..], out var p) ? p : 80;
        if (host is not ("localhost" or "127.0.0.1") && host != network.PodIp && host != _host.Hostname) return null;
        var request = new HttpRequestHead("GET", path, "HTTP/1.1",
            [new("Host", authority), new("User-Agent", name == "curl" ? "curl/8.11.1" : "Wget"), new("Accept", "*/*")]);
        var response = network.Local!(port, request);
        if (response is null)
        {
            if (name == "curl")
            {
                // -s silences the error, -S brings it back.
                if (!ShortFlag(args, 's') || ShortFlag(args, 'S')) Stderr.Write($"curl: (7) Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server\n");
                return 7;
            }
            Stderr.Write($"wget: can't connect to remote host ({(host == "localhost" ? "127.0.0.1" : host)}): Connection refused\n");
            return 1;
        }
        if (name == "curl")
        {
            if (ShortFlag(args, 'I') || args.Contains("--head"))
                Stdout.Write(Encoding.UTF8.GetString(response.Serialize("HTTP/1.1", true, head: true)).Replace("Connection: keep-alive\r\n", ""));
            else if (ShortFlag(args, 'i')) Stdout.Write(Encoding.UTF8.GetString(response.Serialize("HTTP/1.1", true, head: false)));
            else Stdout.Write(response.BodyText);
            return ShortFlag(args, 'f') && response.Status >= 400 ? 22 : 0;
        }
        if (response.Status >= 400)
        {
            Stderr.Write($"wget: server returned error: HTTP/1.1 {response.Status} {response.Reason}\n");
            return 1;
        }
        var toStdout = args.Any(a => a is "-O-" or "-qO-" or "-qO" or "-O") && (args.Contains("-") || args.Any(a => a.EndsWith("O-", StringComparison.Ordinal)));
        if (toStdout) Stdout.Write(response.BodyText);
        else
        {
            var (tree, rel) = _host.Files.Resolve("index.html", Cwd);
            tree.Write(rel, response.BodyText, append: false);
        }
        return 0;
    }
}
