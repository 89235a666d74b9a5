using System.Diagnostics;
using Akka.KubeEmu.Host.Launcher;

namespace Akka.KubeEmu.TestKit.Processes;

/// <summary>
/// Every live process whose command line names the cluster's state directory. The directory is
/// a fresh temporary one, so this finds exactly the cluster's processes, including those no file
/// lists yet (a node still joining when `up` timed out) or any more (a restarted one still
/// joining): the last resort that makes disposal leave nothing behind.
/// </summary>
internal static class StateDirectoryProcesses
{
    public static IReadOnlyList<int> Find(string stateDir)
    {
        var pids = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
            if (Names(pid, stateDir)) pids.Add(pid);
        }
        return pids;
    }

    /// <summary>Whether the pid is a live process of this cluster (guards signals against a recycled pid).</summary>
    public static bool Names(int pid, string stateDir)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z')) return false; // a zombie is dead already
            var args = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return args.Any(a => a == stateDir || a.StartsWith(stateDir + "/", StringComparison.Ordinal));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL to each (a frozen process dies of it too), then waits until they are gone.</summary>
    public static IReadOnlyList<int> KillAll(string stateDir, TimeSpan wait)
    {
        var pids = Find(stateDir);
        foreach (var pid in pids) Signals.Send(pid, Signals.SigKill);
        var watch = Stopwatch.StartNew();
        while (pids.Any(p => Names(p, stateDir)) && watch.Elapsed < wait) Thread.Sleep(20);
        return pids;
    }
}
