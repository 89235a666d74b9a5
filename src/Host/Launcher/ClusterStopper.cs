using System.Diagnostics;
using Akka.KubeEmu.Host.StateDirectory;

namespace Akka.KubeEmu.Host.Launcher;

/// <summary>
/// Stops a cluster's processes gracefully: SIGTERM to the nodes (they leave the cluster), then to
/// the control planes, each group with a deadline after which SIGKILL follows.
/// </summary>
public static class ClusterStopper
{
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(20);

    public static async Task<IReadOnlyList<ProcessRecord>> Stop(IEnumerable<ProcessRecord> processes, TextWriter output)
    {
        var alive = processes.Where(p => Signals.IsKubeEmu(p.Pid)).ToList();
        await StopGroup(alive.Where(p => p.Role != "control-plane").ToList(), output);
        await StopGroup(alive.Where(p => p.Role == "control-plane").ToList(), output);
        return alive;
    }

    private static async Task StopGroup(IReadOnlyList<ProcessRecord> group, TextWriter output)
    {
        if (group.Count == 0) return;
        foreach (var p in group)
        {
            Signals.Send(p.Pid, Signals.SigCont); // a frozen process (chaos freeze) cannot stop until thawed
            Signals.Send(p.Pid, Signals.SigTerm);
        }
        var watch = Stopwatch.StartNew();
        while (group.Any(p => Signals.IsKubeEmu(p.Pid)) && watch.Elapsed < GracePeriod)
            await Task.Delay(100);
        foreach (var p in group)
        {
            if (Signals.IsKubeEmu(p.Pid))
            {
                Signals.Send(p.Pid, Signals.SigKill);
                output.WriteLine($"{p.Name} (pid {p.Pid}) did not stop within {GracePeriod.TotalSeconds:0} s: killed");
            }
            else
            {
                output.WriteLine($"stopped {p.Name} (pid {p.Pid})");
            }
        }
    }

    /// <summary>`kubeemu down`: the foreground launcher first (it stops its own processes), then whatever is left.</summary>
    public static async Task<int> Down(string stateDir, TextWriter output)
    {
        stateDir = Path.GetFullPath(stateDir);
        if (LauncherPidFile.Read(stateDir) is { } launcher && Signals.IsKubeEmu(launcher))
        {
            Signals.Send(launcher, Signals.SigTerm);
            var watch = Stopwatch.StartNew();
            while (Signals.IsKubeEmu(launcher) && watch.Elapsed < GracePeriod * 2) await Task.Delay(100);
        }
        var known = ProcessesFile.FromRunFiles(stateDir).Concat(ProcessesFile.Read(stateDir))
            .GroupBy(p => p.Pid).Select(g => g.First()).ToList();
        var stopped = await Stop(known, output);
        if (stopped.Count == 0) output.WriteLine($"no KubeEmu processes are running from {stateDir}");
        foreach (var p in known) ProcessRecord.Delete(stateDir, p.Name);
        ProcessesFile.Rebuild(stateDir);
        LauncherPidFile.Delete(stateDir);
        return 0;
    }
}

/// <summary>The pid of a foreground `up`, so `down` can ask it to stop its cluster.</summary>
public static class LauncherPidFile
{
    private static string PathIn(string stateDir) => Path.Combine(stateDir, "launcher.pid");

    public static void Write(string stateDir) => File.WriteAllText(PathIn(stateDir), Environment.ProcessId.ToString());

    public static int? Read(string stateDir) =>
        File.Exists(PathIn(stateDir)) && int.TryParse(File.ReadAllText(PathIn(stateDir)).Trim(), out var pid) ? pid : null;

    public static void Delete(string stateDir)
    {
        try { File.Delete(PathIn(stateDir)); }
        catch (IOException) { }
    }
}
