using System.Text;
using System.Text.Json.Nodes;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Node;
using Akka.KubeEmu.Actors.Node.Exec;
using Akka.KubeEmu.Actors.Node.Network;
using Xunit;

namespace Akka.KubeEmu.Tests.Node.Exec;

/// <summary>The kubelet's exec endpoint as messages: start, stdin, output, exit, and its refusals.</summary>
public sealed class KubeletExecSpecs : NodeTestBase
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private (ActorSelection Kubelet, string Uid) Running(string name, params string[] command)
    {
        var host = StartNodes("node-1");
        CreatePod(name, new JsonArray(Container("main", "busybox", command)));
        var pod = Eventually(() => Pod(name) is { } p && State(p, "main", "state.running.startedAt") is not null ? p : null, Minute, "running");
        return (Sys.ActorSelection(host.Path / "kubelet-node-1"), KubeObject.Uid(pod)!);
    }

    private static ExecStart Start(string uid, string pod, string[] command, bool stdin = false, string container = "main") =>
        new("s1", "node-1", uid, "default", pod, container, command, stdin, false);

    /// <summary>A pod of one container (stdin: true and what <paramref name="configure"/> adds), running; kubectl attach -i to it as session s1.</summary>
    private IActorRef Attached(string name, string[] command, bool tty, Action<JsonObject>? configure = null)
    {
        var host = StartNodes("node-1");
        var container = Container(name, "busybox", command);
        container["stdin"] = true;
        configure?.Invoke(container);
        CreatePod(name, new JsonArray(container), restartPolicy: "Never");
        var pod = Eventually(() => Pod(name) is { } p && State(p, name, "state.running.startedAt") is not null ? p : null, Minute, "running");
        Sys.ActorSelection(host.Path / "kubelet-node-1").Tell(
            new ExecStart("s1", "node-1", KubeObject.Uid(pod)!, "default", name, name, [], Stdin: true, Tty: tty, Attach: true), TestActor);
        ExpectMsg<ExecStarted>();
        return LastSender;
    }

    [Fact]
    public void A_command_starts_writes_its_output_and_exits_with_its_code()
    {
        var (kubelet, uid) = Running("shell", "sh", "-c", "echo ready > /tmp/state; sleep infinity");
        kubelet.Tell(Start(uid, "shell", ["sh", "-c", "cat /tmp/state; hostname; exit 3"]), TestActor);
        ExpectMsg<ExecStarted>();
        Assert.Equal("ready\nshell\n", Encoding.UTF8.GetString(ExpectMsg<ExecOutput>(o => o.Stream == 1).Data));
        Assert.Equal(3, ExpectMsg<ExecExited>().ExitCode);
    }

    [Fact]
    public void Stdin_goes_to_the_worker_that_answered_and_the_command_runs_when_it_is_closed()
    {
        var (kubelet, uid) = Running("reader", "sleep", "infinity");
        kubelet.Tell(Start(uid, "reader", ["cat"], stdin: true), TestActor);
        ExpectMsg<ExecStarted>();
        var worker = LastSender;
        worker.Tell(new ExecInput("s1", "piped\n"u8.ToArray()), TestActor);
        worker.Tell(new ExecInput("s1", [], Closed: true), TestActor);
        Assert.Equal("piped\n", Encoding.UTF8.GetString(ExpectMsg<ExecOutput>().Data));
        Assert.Equal(0, ExpectMsg<ExecExited>().ExitCode);
    }

    [Fact]
    public void The_exit_comes_after_the_time_the_commands_sleeps_take()
    {
        var (kubelet, uid) = Running("sleeper", "sleep", "infinity");
        kubelet.Tell(Start(uid, "sleeper", ["sh", "-c", "sleep 5; exit 1"]), TestActor);
        ExpectMsg<ExecStarted>();
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, ExpectMsg<ExecExited>().ExitCode);
    }

    [Fact]
    public void A_container_that_is_not_running_or_a_pod_that_is_not_here_is_refused_in_the_kubelets_words()
    {
        var (kubelet, uid) = Running("one", "sleep", "infinity");
        kubelet.Tell(Start(uid, "one", ["ls"], container: "other"), TestActor);
        Assert.Equal("container not found (\"other\")", ExpectMsg<ExecExited>().Error);
        kubelet.Tell(Start("no-such-uid", "ghost", ["ls"]), TestActor);
        Assert.Equal("pod does not exist", ExpectMsg<ExecExited>().Error);
    }

    [Fact]
    public void A_session_ends_with_137_when_its_container_goes()
    {
        var (kubelet, uid) = Running("doomed", "sleep", "infinity");
        kubelet.Tell(Start(uid, "doomed", ["sleep", "infinity"]), TestActor);
        ExpectMsg<ExecStarted>();
        DeletePod("doomed", gracePeriodSeconds: 0);
        var exited = Eventually(() => ReceiveWhile(TimeSpan.FromMilliseconds(20), m => m as ExecExited).FirstOrDefault(), Minute, "the exec's end");
        Assert.Equal(137, exited.ExitCode);
    }

    [Fact]
    public void Attaching_to_a_shell_waiting_on_stdin_makes_it_the_session_and_its_exit_ends_the_container()
    {
        var worker = Attached("shell", ["sh"], tty: true, c => c["tty"] = true);
        Assert.Equal("/ # ", Encoding.UTF8.GetString(ExpectMsg<ExecOutput>().Data));
        worker.Tell(new ExecInput("s1", "exit 4\r"u8.ToArray()), TestActor);
        ExpectMsg<ExecOutput>();
        Assert.Equal(4, ExpectMsg<ExecExited>().ExitCode);
        Eventually(() => Pod("shell") is { } p && State(p, "shell", "state.terminated.exitCode") == "4" ? p : null, Minute, "the container ended with 4");
    }

    [Fact]
    public void Attaching_to_a_program_reading_its_stdin_feeds_it_what_the_client_sends_and_streams_its_output_until_the_container_ends()
    {
        // kubectl run -i --rm --restart=Never -- sh -c '...; wc -l' <<EOF: stdin and stdinOnce in the spec, no terminal.
        // What it wrote before the client attached ("counting") is in its log only.
        var worker = Attached("counter", ["sh", "-c", "echo counting; wc -l; echo done >&2; exit 2"], tty: false, c => c["stdinOnce"] = true);
        worker.Tell(new ExecInput("s1", "one\ntwo\n"u8.ToArray()), TestActor);
        worker.Tell(new ExecInput("s1", "three\n"u8.ToArray(), Closed: true), TestActor);
        Assert.Equal("3\n", Encoding.UTF8.GetString(ExpectMsg<ExecOutput>(o => o.Stream == 1).Data));
        Assert.Equal("done\n", Encoding.UTF8.GetString(ExpectMsg<ExecOutput>(o => o.Stream == 2).Data));
        // The attach ends successfully; the exit code is the container's, in the pod's status.
        Assert.Equal(0, ExpectMsg<ExecExited>().ExitCode);
        Eventually(() => Pod("counter") is { } p && State(p, "counter", "state.terminated.exitCode") == "2" ? p : null, Minute, "the container ended with 2");
    }

    [Fact]
    public void Without_stdinOnce_the_attached_clients_close_leaves_the_containers_stdin_open()
    {
        var worker = Attached("reader", ["cat"], tty: false);
        worker.Tell(new ExecInput("s1", "kept\n"u8.ToArray(), Closed: true), TestActor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.NotNull(State(Pod("reader")!, "reader", "state.running.startedAt"));
    }

    [Fact]
    public void A_command_that_curls_another_pod_goes_on_in_order_once_the_answer_has_come()
    {
        var host = Sys.ActorOf(NodeHost.Props(Settings("node-1") with { Traffic = new TrafficSettings() }));
        CreatePod("server", new JsonArray(Container("whoami", "traefik/whoami")));
        CreatePod("client", new JsonArray(Container("main", "busybox", ["sleep", "infinity"])));
        var server = Eventually(() => Pod("server") is { } p && State(p, "whoami", "state.running.startedAt") is not null && KubeObject.ScalarAt(p, "status.podIP") is not null ? p : null,
            Minute, "server running");
        var client = Eventually(() => Pod("client") is { } p && State(p, "main", "state.running.startedAt") is not null ? p : null, Minute, "client running");
        var serverIp = KubeObject.ScalarAt(server, "status.podIP");
        var kubelet = Sys.ActorSelection(host.Path / "kubelet-node-1");
        // The pod IP routes once the process's Node informer has the node's podCIDR.
        var answer = Eventually(() =>
        {
            kubelet.Tell(Start(KubeObject.Uid(client)!, "client", ["sh", "-c", $"echo first; curl -s {serverIp} | head -1; echo last"]), TestActor);
            ExpectMsg<ExecStarted>();
            var text = new StringBuilder();
            while (ReceiveOne(Minute) is { } message)
                switch (message)
                {
                    case ExecOutput o when o.Session == "s1": text.Append(Encoding.UTF8.GetString(o.Data)); break;
                    case ExecExited e when e.Session == "s1": return e.ExitCode == 0 && text.ToString().Contains("Hostname:") ? text.ToString() : null;
                }
            return null;
        }, Minute, "the server's answer");
        Assert.Equal("first\nHostname: server\nlast\n", answer);
    }
}
