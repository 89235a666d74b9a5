using System.Diagnostics;

namespace Akka.KubeEmu.Host.Launcher;

/// <summary>
/// A KubeEmu process started by the launcher: in its own session (setsid), so a Ctrl-C in the
/// terminal reaches only the launcher, which then stops its processes in order, and so that
/// processes of `up --detach` outlive the launcher; stdout and stderr go to logs/&lt;name&gt;.log.
/// </summary>
public sealed class ChildProcess
{
    // Every process this one started, for a benchmark stopped by Ctrl-C or SIGTERM (KillEveryStarted).
    private static readonly System.Collections.Concurrent.ConcurrentQueue<ChildProcess> Started = new();

    private readonly Process _process;

    private ChildProcess(string name, string role, IReadOnlyList<string> command, string log, Process process)
    {
        Name = name;
        Role = role;
        Command = command;
        LogPath = log;
        _process = process;
    }

    public string Name { get; }
    public string Role { get; }
    public IReadOnlyList<string> Command { get; }
    public string LogPath { get; }
    public int Pid => _process.Id;

    public bool HasExited
    {
        get
        {
            try { return _process.HasExited; }
            catch (InvalidOperationException) { return true; }
        }
    }

    public static ChildProcess Start(string name, string role, IReadOnlyList<string> command, string logDirectory)
    {
        Directory.CreateDirectory(logDirectory);
        var log = Path.Combine(logDirectory, name + ".log");
        // setsid execs in place (the child is no group leader), so the pid we see is the process's.
        var start = new ProcessStartInfo("setsid")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
        };
        foreach (var a in new[] { "sh", "-c", "exec \"$@\" >>\"$0\" 2>&1 </dev/null", log }.Concat(command))
            start.ArgumentList.Add(a);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}");
        var child = new ChildProcess(name, role, command, log, process);
        Started.Enqueue(child);
        return child;
    }

    /// <summary>
    /// SIGKILL to every process this one started that still runs. A benchmark's own `finally` does
    /// not run when a signal ends the process, and its children, in sessions of their own, would
    /// outlive it; `up --detach` never calls this (its processes are meant to outlive it).
    /// </summary>
    public static void KillEveryStarted()
    {
        foreach (var p in Started.Where(p => !p.HasExited)) Signals.Send(p.Pid, Signals.SigKill);
    }

    /// <summary>The one-line reason the process gave for not starting (a port in use, a seed of another cluster), if it gave one.</summary>
    public string? StartupFailureReason() =>
        LogTail().Split('\n').LastOrDefault(l => l.StartsWith(Startup.StartupFailure.Prefix, StringComparison.Ordinal))?[Startup.StartupFailure.Prefix.Length..].TrimEnd();

    public string LogTail(int lines = 20)
    {
        try
        {
            return string.Join(Environment.NewLine, File.ReadLines(LogPath).TakeLast(lines));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }
}
