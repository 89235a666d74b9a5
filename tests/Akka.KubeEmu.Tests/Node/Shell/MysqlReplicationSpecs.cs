using System.Text;
using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;
using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process.Programs;
using Akka.KubeEmu.Actors.Node.Network;
using Xunit;

namespace Akka.KubeEmu.Tests.Node.Shell;

/// <summary>
/// Statement-based replication as the MySQL tutorial's replicas use it: the primary (log-bin) writes
/// each change to its binary log, SHOW BINLOG EVENTS reads it from a position, and a replica
/// (super-read-only, CHANGE MASTER TO) replays what it has not seen and remembers where it stopped.
/// </summary>
public sealed class MysqlReplicationSpecs
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 12, 0, 0, TimeSpan.Zero);

    private static MysqlServer Server(string hostname, string config)
    {
        var conf = new FileTree();
        conf.Write("server.cnf", config, append: false);
        return new MysqlServer(new ContainerFileSystem([("/var/lib/mysql", new FileTree()), ("/etc/mysql/conf.d", conf)]), hostname);
    }

    private static (int Status, string Output, string? Error) Run(MysqlServer server, string script, bool columnNames = true)
    {
        var output = new StringBuilder();
        var status = new MysqlSql(server, T0) { ColumnNames = columnNames }.Run(script, output, out var error);
        return (status, output.ToString(), error);
    }

    [Fact]
    public void The_primary_logs_each_change_and_a_replica_replays_from_its_position_once()
    {
        var primary = Server("mysql-0", "[mysqld]\nserver-id=100\nlog-bin\n");
        var replica = Server("mysql-1", "[mysqld]\nserver-id=101\nsuper-read-only\n");
        Assert.Equal(0, Run(replica, "CHANGE MASTER TO MASTER_LOG_FILE='mysql-0-bin.000001', MASTER_LOG_POS=154, MASTER_HOST='mysql-0.mysql', MASTER_USER='root'").Status);

        Assert.Equal(0, Run(primary, "CREATE DATABASE test;\nCREATE TABLE test.messages (message VARCHAR(250));\nUSE test;\nINSERT INTO messages VALUES ('hello');").Status);
        Assert.Equal("""
            Log_name	Pos	Event_type	Server_id	End_log_pos	Info
            mysql-0-bin.000001	154	Query	100	175	CREATE DATABASE test
            mysql-0-bin.000001	175	Query	100	225	CREATE TABLE test.messages (message VARCHAR(250))
            mysql-0-bin.000001	225	Query	100	275	use `test`; INSERT INTO messages VALUES ('hello')

            """.Replace("\r", ""), Run(primary, "SHOW BINLOG EVENTS").Output);
        // Reads and failed statements are not logged; the replica itself refuses clients' writes.
        Assert.Equal(1, Run(primary, "SELECT * FROM test.messages; CREATE DATABASE test").Status);
        Assert.Equal(1, Run(replica, "CREATE DATABASE mine").Status);

        Apply(replica);
        Assert.Equal("hello\n", Run(replica, "SELECT * FROM test.messages", columnNames: false).Output);
        Assert.Contains("MASTER_LOG_POS=275", replica.MasterInfo);

        // The next catch-up asks from where the last one stopped: nothing is replayed twice.
        Assert.Equal(0, Run(primary, "INSERT INTO test.messages VALUES ('again')").Status);
        Apply(replica);
        Assert.Equal("hello\nagain\n", Run(replica, "SELECT * FROM test.messages", columnNames: false).Output);
        Assert.Equal("", Run(replica, "SHOW BINLOG EVENTS").Output); // no log-bin: the replica logs nothing of its own

        void Apply(MysqlServer to)
        {
            // The question a replica would send over the pod network, answered here by the primary directly.
            var position = System.Text.RegularExpressions.Regex.Match(to.MasterInfo!, @"MASTER_LOG_POS=(\d+)").Groups[1].Value;
            var events = Run(primary, $"SHOW BINLOG EVENTS IN 'mysql-0-bin.000001' FROM {position}", columnNames: false);
            MysqlReplication.Apply(to, new MysqlFetchResult(FetchOutcome.Answered, new PodMysqlAnswer(true, events.Status, events.Output, events.Error)), T0);
        }
    }
}
