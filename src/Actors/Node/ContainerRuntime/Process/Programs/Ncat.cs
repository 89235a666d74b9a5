using System.Globalization;
using System.Text.RegularExpressions;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process.Programs;

/// <summary>
/// Nmap's ncat. `--listen PORT` (with --keep-open, --send-only, --max-conns, -c/-e CMD) listens on the
/// pod's network and serves until stopped; connecting to `HOST PORT` resolves HOST with the cluster DNS
/// (`Ncat: Could not resolve hostname ...`, exit 2, when it does not). Another pod's processes cannot be
/// read from a simulated shell, so `--recv-only` from a peer of a StatefulSet receives the xtrabackup
/// stream such a peer sends (the replication tutorial's clone): ordinal 0 is taken for the primary
/// (its binlog position), a higher ordinal for a replica (its primary's position as slave info).
/// </summary>
internal static partial class Ncat
{
    public static IEnumerable<ProcessStep> Run(ShellInterpreter shell, string[] args)
    {
        var listen = false;
        var recvOnly = false;
        var operands = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a is "-l" or "--listen") listen = true;
            else if (a == "--recv-only") recvOnly = true;
            else if (a is "-c" or "-e" or "--sh-exec" or "--exec" or "-p" or "--source-port" or "-w" or "--wait" or "-i" or "--idle-timeout") i++;
            else if (a.StartsWith('-')) { if (a.StartsWith("-l", StringComparison.Ordinal) && !a.StartsWith("--", StringComparison.Ordinal)) listen = true; }
            else operands.Add(a);
        }
        var port = operands.Count > 0 && int.TryParse(operands[^1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : 31337;
        if (listen)
        {
            shell.Host.Listen(port, http: false);
            yield return ProcessStep.Block.Instance;
            yield break;
        }
        if (operands.Count < 2)
        {
            shell.Stderr.Write("Ncat: You must specify a host to connect to. QUITTING.\n");
            shell.Status = 2;
            yield break;
        }
        var host = operands[0];
        var network = shell.Host.Network;
        var answer = network?.Dns?.Resolve(host, network.Namespace);
        if (network?.Dns is not null && answer is null)
        {
            shell.Stderr.Write($"Ncat: Could not resolve hostname \"{host}\": Name or service not known. QUITTING.\n");
            shell.Status = 2;
            yield break;
        }
        if (recvOnly && PeerOrdinal().Match(host) is { Success: true } peer)
            shell.Stdout.Write(XbStream.Write(PeerBackup(peer.Groups[1].Value, peer.Groups[2].Value)));
        shell.Status = 0;
    }

    /// <summary>What a StatefulSet peer's `xtrabackup --backup --slave-info --stream=xbstream` sends.</summary>
    private static IEnumerable<(string Path, string? Content)> PeerBackup(string set, string ordinal)
    {
        var primaryBinlog = $"{set}-0-bin.000001";
        var entries = new List<(string, string?)>();
        foreach (var schema in MysqlServer.SystemSchemas) entries.Add((schema, null));
        entries.Add(("ibdata1", ""));
        entries.AddRange(ordinal == "0"
            ? Xtrabackup.Metadata((primaryBinlog, MysqlServer.BinlogStart), null)
            : Xtrabackup.Metadata(null, Xtrabackup.MasterPosition($"MASTER_LOG_FILE='{primaryBinlog}', MASTER_LOG_POS={MysqlServer.BinlogStart}")));
        return entries;
    }

    [GeneratedRegex(@"^([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)-(\d+)(?:\.|$)")]
    private static partial Regex PeerOrdinal();
}
