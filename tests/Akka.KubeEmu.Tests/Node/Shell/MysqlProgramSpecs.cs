using Akka.KubeEmu.Actors.Node.ContainerRuntime;
using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;
using Akka.KubeEmu.Actors.Node.Logs;
using Xunit;

namespace Akka.KubeEmu.Tests.Node.Shell;

/// <summary>The simulated mysql, mysqladmin, xtrabackup, xbstream and ncat, in a pod whose mysqld runs in a sibling container.</summary>
public sealed class MysqlProgramSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly CatalogImage MysqlImage = new(ImageBehaviour.Serve, null, 0, 0, true, 0, 1, null) { Ports = [3306] };
    private static readonly CatalogImage Bash = new(ImageBehaviour.Run, ["bash"], 0, 0, false, 0, 1, null);

    private readonly FileTree _data = new();
    private readonly FileTree _conf = new();
    private ContainerProcess? _mysqld;

    private ContainerFileSystem Files() => new([("/var/lib/mysql", _data), ("/etc/mysql/conf.d", _conf)]);

    private ContainerNetwork Network() => new("default", null, null, "10.244.1.5", port => _mysqld is { Exited: false } m && m.Ports.ContainsKey(port) ? m : null);

    private void StartMysqld(string config = "[mysqld]\nserver-id=100\nlog-bin\n")
    {
        _conf.Write("server-id.cnf", config, append: false);
        var log = new ContainerLog(ContainerLogSettings.Default, "mysql");
        _mysqld = new ContainerProcess(new ProcessSpec([], MysqlImage, new Dictionary<string, string>(), "mysql-0", false, false, [3306], Network()),
            Files(), log, T0);
        _mysqld.Advance(T0);
    }

    private (ContainerProcess Process, string[] Out, string[] Err) Shell(string script, string hostname = "mysql-0")
    {
        var log = new ContainerLog(ContainerLogSettings.Default, "sidecar");
        var spec = new ProcessSpec(["bash", "-c", script], Bash, new Dictionary<string, string>(), hostname, true, false, [], Network());
        var process = new ContainerProcess(spec, Files(), log, T0);
        process.Advance(T0.AddMinutes(1));
        return (process, log.Lines.Where(l => !l.Stderr).Select(l => l.Text).ToArray(), log.Lines.Where(l => l.Stderr).Select(l => l.Text).ToArray());
    }

    [Fact]
    public void Without_a_running_mysqld_the_client_and_mysqladmin_fail_as_the_real_ones_do()
    {
        var (_, _, err) = Shell("mysql -h 127.0.0.1 -e 'SELECT 1'; echo rc=$? >&2; mysqladmin ping; echo rc=$? >&2");
        Assert.Equal(["ERROR 2003 (HY000): Can't connect to MySQL server on '127.0.0.1' (111)", "rc=1",
            "mysqladmin: connect to server at 'localhost' failed",
            "error: 'Can't connect to local MySQL server through socket '/var/run/mysqld/mysqld.sock' (2)'",
            "Check that mysqld is running and that the socket: '/var/run/mysqld/mysqld.sock' exists!", "rc=1"], err);
    }

    [Fact]
    public void The_readiness_and_liveness_probes_of_the_tutorial_succeed_once_mysqld_runs()
    {
        StartMysqld();
        var ready = _mysqld!.Exec(["mysql", "-h", "127.0.0.1", "-e", "SELECT 1"], TimeSpan.FromSeconds(1), T0.AddSeconds(5));
        Assert.Equal((0, "1\n1\n"), (ready.ExitCode, ready.Output));
        var alive = _mysqld.Exec(["mysqladmin", "ping"], TimeSpan.FromSeconds(5), T0.AddSeconds(30));
        Assert.Equal((0, "mysqld is alive\n"), (alive.ExitCode, alive.Output));
        // The first connection finds the data directory initialised, with the binary log log-bin asks for.
        Assert.True(_data.DirectoryExists("mysql"));
        Assert.True(_data.FileExists("mysql-0-bin.000001"));
    }

    [Fact]
    public void Sql_keeps_databases_tables_and_rows_in_the_data_directory_and_answers_the_server_id()
    {
        StartMysqld();
        var (_, output, err) = Shell("""
            mysql -h 127.0.0.1 <<EOF
            CREATE DATABASE test;
            CREATE TABLE test.messages (message VARCHAR(250));
            INSERT INTO test.messages VALUES ('hello');
            EOF
            mysql -h 127.0.0.1 -e "SELECT * FROM test.messages"
            mysql -h localhost -e "SELECT @@server_id,NOW()"
            mysql -N -e "SHOW DATABASES"
            mysql -e "CREATE DATABASE test" || echo "rc=$?"
            mysql -e "SELECT * FROM test.nope; SELECT 1"
            mysql -e "DROP TABLE x"
            """);
        Assert.Equal(["message", "hello", "@@server_id\tNOW()", "100\t2026-11-22 12:00:00", "information_schema", "mysql", "performance_schema", "sys", "test",
            "rc=1"], output);
        Assert.Equal(["ERROR 1007 (HY000) at line 1: Can't create database 'test'; database exists",
            "ERROR 1146 (42S02) at line 1: Table 'test.nope' doesn't exist",
            "ERROR 1064 (42000) at line 1: You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near 'DROP TABLE x' at line 1"], err);
        Assert.Equal("hello\n", _data.Read("test/messages.ibd"));
    }

    [Fact]
    public void A_super_read_only_replica_refuses_writes_but_takes_its_replication_settings()
    {
        StartMysqld("[mysqld]\nserver-id=101\n# Apply this config only on replicas.\n[mysqld]\nsuper-read-only\n");
        var (_, output, err) = Shell("""
            mysql -h 127.0.0.1 -e "CHANGE MASTER TO MASTER_LOG_FILE='mysql-0-bin.000001', MASTER_LOG_POS=154, MASTER_HOST='mysql-0.mysql'; START SLAVE;" && echo replicating
            mysql -h 127.0.0.1 -e "CREATE DATABASE x"
            mysql -h 127.0.0.1 -N -e "SELECT @@server_id"
            """, "mysql-1");
        Assert.Equal(["replicating", "101"], output);
        Assert.Equal(["ERROR 1290 (HY000) at line 1: The MySQL server is running with the --super-read-only option so it cannot execute this statement"], err);
        Assert.Contains("MASTER_HOST='mysql-0.mysql'", _data.Read("master.info"));
    }

    [Fact]
    public void On_a_terminal_results_are_tables_with_numbers_right_aligned_and_through_a_pipe_or_with_B_tab_separated()
    {
        StartMysqld();
        var log = new ContainerLog(ContainerLogSettings.Default, "client");
        // kubectl run -i -t ... -- mysql -e: the container's stdout is a terminal.
        var spec = new ProcessSpec(["bash", "-c",
                "mysql -e \"CREATE DATABASE test; CREATE TABLE test.messages (message VARCHAR(250)); INSERT INTO test.messages VALUES ('hello')\"; "
                + "mysql -e 'SELECT * FROM test.messages; SELECT @@server_id'; mysql -N -e 'SELECT @@server_id'; mysql -e 'SELECT @@server_id' | cat; mysql -B -e 'SELECT 1'"],
            Bash, new Dictionary<string, string>(), "mysql-0", true, false, [], Network()) { Tty = true };
        new ContainerProcess(spec, Files(), log, T0).Advance(T0.AddMinutes(1));
        Assert.Equal([
            "+---------+", "| message |", "+---------+", "| hello   |", "+---------+",
            "+-------------+", "| @@server_id |", "+-------------+", "|         100 |", "+-------------+",
            "+-----+", "| 100 |", "+-----+",
            "@@server_id", "100",
            "1", "1"], log.Lines.Select(l => l.Text));
    }

    [Fact]
    public void A_backup_streams_the_data_directory_and_xbstream_unpacks_it_for_xtrabackup_to_prepare()
    {
        StartMysqld();
        var target = new FileTree();
        var (_, output, _) = Shell("mysql -e 'CREATE DATABASE test'; xtrabackup --backup --slave-info --stream=xbstream --host=127.0.0.1 --user=root");
        var stream = string.Join('\n', output) + "\n";
        var log = new ContainerLog(ContainerLogSettings.Default, "clone");
        var clone = new ContainerProcess(new ProcessSpec(["bash", "-c", "xbstream -x -C /var/lib/mysql && xtrabackup --prepare --target-dir=/var/lib/mysql"],
            Bash, new Dictionary<string, string>(), "mysql-1", true, false, [], null), new ContainerFileSystem([("/var/lib/mysql", target)]), log, T0);
        // The stream arrives on the clone's stdin as ncat --recv-only would write it.
        var withInput = clone.Exec(["bash", "-c", $"printf '%s' '{stream}' | xbstream -x -C /var/lib/mysql && xtrabackup --prepare --target-dir=/var/lib/mysql"],
            TimeSpan.FromSeconds(5), T0);
        Assert.Equal(0, withInput.ExitCode);
        Assert.True(target.DirectoryExists("test"));
        // The binary log position the backup's data is at: after the CREATE DATABASE it holds (154 + 21).
        Assert.Equal("mysql-0-bin.000001\t175\n", target.Read("xtrabackup_binlog_info"));
        Assert.Contains("backup_type = full-prepared", target.Read("xtrabackup_checkpoints"));
        Assert.Contains("completed OK!", withInput.Output);
    }

    [Fact]
    public void Xtrabackup_prepare_fails_without_a_backup_and_ncat_listens_until_stopped()
    {
        var (failed, _, err) = Shell("xtrabackup --prepare --target-dir=/var/lib/mysql");
        Assert.Equal(1, failed.ExitCode);
        Assert.Contains("xtrabackup: Error: cannot open /var/lib/mysql/xtrabackup_checkpoints", err);
        var log = new ContainerLog(ContainerLogSettings.Default, "xtrabackup");
        var server = new ContainerProcess(new ProcessSpec(["bash", "-c", "exec ncat --listen --keep-open --send-only --max-conns=1 3307 -c \"xtrabackup --backup\""],
            Bash, new Dictionary<string, string>(), "mysql-0", false, false, [], null), Files(), log, T0);
        server.Advance(T0.AddHours(1));
        Assert.False(server.Exited);
        Assert.Null(server.NextDue);
        Assert.False(server.Ports[3307]);
    }
}
