using System.Text;

namespace Akka.KubeEmu.Actors.Node.ContainerRuntime.Process.Programs;

/// <summary>
/// Percona XtraBackup 2.4 as the replication tutorial runs it: `--backup --stream=xbstream` writes a
/// backup of the pod's mysqld data directory to stdout (with `xtrabackup_binlog_info` when it logs
/// binlogs and `xtrabackup_slave_info` with `--slave-info` on a replica), `--prepare --target-dir=D`
/// checks and marks a received backup prepared. Its progress lines go to stderr as the real tool's do.
/// </summary>
internal static class Xtrabackup
{
    private const string Banner = "xtrabackup version 2.4.29 based on MySQL server 5.7.40 Linux (x86_64) (revision id: 2e6c0951)\n";

    public static int Run(ShellInterpreter shell, string[] args)
    {
        if (args.Contains("--prepare")) return Prepare(shell, args);
        if (args.Contains("--backup")) return Backup(shell, args);
        shell.Stderr.Write(Banner);
        return 0;
    }

    private static int Prepare(ShellInterpreter shell, string[] args)
    {
        var target = args.FirstOrDefault(a => a.StartsWith("--target-dir=", StringComparison.Ordinal))?["--target-dir=".Length..] ?? shell.Cwd;
        shell.Stderr.Write(Banner);
        var checkpoints = target.TrimEnd('/') + "/xtrabackup_checkpoints";
        if (shell.ReadFile(checkpoints) is not { } text)
        {
            shell.Stderr.Write($"xtrabackup: Error: cannot open {checkpoints}\nxtrabackup: error: xtrabackup_read_metadata() failed.\n");
            return 1;
        }
        var (tree, rel) = shell.Host.Files.Resolve(checkpoints, shell.Cwd);
        tree.Write(rel, text.Replace("backup_type = full-backuped", "backup_type = full-prepared"), append: false);
        shell.Stderr.Write("xtrabackup: cd to " + target + "\nInnoDB: Shutdown completed; log sequence number 2747657\n"
            + shell.Host.Now.UtcDateTime.ToString("yyMMdd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " completed OK!\n");
        return 0;
    }

    private static int Backup(ShellInterpreter shell, string[] args)
    {
        shell.Stderr.Write(Banner);
        var server = MysqlConnection.Connect(shell, "127.0.0.1", MysqlConnection.Port, out var error);
        if (server is null)
        {
            shell.Stderr.Write($"Failed to connect to MySQL server: {error?[(error.IndexOf(": ", StringComparison.Ordinal) + 2)..] ?? "unreachable"}.\n");
            return 1;
        }
        shell.Stdout.Write(XbStream.Write(Of(server, shell.Host.Files, args.Contains("--slave-info"))));
        shell.Stderr.Write(shell.Host.Now.UtcDateTime.ToString("yyMMdd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " completed OK!\n");
        return 0;
    }

    /// <summary>The entries of a backup of a server's data directory (as xtrabackup streams them).</summary>
    public static IEnumerable<(string Path, string? Content)> Of(MysqlServer server, ContainerFileSystem files, bool slaveInfo)
    {
        var entries = new List<(string, string?)>();
        void Walk(string dir, string prefix)
        {
            var (tree, rel) = files.Resolve(dir);
            foreach (var entry in tree.List(rel))
            {
                var full = dir + "/" + entry;
                if (entry.StartsWith("xtrabackup_", StringComparison.Ordinal) || entry.StartsWith("change_master_to", StringComparison.Ordinal)
                    || entry is "master.info" or "auto.cnf") continue;
                if (files.DirectoryExists(full))
                {
                    entries.Add((prefix + entry, null));
                    Walk(full, prefix + entry + "/");
                }
                else entries.Add((prefix + entry, files.Read(full) ?? ""));
            }
        }
        Walk(MysqlServer.DataDir, "");
        entries.AddRange(Metadata(server.LogBin ? (server.BinlogFile, server.BinlogPosition) : null,
            slaveInfo && server.HasMaster ? MasterPosition(files.Read(MysqlServer.DataDir + "/master.info") ?? "") : null));
        return entries;
    }

    /// <summary>The files xtrabackup adds to every backup: checkpoints, its info, and the replication positions.</summary>
    public static IEnumerable<(string Path, string? Content)> Metadata((string File, long Position)? binlog, string? slaveInfo)
    {
        yield return ("xtrabackup_checkpoints", "backup_type = full-backuped\nfrom_lsn = 0\nto_lsn = 2747648\nlast_lsn = 2747657\ncompact = 0\nrecover_binlog_info = 0\n");
        yield return ("backup-my.cnf", "[mysqld]\ninnodb_checksum_algorithm=crc32\ninnodb_data_file_path=ibdata1:12M:autoextend\n");
        if (binlog is { } b) yield return ("xtrabackup_binlog_info", $"{b.File}\t{b.Position}\n");
        if (slaveInfo is not null) yield return ("xtrabackup_slave_info", slaveInfo + "\n");
    }

    /// <summary>What --slave-info writes on a replica: its primary's coordinates as a CHANGE MASTER statement.</summary>
    public static string MasterPosition(string changeMaster)
    {
        var file = MysqlReplication.Setting(changeMaster, "MASTER_LOG_FILE") ?? "mysql-0-bin.000001";
        var pos = MysqlReplication.Setting(changeMaster, "MASTER_LOG_POS") ?? MysqlServer.BinlogStart.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sb = new StringBuilder("CHANGE MASTER TO ");
        sb.Append($"MASTER_LOG_FILE='{file}', ");
        sb.Append($"MASTER_LOG_POS={pos};");
        return sb.ToString();
    }
}
