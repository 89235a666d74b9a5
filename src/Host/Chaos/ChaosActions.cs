using System.Diagnostics;
using Akka.KubeEmu.Host.Launcher;
using Akka.KubeEmu.Host.StateDirectory;

namespace Akka.KubeEmu.Host.Chaos;

/// <summary>
/// The faults `kubeemu chaos` injects into one process: a crash (SIGKILL), a freeze and a thaw
/// (SIGSTOP, SIGCONT: the process lives but answers nobody meanwhile), a graceful leave (SIGTERM:
/// the process leaves the Akka cluster and exits) and a restart with its recorded command line.
/// </summary>
public sealed class ChaosActions(string stateDir, TextWriter output)
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public int Kill(ProcessRecord p) => Signal(p, Signals.SigKill, "killed", "SIGKILL");

    public int Freeze(ProcessRecord p) => Signal(p, Signals.SigStop, "froze", "SIGSTOP");

    public int Thaw(ProcessRecord p) => Signal(p, Signals.SigCont, "thawed", "SIGCONT");

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
