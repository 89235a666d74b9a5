using Akka.Actor;
using System.Text;
using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;
using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process.Programs;
using Akka.KubeEmu.Actors.Node.Network;
using Akka.KubeEmu.Actors.Node.Network.Http;
using Akka.KubeEmu.Actors.Node.Network.Udp;

namespace Akka.KubeEmu.Actors.Node.Pods;

// The pod's network namespace as connections see it: what listens on a port is whatever one of its
// running containers' processes listens on (the containers share the namespace), and an HTTP server
// answers from that container's files and the pod's identity.
public sealed partial class PodWorker
{
    private void JoinPodNetwork()
    {
        if (_podIp is not null && _rejection is null) _node.PodNetwork.Register(_podIp, Self);
    }

    private void LeavePodNetwork()
    {
        if (_podIp is not null) _node.PodNetwork.Unregister(_podIp, Self);
    }

    private ContainerRecord? ListenerOn(int port, bool advance = true)
    {
        if (!_sandboxReady || _terminalPhase is not null) return null;
        var now = Now;
        foreach (var c in All)
        {
            if (c.Stage != ContainerStage.Running) continue;
            if (advance) AdvanceProcess(c, now);
            if (c.Process is { Exited: false } p && p.Ports.ContainsKey(port)) return c;
        }
        return null;
    }

    /// <summary>What a container's shell sees of the network: the cluster DNS, and its pod's own servers.</summary>
    private ContainerNetwork NetworkFor() => new(_pod.Namespace, _node.Dns, LocalHttp, _podIp, port => ListenerOn(port, advance: false)?.Process,
        _node.PodClient is { } client ? client.Fetch : null, _node.NodeName, Listeners)
    {
        Mysql = _node.PodClient is { } mysql ? mysql.Query : null,
    };

    // What netstat in any of the pod's containers lists: the shared network namespace's listening sockets.
    private IReadOnlyList<PortListener> Listeners()
    {
        if (!_sandboxReady || _terminalPhase is not null) return [];
        return All.Where(c => c.Stage == ContainerStage.Running && c.Process is { Exited: false })
            .SelectMany(c => c.Process!.Ports.Keys.Select(port => new PortListener(port, c.Process!)))
            .OrderBy(l => l.Port).ToArray();
    }

    // Called from a container's shell while the worker advances it: the processes are not advanced
    // again (that one is mid-step), a sibling's listeners are what they were at this instant.
    private HttpResponse? LocalHttp(int port, HttpRequestHead request)
    {
        if (ListenerOn(port, advance: false) is not { Process: { } process } c || !process.Ports[port]) return null;
        return SimulatedHttpServer.Respond(Exchange(c, process, port, request.Path, "127.0.0.1:" + (40000 + port % 20000)), request);
    }

    private HttpExchange Exchange(ContainerRecord c, ContainerProcess process, int port, string path, string remote) => new(
        c.Image?.FamiliarRepository ?? "",
        c.Spec.Command.Concat(c.Spec.Args).ToArray(),
        process.HttpStatus(path),
        process.Image.HttpRoot,
        process.Files,
        _pod.Hostname,
        _podIp ?? "",
        port,
        remote,
        Now);

    private void OnPodConnect(PodConnect connect)
    {
        var listener = ListenerOn(connect.Port);
        Sender.Tell(new PodConnectAnswer(listener?.Process is not { } p ? PodListener.None : p.Ports[connect.Port] ? PodListener.Http : PodListener.Opaque));
    }

    private void OnPodHttpRequest(PodHttpRequest request)
    {
        if (ListenerOn(request.Port) is not { Process: { } process } c)
        {
            Sender.Tell(new PodHttpAnswer(null));
            return;
        }
        var exchange = Exchange(c, process, request.Port, request.Request.Path, request.RemoteAddress);
        Sender.Tell(new PodHttpAnswer(SimulatedHttpServer.Respond(exchange, request.Request)));
    }

    /// <summary>A datagram for a UDP port: whichever running container's program answers datagrams there.</summary>
    private void OnPodDatagram(PodDatagram datagram)
    {
        if (!_sandboxReady || _terminalPhase is not null)
        {
            Sender.Tell(new PodDatagramAnswer(false, null));
            return;
        }
        var now = Now;
        foreach (var c in All)
        {
            if (c.Stage != ContainerStage.Running) continue;
            AdvanceProcess(c, now);
            if (c.Process is not { Exited: false } p || !p.UdpPorts.TryGetValue(datagram.Port, out var server)) continue;
            Sender.Tell(new PodDatagramAnswer(true, SimulatedUdpServer.Respond(server, _pod.Hostname, datagram.Payload, datagram.RemoteAddress)));
            return;
        }
        Sender.Tell(new PodDatagramAnswer(false, null));
    }

    /// <summary>
    /// Another pod's `mysql -h` batch: this pod's mysqld (whatever listens on the port) runs it on its data
    /// directory; a replica first replays what its source has logged since it last did.
    /// </summary>
    private void OnPodMysqlQuery(PodMysqlQuery query)
    {
        if (ListenerOn(query.Port) is not { Process: { } process })
        {
            Sender.Tell(new PodMysqlAnswer(false, 1, "", null));
            return;
        }
        var server = new MysqlServer(process.Files, _pod.Hostname);
        if (!MysqlReplication.IsBinlogRead(query) && process.Network is { Mysql: { } ask } network
            && MysqlReplication.CatchUp(server, network) is { } binlog)
        {
            var sender = Sender;
            ask(binlog, CancellationToken.None).ContinueWith(t => new ReplicaCaughtUp(query, sender, t.IsCompletedSuccessfully ? t.Result : null),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).PipeTo(Self);
            return;
        }
        AnswerMysql(query, server, Sender);
    }

    private void OnReplicaCaughtUp(ReplicaCaughtUp caughtUp)
    {
        if (ListenerOn(caughtUp.Query.Port) is not { Process: { } process })
        {
            caughtUp.Client.Tell(new PodMysqlAnswer(false, 1, "", null));
            return;
        }
        var server = new MysqlServer(process.Files, _pod.Hostname);
        if (caughtUp.Binlog is { } binlog) MysqlReplication.Apply(server, binlog, Now);
        AnswerMysql(caughtUp.Query, server, caughtUp.Client);
    }

    private void AnswerMysql(PodMysqlQuery query, MysqlServer server, IActorRef client)
    {
        var sql = new MysqlSql(server, Now) { ColumnNames = query.ColumnNames, Tables = query.Table };
        if (query.Database is { } database)
        {
            if (!server.DatabaseExists(database))
            {
                client.Tell(new PodMysqlAnswer(true, 1, "", $"ERROR 1049 (42000): Unknown database '{database}'"));
                return;
            }
            sql.Database = database;
        }
        var output = new StringBuilder();
        var status = sql.Run(query.Sql, output, out var error);
        client.Tell(new PodMysqlAnswer(true, status, output.ToString(), error));
    }

    private sealed record ReplicaCaughtUp(PodMysqlQuery Query, IActorRef Client, MysqlFetchResult? Binlog);
}
