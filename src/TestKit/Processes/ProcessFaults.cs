using System.Diagnostics;
using Akka.KubeEmu.Cluster.Chaos;
using Akka.KubeEmu.Host.Launcher;

namespace Akka.KubeEmu.TestKit.Processes;

/// <summary>
/// The faults the kit injects into a cluster process, as `kubeemu chaos` does: a crash (SIGKILL),
/// a freeze and a thaw (SIGSTOP, SIGCONT: the process lives but answers nobody meanwhile), and a
/// restart with the command line recorded in processes.json, which returns once the new process
/// has joined the cluster (it writes its run file only then).
/// </summary>
internal sealed class ProcessFaults(string stateDir, ProcessTable table, Action<string> log)
{
    private readonly HashSet<int> _frozen = [];

    public void Kill(ClusterProcess p) => Signal(p, Signals.SigKill, "killed", "SIGKILL");

    public void Freeze(ClusterProcess p)
    {
        Signal(p, Signals.SigStop, "froze", "SIGSTOP");
        lock (_frozen) _frozen.Add(p.Pid);
    }

    public void Thaw(ClusterProcess p)
    {
        Signal(p, Signals.SigCont, "thawed", "SIGCONT");
        lock (_frozen) _frozen.Remove(p.Pid);
    }

    /// <summary>As `kubeemu chaos partition`: the process runs on, cut off from every other one (both ways) until healed.</summary>
    public void Partition(ClusterProcess p)
    {
        if (!IsRunning(p)) throw new InvalidOperationException($"{p} is not running");
        new PartitionOrder([], null).Write(stateDir, p.Name);
        log($"partitioned {p.Name} from every other process (pid {p.Pid}, {p.AkkaAddress})");
    }

    public void Heal(ClusterProcess p) =>
        log(PartitionOrder.Delete(stateDir, p.Name) ? $"healed {p.Name}" : $"heal {p.Name}: it was not partitioned");

    /// <summary>Processes frozen and not thawed: stopping them gracefully needs a SIGCONT first.</summary>
    public void ThawAll()
    {
        lock (_frozen)
        {
            foreach (var pid in _frozen) Signals.Send(pid, Signals.SigCont);
            _frozen.Clear();
        }
    }

    /// <summary>A running process is killed first: a crash-restart.</summary>
    public async Task<ClusterProcess> Restart(ClusterProcess p, TimeSpan timeout, CancellationToken ct)
    {
        if (IsRunning(p))
        {
            Signals.Send(p.Pid, Signals.SigKill);
            log($"killed {p} to restart it");
        }
        var child = ChildProcess.Start(p.Name, p.Role, p.Command, Path.Combine(stateDir, "logs"));
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (table.Current().FirstOrDefault(r => r.Name == p.Name && r.Pid == child.Pid) is { } joined)
            {
                log($"restarted {joined}: joined after {watch.Elapsed.TotalSeconds:0.0} s");
                return joined;
            }
            if (child.HasExited)
                throw new InvalidOperationException($"{p.Name} exited while starting again; the end of {child.LogPath}:{Environment.NewLine}{child.LogTail(30)}");
            if (watch.Elapsed > timeout)
                throw new TimeoutException($"{p.Name} (pid {child.Pid}) did not join within {timeout.TotalSeconds:0} s; the end of {child.LogPath}:{Environment.NewLine}{child.LogTail(30)}");
            // Polling a file the process writes once it is Up: there is nothing to subscribe to.
            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }
    }

    private bool IsRunning(ClusterProcess p) => StateDirectoryProcesses.Names(p.Pid, stateDir);

    private void Signal(ClusterProcess p, int signal, string verb, string name)
    {
        if (!IsRunning(p)) throw new InvalidOperationException($"{p} is not running; RestartNodeAsync(\"{p.Name}\") starts it again");
        if (!Signals.Send(p.Pid, signal)) throw new InvalidOperationException($"could not send {name} to {p}");
        log($"{verb} {p.Name} with {name} (pid {p.Pid}, {p.AkkaAddress})");
    }
}
