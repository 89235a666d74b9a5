using System.Text;
using Akka.KubeEmu.Actors.Node.Dns;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;

// Name lookups against the cluster DNS (busybox nslookup, dig, getent hosts, host); curl and wget are in ShellFetch.
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
                var answer = dns.Resolve(operands[0], network.Namespace);
                var (exit, text) = _host.Container?.HasLegacyNslookup == true
                    ? DnsOutput.NslookupLegacy(operands[0], answer, dns.Reverse)
                    : DnsOutput.Nslookup(operands[0], answer);
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
            case "netstat" when network.Listeners is { } listeners:
                Stdout.Write(Netstat(args, listeners()));
                return 0;
            case "ss" when network.Listeners is { } listeners:
                Stdout.Write(Ss(args, listeners()));
                return 0;
        }
        return null;
    }

    private static string Flags(string[] args) => string.Concat(args.Where(a => a.StartsWith('-') && !a.StartsWith("--", StringComparison.Ordinal)).Select(a => a[1..]));

    /// <summary>
    /// busybox netstat: listening TCP sockets with -l (or -a); established connections are not
    /// simulated. With -p, a program of the shell's own container shows as PID/name, a sibling's as
    /// `-` (containers of a pod share the network namespace, not the PID namespace).
    /// </summary>
    private string Netstat(string[] args, IReadOnlyList<PortListener> listeners)
    {
        var flags = Flags(args);
        var servers = flags.Contains('l') || flags.Contains('a');
        var tcp = flags.Contains('t') || !flags.Contains('u');
        var pids = flags.Contains('p');
        var sb = new StringBuilder(flags.Contains('l') ? "Active Internet connections (only servers)\n"
            : flags.Contains('a') ? "Active Internet connections (servers and established)\n" : "Active Internet connections (w/o servers)\n");
        sb.Append("Proto Recv-Q Send-Q Local Address           Foreign Address         State       ");
        sb.Append(pids ? "PID/Program name    \n" : "\n");
        if (!servers || !tcp) return sb.ToString();
        foreach (var l in listeners)
        {
            sb.Append($"{"tcp",-5} {0,6} {0,6} {"0.0.0.0:" + l.Port,-23} {"0.0.0.0:*",-23} {"LISTEN",-12}");
            if (pids) sb.Append(ReferenceEquals(l.Process, _host.Container) ? $"1/{l.Process.MainName}" : "-");
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>iproute2 ss -tl[n][p]: listening TCP sockets, columns as ss aligns them for short addresses.</summary>
    private string Ss(string[] args, IReadOnlyList<PortListener> listeners)
    {
        var flags = Flags(args);
        var pids = flags.Contains('p');
        var rows = new List<string[]> { new[] { "State", "Recv-Q", "Send-Q", "Local Address:Port", "Peer Address:Port", "Process" } };
        if (flags.Contains('l') || flags.Contains('a'))
            foreach (var l in listeners)
                rows.Add(["LISTEN", "0", "4096", $"0.0.0.0:{l.Port}", "0.0.0.0:*",
                    pids && ReferenceEquals(l.Process, _host.Container) ? $"users:((\"{l.Process.MainName}\",pid=1,fd=3))" : ""]);
        var width = rows.Select(r => r.Select(c => c.Length).ToArray()).Aggregate((a, b) => a.Zip(b, Math.Max).ToArray());
        var sb = new StringBuilder();
        foreach (var r in rows)
            sb.Append($"{r[0].PadRight(width[0])} {r[1].PadRight(width[1])} {r[2].PadRight(width[2])} {r[3].PadLeft(width[3])} {r[4].PadRight(width[4])} {r[5]}".TrimEnd()).Append('\n');
        return sb.ToString();
    }

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
}
