using System.Diagnostics;
using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>
/// Issue E4's MySQL bullet with the real kubectl: the Kubernetes tutorial "Run a Replicated Stateful
/// Application" (config/examples/mysql, its three files unchanged) comes up in order, each pod 2/2
/// Ready after its init scripts ran in the simulated bash; the tutorial's client pods write to the
/// primary and read from the replicas; it scales to 5 and back to 3 with the claims of the removed
/// pods still Bound.
/// </summary>
[Collection("shared cluster")]
public sealed class MysqlStatefulSetSpecs(SharedCluster shared) : IAsyncLifetime
{
    private static readonly string Examples = Path.Combine(AppContext.BaseDirectory, "config", "examples", "mysql");
    private static readonly TimeSpan Rollout = TimeSpan.FromSeconds(60);
    private Kubectl Kubectl { get; set; } = null!;

    public async Task InitializeAsync() => Kubectl = await shared.Namespace("mysql");

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_tutorials_mysql_statefulset_comes_up_in_order_2_of_2_ready_and_scales_to_5_and_back_from_the_highest_ordinal_keeping_the_claims()
    {
        // name ready-containers, one line per watch event.
        using var watch = Kubectl.Start("get", "pods", "-l", "app=mysql", "-w", "-o",
            "jsonpath={.metadata.name} {.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}");
        var seen = new List<string>();
        try
        {
            (await Kubectl.Run("apply", "-f", Examples)).Ok();
            await Eventually.Until(async () =>
            {
                var line = await watch.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
                if (line is not null) seen.Add(line.Trim());
                return seen;
            }, l => l.Contains("mysql-2 True"), Rollout, "the watch showing mysql-2 Ready");
        }
        finally
        {
            Stop(watch);
        }
        foreach (var (before, after) in new[] { ("mysql-0", "mysql-1"), ("mysql-1", "mysql-2") })
        {
            var ready = seen.IndexOf(before + " True");
            var next = seen.FindIndex(l => l.StartsWith(after + " ", StringComparison.Ordinal));
            Assert.True(ready >= 0 && ready < next, $"{after} appeared before {before} was Ready: " + string.Join(" | ", seen));
        }
        var pods = TableOutput.Parse((await Kubectl.Run("get", "pods", "-l", "app=mysql")).Ok().Stdout);
        Assert.Equal([("mysql-0", "2/2", "Running"), ("mysql-1", "2/2", "Running"), ("mysql-2", "2/2", "Running")],
            pods.Rows.Select(r => (r["NAME"], r["READY"], r["STATUS"])));

        // The init script ran as bash runs it: its set -x trace is the container's log.
        var init = (await Kubectl.Run("logs", "mysql-1", "-c", "init-mysql")).Ok().Stdout;
        Assert.Equal(["+ [[ mysql-1 =~ -([0-9]+)$ ]]", "+ ordinal=1", "+ echo '[mysqld]'", "+ echo server-id=101", "+ [[ 1 -eq 0 ]]",
            "+ cp /mnt/config-map/replica.cnf /mnt/conf.d/"], init.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        // The replica cloned its data from mysql-0 and started replicating from the clone's position.
        var sidecar = (await Kubectl.Run("logs", "mysql-1", "-c", "xtrabackup")).Ok().Stdout;
        Assert.Contains("Initializing replication from clone position", sidecar);
        Assert.Contains("+ exec ncat --listen --keep-open --send-only --max-conns=1 3307 -c 'xtrabackup --backup --slave-info --stream=xbstream --host=127.0.0.1 --user=root'", sidecar);
        Assert.Equal("101", (await Kubectl.Run("exec", "mysql-1", "-c", "mysql", "--", "mysql", "-h", "127.0.0.1", "-N", "-e", "SELECT @@server_id")).Ok().Stdout.Trim());

        // The tutorial's client pods: statements on kubectl's stdin (attach, stdinOnce) to the primary; the
        // replicas replay its binary log, so a read through mysql-read answers from any of them.
        var write = (await Kubectl.RunWithInput("CREATE DATABASE test;\nCREATE TABLE test.messages (message VARCHAR(250));\nINSERT INTO test.messages VALUES ('hello');\n",
            "run", "mysql-client", "--image=mysql:5.7", "-i", "--rm", "--restart=Never", "--", "mysql", "-h", "mysql-0.mysql")).Ok();
        Assert.Equal("pod \"mysql-client\" deleted", write.Stdout.Trim());
        foreach (var replica in new[] { "mysql-1", "mysql-2" })
            Assert.Equal("hello", (await Kubectl.Run("exec", replica, "-c", "mysql", "--", "mysql", "-h", "127.0.0.1", "-N", "-e", "SELECT * FROM test.messages")).Ok().Stdout.Trim());
        // As the tutorial types it, with -t: the container has a terminal, so mysql prints a table.
        var read = (await Kubectl.Run("run", "mysql-reader", "--image=mysql:5.7", "-i", "-t", "--rm", "--restart=Never", "--", "mysql", "-h", "mysql-read", "-e", "SELECT * FROM test.messages")).Ok();
        Assert.StartsWith("+---------+\n| message |\n+---------+\n| hello   |\n+---------+\n", read.Stdout.Replace("\r\n", "\n"));

        // Scaled to 5 and back to 3: mysql-3 and mysql-4 go, their claims stay Bound.
        (await Kubectl.Run("scale", "statefulset", "mysql", "--replicas=5")).Ok();
        await Eventually.Until(() => Ready("mysql-4"), r => r == "True", Rollout, "mysql-4 Ready");
        // A replica cloned later replays the whole log from its clone's position.
        Assert.Equal("hello", (await Kubectl.Run("exec", "mysql-4", "-c", "mysql", "--", "mysql", "-h", "127.0.0.1", "-N", "-e", "SELECT * FROM test.messages")).Ok().Stdout.Trim());
        (await Kubectl.Run("scale", "statefulset", "mysql", "--replicas=3")).Ok();
        // The highest ordinal goes first and alone. Each pod then takes its whole 30 s grace period
        // (ncat, PID 1 of the sidecar after `exec`, ignores SIGTERM, as on a real node): the spec
        // checks the order and the claims without waiting a minute for both to be gone.
        await Eventually.Until(async () => (await Kubectl.Run("get", "pod", "mysql-4", "-o", "jsonpath={.metadata.deletionTimestamp}")).Stdout,
            t => t.Length > 0, TimeSpan.FromSeconds(30), "mysql-4 terminating");
        Assert.Equal("", (await Kubectl.Run("get", "pod", "mysql-3", "-o", "jsonpath={.metadata.deletionTimestamp}")).Ok().Stdout);
        Assert.Equal("3", (await Kubectl.Run("get", "sts", "mysql", "-o", "jsonpath={.spec.replicas}")).Ok().Stdout);
        Assert.Equal("data-mysql-0 data-mysql-1 data-mysql-2 data-mysql-3 data-mysql-4",
            (await Kubectl.Run("get", "pvc", "-l", "app=mysql", "-o", "jsonpath={.items[*].metadata.name}")).Ok().Stdout);
        Assert.Equal("Bound Bound Bound Bound Bound", (await Kubectl.Run("get", "pvc", "-l", "app=mysql", "-o", "jsonpath={.items[*].status.phase}")).Ok().Stdout);
    }

    private async Task<string> Ready(string pod) =>
        (await Kubectl.Run("get", "pod", pod, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}")).Stdout;

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
