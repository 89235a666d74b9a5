using System.Diagnostics;
using Akka.KubeEmu.Cluster.Chaos;
using Akka.KubeEmu.Host.Launcher;
using Akka.KubeEmu.Host.StateDirectory;

namespace Akka.KubeEmu.Host.Chaos;

/// <summary>
/// The faults `kubeemu chaos` injects into one process: a crash (SIGKILL), a freeze and a thaw
/// (SIGSTOP, SIGCONT: the process lives but answers nobody meanwhile), a graceful leave (SIGTERM:
/// the process leaves the Akka cluster and exits), a partition and its healing (the process runs
/// on but cannot reach the others, nor they it), and a restart with its recorded command line.
/// </summary>
public sealed class ChaosActions(string stateDir, TextWriter output)
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public int Kill(ProcessRecord p) => Signal(p, Signals.SigKill, "killed", "SIGKILL");

    public int Freeze(ProcessRecord p) => Signal(p, Signals.SigStop, "froze", "SIGSTOP");

    public int Thaw(ProcessRecord p) => Signal(p, Signals.SigCont, "thawed", "SIGCONT");

    /// <summary>Cuts the process off from the others (all, or the named processes) without stopping it; it heals by itself after <paramref name="healAfter"/>.</summary>
    public int Partition(ProcessRecord p, IReadOnlyList<string> from, TimeSpan? healAfter, TimeProvider time)
    {
        if (!Running(p)) return 1;
        // Downed meanwhile, it exits and deletes its run file: remembered here so that `chaos restart` finds it.
        LeftProcesses.Remember(stateDir, p);
        new PartitionOrder(from, healAfter is { } h ? time.GetUtcNow() + h : null).Write(stateDir, p.Name);
        output.WriteLine($"partitioned {p.Name} (pid {p.Pid}) from {(from.Count == 0 ? "every other process" : string.Join(", ", from))}"
                         + (healAfter is { } after ? $" for {after.TotalSeconds:0.#} s" : "; heal it with: kubeemu chaos heal " + p.Name));
        return 0;
    }

    public int Heal(ProcessRecord p)
    {
        output.WriteLine(PartitionOrder.Delete(stateDir, p.Name) ? $"healed {p.Name}" : $"{p.Name} was not partitioned");
        return 0;
    }

    public async Task<int> Leave(ProcessRecord p)
    {
        if (!Running(p)) return 1;
        LeftProcesses.Remember(stateDir, p);
        Signals.Send(p.Pid, Signals.SigCont); // a frozen process could not leave
        Signals.Send(p.Pid, Signals.SigTerm);
        var watch = Stopwatch.StartNew();
        while (Signals.IsKubeEmu(p.Pid) && watch.Elapsed < ClusterStopper.GracePeriod) await Task.Delay(100);
        if (Signals.IsKubeEmu(p.Pid))
        {
            output.WriteLine($"{p.Name} (pid {p.Pid}) did not leave within {ClusterStopper.GracePeriod.TotalSeconds:0} s; it is still running");
            return 1;
        }
        output.WriteLine($"{p.Name} (pid {p.Pid}) left the cluster and exited after {watch.Elapsed.TotalSeconds:0.0} s");
        return 0;
    }

    /// <summary>Starts the process again as its launcher did (detached, log appended); a running one is killed first, as a crash-restart.</summary>
    public async Task<int> Restart(ProcessRecord p)
    {
        if (Signals.IsKubeEmu(p.Pid))
        {
            Signals.Send(p.Pid, Signals.SigKill);
            output.WriteLine($"killed {p.Name} (pid {p.Pid}) to restart it");
        }
        var child = ChildProcess.Start(p.Name, p.Role, p.Command, Path.Combine(stateDir, "logs"));
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < StartTimeout)
        {
            if (ProcessRecord.Read(ProcessRecord.PathFor(stateDir, p.Name)) is { } record && record.Pid == child.Pid)
            {
                LeftProcesses.Forget(stateDir, p.Name);
                output.WriteLine($"restarted {p.Name}: pid {child.Pid}, {record.AkkaAddress}, joined after {watch.Elapsed.TotalSeconds:0.0} s");
                return 0;
            }
            if (child.HasExited)
            {
                output.WriteLine($"{p.Name} exited while starting; the end of {child.LogPath}:{Environment.NewLine}{child.LogTail()}");
                return 1;
            }
            await Task.Delay(100);
        }
        output.WriteLine($"{p.Name} (pid {child.Pid}) did not join within {StartTimeout.TotalSeconds:0} s; see {child.LogPath}");
        return 1;
    }

    private int Signal(ProcessRecord p, int signal, string verb, string name)
    {
        if (!Running(p)) return 1;
        if (!Signals.Send(p.Pid, signal))
        {
            output.WriteLine($"could not send {name} to {p.Name} (pid {p.Pid})");
            return 1;
        }
        output.WriteLine($"{verb} {p.Name} (pid {p.Pid}, {name})");
        return 0;
    }

    private bool Running(ProcessRecord p)
    {
        if (Signals.IsKubeEmu(p.Pid)) return true;
        output.WriteLine($"{p.Name} is not running (pid {p.Pid}); start it again with: kubeemu chaos restart {p.Name} --state-dir {stateDir}");
        return false;
    }
}
