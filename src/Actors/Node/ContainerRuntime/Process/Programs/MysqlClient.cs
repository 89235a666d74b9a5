using System.Globalization;
using System.Text;
using Akka.KubeEmu.Actors.Node.Network;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process.Programs;

/// <summary>
/// The `mysql` client in batch mode: `-h host`, `-P port`, `-e "SQL"` (or the statements on stdin,
/// a here-document), `-N`/`--skip-column-names`, `-t`/`-B` (results as tables, the default on a
/// terminal, or tab-separated), a database argument; `-u`/`-p` are accepted and
/// not checked (the tutorials' root has an empty password). Exit 1 with the server's or the client
/// library's error on stderr.
/// </summary>
internal static class MysqlClient
{
    public static IEnumerable<ProcessStep> Run(ShellInterpreter shell, string[] args)
    {
        string? host = null, execute = null, database = null;
        var port = MysqlConnection.Port;
        var columnNames = true;
        // Tables on a terminal (isatty), tab-separated otherwise; -t and -B force one or the other.
        var table = shell.StdoutIsTerminal;
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            string? Value(string shortName, string longName)
            {
                if (a == shortName || a == longName) return i + 1 < args.Length ? args[++i] : "";
                if (a.StartsWith(longName + "=", StringComparison.Ordinal)) return a[(longName.Length + 1)..];
                if (shortName.Length == 2 && a.StartsWith(shortName, StringComparison.Ordinal) && !a.StartsWith("--", StringComparison.Ordinal)) return a[2..];
                return null;
            }
            if (Value("-h", "--host") is { } h) host = h;
            else if (Value("-e", "--execute") is { } e) execute = e;
            else if (Value("-P", "--port") is { } p) port = int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : port;
            else if (Value("-u", "--user") is not null) { }
            else if (Value("-D", "--database") is { } d) database = d;
            else if (a is "-N" or "--skip-column-names") columnNames = false;
            else if (a is "-t" or "--table") table = true;
            else if (a is "-B" or "--batch") table = false;
            else if (!a.StartsWith('-')) database = a;
        }
        var server = MysqlConnection.Connect(shell, host, port, out var error, out var remote);
        if (error is not null)
        {
            shell.Stderr.Write(error + "\n");
            shell.Status = 1;
            yield break;
        }
        if (server is null)
        {
            var network = shell.Host.Network;
            var statements = execute ?? shell.Stdin;
            // Another pod's server, through the pod network: only a batch the client has in hand (-e or a
            // here-document) can go; where the shell cannot wait ($(...), a probe) it ends quietly, as before.
            if (remote is null || statements is null || !shell.CanWait || network?.Mysql is null || network.PodIp is null)
            {
                shell.Status = 0;
                yield break;
            }
            var query = new PodMysqlQuery(port, statements, database, columnNames, table);
            var pending = network.Mysql(new MysqlFetch(network.PodIp, network.NodeName, remote, port, query, ShellInterpreter.KernelConnectTimeout), shell.Host.Waits!.Value);
            yield return new ProcessStep.Await(pending);
            if (!pending.IsCompletedSuccessfully) yield break;
            var result = pending.Result;
            if (result.Answer is not { } answer)
            {
                var errno = result.Outcome == FetchOutcome.TimedOut ? 110 : 111;
                shell.Stderr.Write($"ERROR 2003 (HY000): Can't connect to MySQL server on '{host}' ({errno})\n");
                shell.Status = 1;
                yield break;
            }
            shell.Stdout.Write(answer.Output);
            if (answer.Error is not null) shell.Stderr.Write(answer.Error + "\n");
            shell.Status = answer.Status;
            yield break;
        }
        if (execute is null && shell.Stdin is null && shell.Host.StdinOpen)
        {
            yield return ProcessStep.Block.Instance; // an interactive client of the pod's server waits for input
            yield break;
        }
        // A replica replays what its source logged before it answers (where the shell can wait for the network).
        if (shell.CanWait && shell.Host.Network is { Mysql: { } ask } own && MysqlReplication.CatchUp(server, own) is { } binlog)
        {
            var caughtUp = ask(binlog, shell.Host.Waits!.Value);
            yield return new ProcessStep.Await(caughtUp);
            if (caughtUp.IsCompletedSuccessfully) MysqlReplication.Apply(server, caughtUp.Result, shell.Host.Now);
        }
        var sql = new MysqlSql(server, shell.Host.Now) { ColumnNames = columnNames, Tables = table };
        if (database is not null)
        {
            if (!server.DatabaseExists(database))
            {
                shell.Stderr.Write($"ERROR 1049 (42000): Unknown database '{database}'\n");
                shell.Status = 1;
                yield break;
            }
            sql.Database = database;
        }
        var output = new StringBuilder();
        var status = sql.Run(execute ?? shell.Stdin ?? "", output, out var failure);
        shell.Stdout.Write(output.ToString());
        if (failure is not null) shell.Stderr.Write(failure + "\n");
        shell.Status = status;
    }
}

/// <summary>`mysqladmin ping|status|version`: whether the pod's mysqld answers, in mysqladmin's words.</summary>
internal static class MysqlAdmin
{
    public static int Run(ShellInterpreter shell, string[] args)
    {
        var host = args.Select((a, i) => a == "-h" && i + 1 < args.Length ? args[i + 1] : a.StartsWith("--host=", StringComparison.Ordinal) ? a[7..] : null)
            .FirstOrDefault(h => h is not null);
        var server = MysqlConnection.Connect(shell, host, MysqlConnection.Port, out var error);
        if (error is not null)
        {
            var where = host is null or "localhost" ? "localhost" : host;
            var reason = error[(error.IndexOf(": ", StringComparison.Ordinal) + 2)..];
            shell.Stderr.Write($"mysqladmin: connect to server at '{where}' failed\nerror: '{reason}'\n");
            if (host is null or "localhost")
                shell.Stderr.Write("Check that mysqld is running and that the socket: '/var/run/mysqld/mysqld.sock' exists!\n");
            return 1;
        }
        var command = args.FirstOrDefault(a => !a.StartsWith('-') && a != host) ?? "";
        switch (command)
        {
            case "ping":
                shell.Stdout.Write("mysqld is alive\n");
                return 0;
            case "version" or "status":
                shell.Stdout.Write(command == "version"
                    ? $"mysqladmin  Ver 8.42 Distrib 5.7.44, for Linux on x86_64\nServer version\t\t5.7.44{(server?.LogBin == true ? "-log" : "")}\n"
                    : "Uptime: 1  Threads: 1  Questions: 1  Slow queries: 0  Opens: 105  Flush tables: 1  Open tables: 98  Queries per second avg: 1.000\n");
                return 0;
            default:
                return 0;
        }
    }
}
