using System.Text;
using Akka.Actor;
using Akka.KubeEmu.Actors.Node.ContainerRuntime.Process;
using Akka.KubeEmu.Actors.Node.Logs;

namespace Akka.KubeEmu.Actors.Node.Exec;

/// <summary>
/// kubectl attach to a container's own program, as the runtime attaches: the client reads what the
/// program writes from the moment it attached (its log lines, complete ones) and, with stdin, writes
/// to the container's stdin pipe; with stdinOnce the pipe closes when this client closes its stdin
/// (kubectl run -i sends a here-document, then the program reads it to its end).
/// </summary>
internal sealed class AttachedStreams(ContainerLog? log, long from, bool tty, PendingStdin? stdin, bool stdinOnce)
{
    private long _next = from;

    public void Input(ExecInput input)
    {
        if (stdin is null) return;
        if (input.Data.Length > 0) stdin.Write(input.Data);
        if (input.Closed && stdinOnce) stdin.Close();
    }

    /// <summary>Sends the lines written since the last call.</summary>
    public void Forward(string session, IActorRef client)
    {
        if (log is null || log.NextSequence <= _next) return;
        var lines = log.Lines;
        // A rotation may have dropped lines the client never got: it gets what the file still holds.
        var start = lines.Count == 0 ? 0 : (int)Math.Max(0, _next - lines[0].Sequence);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        for (var i = start; i < lines.Count; i++)
            // A terminal has one output stream, and its line discipline ends lines with \r\n.
            (lines[i].Stderr && !tty ? stderr : stdout).Append(lines[i].Text).Append(tty ? "\r\n" : "\n");
        _next = log.NextSequence;
        if (stdout.Length > 0) client.Tell(new ExecOutput(session, 1, Encoding.UTF8.GetBytes(stdout.ToString())));
        if (stderr.Length > 0) client.Tell(new ExecOutput(session, 2, Encoding.UTF8.GetBytes(stderr.ToString())));
    }
}
