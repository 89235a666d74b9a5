using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Akka.KubeEmu.Actors.Node.Network;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process.Programs;

/// <summary>
/// A replica's applier (CHANGE MASTER TO ...; START SLAVE): it reads its source's binary log from the
/// position in master.info (SHOW BINLOG EVENTS over the pod network, the question a dump thread
/// answers) and replays the Query events. It catches up when someone reads from the replica, which a
/// client cannot tell from replication that ran all along; a source it cannot reach leaves the data
/// where it was, as replication lag does.
/// </summary>
internal static partial class MysqlReplication
{
    /// <summary>
    /// How long a read waits for the source: a replica answers from its own data, never held up by a
    /// source that is gone for longer than a loaded machine takes to answer (a blackholed node would
    /// otherwise hold every read for the kernel's 130 s).
    /// </summary>
    public static readonly TimeSpan SourceTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The question for the replica's source, or null when the server replicates from none (or it cannot ask).</summary>
    public static MysqlFetch? CatchUp(MysqlServer server, ContainerNetwork network)
    {
        if (server.MasterInfo is not { } info || network.PodIp is null) return null;
        var host = Setting(info, "MASTER_HOST");
        var file = Setting(info, "MASTER_LOG_FILE");
        if (host is null || file is null) return null;
        var ip = System.Net.IPAddress.TryParse(host, out _) ? host : network.Dns?.Resolve(host, network.Namespace)?.Addresses?.FirstOrDefault();
        if (ip is null || ip == network.PodIp) return null;
        var position = long.TryParse(Setting(info, "MASTER_LOG_POS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : MysqlServer.BinlogStart;
        var port = int.TryParse(Setting(info, "MASTER_PORT"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var mp) ? mp : MysqlConnection.Port;
        var query = new PodMysqlQuery(port, $"SHOW BINLOG EVENTS IN '{file}' FROM {position}", null, ColumnNames: false);
        return new MysqlFetch(network.PodIp, network.NodeName, ip, port, query, SourceTimeout);
    }

    /// <summary>Whether a query is the applier's own question: a source answers it as it stands, without catching up itself.</summary>
    public static bool IsBinlogRead(PodMysqlQuery query) => query.Sql.StartsWith("SHOW BINLOG EVENTS", StringComparison.OrdinalIgnoreCase);

    /// <summary>Replays the events the source answered and moves master.info's position past them.</summary>
    public static void Apply(MysqlServer server, MysqlFetchResult result, DateTimeOffset now)
    {
        if (result.Answer is not { Status: 0 } answer || server.MasterInfo is not { } info) return;
        long? end = null;
        foreach (var row in answer.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var columns = row.Split('\t');
            if (columns.Length < 6 || !long.TryParse(columns[4], NumberStyles.Integer, CultureInfo.InvariantCulture, out var eventEnd)) continue;
            var statement = MysqlServer.Unescape(columns[5]);
            string? database = null;
            if (UseDatabase().Match(statement) is { Success: true } use)
            {
                database = use.Groups[1].Value;
                statement = use.Groups[2].Value;
            }
            // The applier stops on an error in real MySQL; here the event is skipped (as sql_slave_skip_counter would).
            new MysqlSql(server, now) { Database = database, Replicating = true }.Run(statement, new StringBuilder(), out _);
            end = eventEnd;
        }
        if (end is { } position)
            server.ChangeMaster(Position().IsMatch(info)
                ? Position().Replace(info.Trim(), "MASTER_LOG_POS=" + position.ToString(CultureInfo.InvariantCulture))
                : info.Trim() + ", MASTER_LOG_POS=" + position.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>One setting of a CHANGE MASTER statement (quoted text or a number); null when it is not there.</summary>
    public static string? Setting(string info, string name)
    {
        var m = Regex.Match(info, name + @"\s*=\s*(?:'([^']*)'|(\d+))", RegexOptions.IgnoreCase);
        return !m.Success ? null : m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value;
    }

    [GeneratedRegex(@"^use `([^`]+)`; (.*)$", RegexOptions.Singleline)]
    private static partial Regex UseDatabase();

    [GeneratedRegex(@"MASTER_LOG_POS\s*=\s*\d+", RegexOptions.IgnoreCase)]
    private static partial Regex Position();
}
