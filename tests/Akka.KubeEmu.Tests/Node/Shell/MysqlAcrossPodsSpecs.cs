using System.Text;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Node;
using Akka.KubeEmu.Actors.Node.Exec;
using Akka.KubeEmu.Actors.Node.Network;
using Xunit;

namespace Akka.KubeEmu.Tests.Node.Shell;

/// <summary>
/// The MySQL tutorial's client pod: `mysql -h <server> -e "..."` from another pod runs the statements
/// on that pod's simulated mysqld and prints what mysql prints; a server that is not there is refused.
/// </summary>
public sealed class MysqlAcrossPodsSpecs : NodeTestBase
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private string Exec(Akka.Actor.ActorSelection kubelet, JsonObject pod, string script)
    {
        kubelet.Tell(new ExecStart("s1", "node-1", KubeObject.Uid(pod)!, "default", KubeObject.Name(pod), KubeObject.Name(pod) == "mysql-0" ? "mysql" : "main", ["sh", "-c", script], false, false), TestActor);
        ExpectMsg<ExecStarted>();
        var text = new StringBuilder();
        while (ReceiveOne(Minute) is { } message)
            switch (message)
            {
                case ExecOutput o: text.Append(Encoding.UTF8.GetString(o.Data)); break;
                case ExecExited e: return text + $"exit {e.ExitCode}";
            }
        return text.ToString();
    }

    [Fact]
    public void A_client_pods_statements_run_on_the_server_pods_mysqld_and_an_address_without_one_is_refused()
    {
        var host = Sys.ActorOf(NodeHost.Props(Settings("node-1") with { Traffic = new TrafficSettings() }));
        CreatePod("mysql-0", new JsonArray(Container("mysql", "mysql:5.7")));
        CreatePod("client", new JsonArray(Container("main", "mysql:5.7", ["sleep", "infinity"])));
        var server = Eventually(() => Pod("mysql-0") is { } p && Condition(p, "Ready") == "True" && KubeObject.ScalarAt(p, "status.podIP") is not null ? p : null,
            Minute, "mysql-0 Ready");
        var client = Eventually(() => Pod("client") is { } p && State(p, "main", "state.running.startedAt") is not null ? p : null, Minute, "client running");
        var ip = KubeObject.ScalarAt(server, "status.podIP");
        var kubelet = Sys.ActorSelection(host.Path / "kubelet-node-1");

        // The pod IP routes once the process's Node informer has the node's podCIDR.
        var created = Eventually(() => Exec(kubelet, client!, $"""
            mysql -h {ip} -e "CREATE DATABASE test; CREATE TABLE test.messages (message VARCHAR(250)); INSERT INTO test.messages VALUES ('hello');"
            """) is var answer && answer == "exit 0" ? answer : null, Minute, "the statements run");
        Assert.Equal("exit 0", created);
        Assert.Equal("message\nhello\nexit 0", Exec(kubelet, client!, $"mysql -h {ip} -e 'SELECT * FROM test.messages'"));
        // The rows are the server pod's: its own client sees them.
        Assert.Equal("hello\nexit 0", Exec(kubelet, server, "mysql -N -e 'SELECT * FROM test.messages'"));
        Assert.Equal($"ERROR 2003 (HY000): Can't connect to MySQL server on '{ip}' (111)\nexit 1", Exec(kubelet, client!, $"mysql -h {ip} -P 3307 -e 'SELECT 1'"));
    }
}
