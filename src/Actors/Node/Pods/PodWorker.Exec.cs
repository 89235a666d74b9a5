using Akka.Actor;
using Akka.KubeEmu.Actors.Node.Exec;
using Akka.KubeEmu.Actors.Node.Shared;

namespace Akka.KubeEmu.Actors.Node.Pods;

// Commands exec'd into the pod's containers (kubectl exec, kubectl cp): each session runs in its
// container's process (same files, environment, hostname) and answers its client, the API
// server's bridge actor. A session ends when its command ends, its client cancels, or the
// container's process goes (then as the runtime does: the exec dies with the container, 137).
public sealed partial class PodWorker
{
    private const int OutputPiece = 256 * 1024;

    private Dictionary<string, ExecClient>? _execs;

    private void OnExecStart(ExecStart start)
    {
        var c = All.FirstOrDefault(x => x.Name == start.Container);
        if (c is null || c.Stage != ContainerStage.Running || c.Process is not { Exited: false })
        {
            // The kubelet's streaming server: no running container of that name in the pod.
            Sender.Tell(new ExecExited(start.Session, 0, $"container not found (\"{start.Container}\")"));
            return;
        }
        if (start.Command.Count == 0 && !start.Attach)
        {
            Sender.Tell(new ExecExited(start.Session, 0, "you must specify at least 1 command"));
            return;
        }
        AdvanceProcess(c, Now); // the command sees what the container's program has done up to now
        c.Process!.CatchUp(Now);
        var argv = start.Attach ? c.Process!.Program : start.Command;
        var session = new ExecSession(c.Process!, argv, start.Stdin, start.Tty, c.Image?.Repository, Ids.ContainerId());
        var client = new ExecClient(session, Sender, c.Name, c.ContainerId) { Attached = start.Attach };
        (_execs ??= new Dictionary<string, ExecClient>(StringComparer.Ordinal))[start.Session] = client;
        Sender.Tell(new ExecStarted(start.Session));
        if (!start.Attach) session.Start();
        else if (!session.Attach())
        {
            // Attached to the container's own program: its output from now on, its stdin (when it has one).
            client.Follows = new AttachedStreams(c.Log, c.Log?.NextSequence ?? 0, start.Tty, start.Stdin ? c.Process!.Stdin : null, c.Spec.StdinOnce);
            return;
        }
        Deliver(start.Session, client);
    }

    private void OnExecInput(ExecInput input)
    {
        if (_execs?.GetValueOrDefault(input.Session) is not { } client) return;
        if (client.Follows is { } attached)
        {
            attached.Input(input);
            return;
        }
        if (input.Data.Length > 0) client.Session.Input(input.Data);
        if (input.Closed) client.Session.CloseInput();
        Deliver(input.Session, client);
    }

    private void OnExecCancel(ExecCancel cancel)
    {
        if (_execs is null || !_execs.Remove(cancel.Session, out var client)) return;
        client.Session.Cancel();
        Timers.Cancel(ExecTimerKey(cancel.Session));
    }

    /// <summary>The network answer a session's command waited for has come (on another thread): it goes on here.</summary>
    private void OnExecResume(ExecResume resume)
    {
        if (_execs?.GetValueOrDefault(resume.Session) is not { } client || client.Session.Waiting != resume.Waited) return;
        client.Session.Resume();
        Deliver(resume.Session, client);
    }

    private void OnExecDue(ExecDue due)
    {
        if (_execs?.GetValueOrDefault(due.Session) is not { } client) return;
        _execs.Remove(due.Session);
        client.Client.Tell(new ExecExited(due.Session, client.Session.ExitCode ?? 0, client.Session.Error));
    }

    /// <summary>Sends what the command wrote; once it has ended, its exit (after the time its sleeps take).</summary>
    private void Deliver(string id, ExecClient client)
    {
        // Pieces of a bounded size: an archive of a large directory must not become one huge remote message.
        foreach (var chunk in client.Session.TakeOutput())
            for (var at = 0; at < chunk.Data.Length; at += OutputPiece)
                client.Client.Tell(new ExecOutput(id, chunk.Stream, chunk.Data[at..Math.Min(chunk.Data.Length, at + OutputPiece)]));
        if (client.Session.Waiting is { } waited)
        {
            // The command waits for the network: the worker goes on with other messages meanwhile
            // (input typed during the wait comes here too: one resume per wait is enough).
            if (client.Watched == waited) return;
            client.Watched = waited;
            waited.ContinueWith(_ => new ExecResume(id, waited), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default)
                .PipeTo(Self);
            return;
        }
        if (!client.Session.Ended || client.Reported) return;
        client.Reported = true;
        if (client.Attached && client.Session.ExitCode is { } code) EndAttachedContainer(client, code);
        if (client.Session.Slept > TimeSpan.Zero) Timers.StartSingleTimer(ExecTimerKey(id), new ExecDue(id), client.Session.Slept);
        else OnExecDue(new ExecDue(id));
    }

    /// <summary>The attached shell was the container's program: when it exits, the container does, with its code.</summary>
    private void EndAttachedContainer(ExecClient client, int code)
    {
        if (All.FirstOrDefault(x => x.Name == client.Container) is not { Stage: ContainerStage.Running } c || c.ContainerId != client.ContainerId) return;
        var at = Now + client.Session.Slept;
        if (c.ExitAt is { } planned && planned <= at) return;
        c.ExitAt = at;
        c.ExitCode = code;
        c.ExitReason = code == 0 ? "Completed" : "Error";
    }

    /// <summary>
    /// Attached clients get what the containers wrote since the last message; sessions whose container's
    /// process has gone (exit, kill, restart) end with it. An exec'd command dies with the container
    /// (137); an attach ends as the kubelet's does when the container's output closes, successfully
    /// (kubectl reads the exit code from the pod's status).
    /// </summary>
    private void SyncExecSessions()
    {
        if (_execs is null || _execs.Count == 0) return;
        foreach (var (id, client) in _execs.ToArray())
        {
            client.Follows?.Forward(id, client.Client);
            var c = All.FirstOrDefault(x => x.Name == client.Container);
            if (c is { Process: { Exited: false } } && c.ContainerId == client.ContainerId) continue;
            _execs.Remove(id);
            client.Session.Cancel();
            Timers.Cancel(ExecTimerKey(id));
            client.Client.Tell(new ExecExited(id, ExitWithContainer(client)));
        }
    }

    /// <summary>The pod's worker stops: its exec clients see the container killed.</summary>
    private void EndExecSessions()
    {
        if (_execs is null) return;
        foreach (var (id, client) in _execs)
        {
            client.Session.Cancel();
            client.Client.Tell(new ExecExited(id, ExitWithContainer(client)));
        }
        _execs.Clear();
    }

    /// <summary>How a session ends when its container goes: an exec'd command is killed with it, an attach just ends.</summary>
    private static int ExitWithContainer(ExecClient client) => client.Follows is null ? 137 : 0;

    private static string ExecTimerKey(string session) => "exec-" + session;

    private sealed record ExecDue(string Session);

    private sealed record ExecResume(string Session, Task Waited);

    private sealed class ExecClient(ExecSession session, IActorRef client, string container, string? containerId)
    {
        public ExecSession Session { get; } = session;
        public IActorRef Client { get; } = client;
        public string Container { get; } = container;
        public string? ContainerId { get; } = containerId;
        public bool Reported { get; set; }
        public bool Attached { get; init; }

        /// <summary>The network wait a resume has been asked for.</summary>
        public Task? Watched { get; set; }

        /// <summary>Attached to the container's own program (not a shell the session runs).</summary>
        public AttachedStreams? Follows { get; set; }
    }
}
