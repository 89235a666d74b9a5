using System.Diagnostics;

namespace Akka.KubeEmu.TestKit.Processes;

/// <summary>
/// Starts a cluster process again as `kubeemu up` and `kubeemu chaos restart` do (a copy of the
/// minimum of src/Host/Launcher/ChildProcess.cs, which the kit does not call into): in its own
/// session, so it outlives nothing it should not, with stdout and stderr appended to its log.
/// </summary>
internal sealed class DetachedProcess
{
    private readonly Process _process;

    private DetachedProcess(Process process, string logPath)
    {
        _process = process;
        LogPath = logPath;
    }

    public int Pid => _process.Id;

    public string LogPath { get; }

    public bool HasExited
    {
        get
        {
            try { return _process.HasExited; }
            catch (InvalidOperationException) { return true; }
        }
    }

    public static DetachedProcess Start(string name, IReadOnlyList<string> command, string logDirectory)
    {
        Directory.CreateDirectory(logDirectory);
        var log = Path.Combine(logDirectory, name + ".log");
        // setsid execs in place (the child is no group leader), so the pid is the process's own.
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardInput = true };
        foreach (var a in new[] { "sh", "-c", "exec \"$@\" >>\"$0\" 2>&1 </dev/null", log }.Concat(command))
            start.ArgumentList.Add(a);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {name}");
        return new DetachedProcess(process, log);
    }

    public string LogTail(int lines = 30)
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
