using System.Runtime.InteropServices;

namespace Akka.KubeEmu.Host.Launcher;

/// <summary>POSIX signals to other processes (System.Diagnostics.Process only offers SIGKILL).</summary>
public static partial class Signals
{
    public const int SigTerm = 15;
    public const int SigKill = 9;
    public const int SigCont = 18;
    public const int SigStop = 19;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;

    /// <summary>Whether the pid is a live KubeEmu process (guards against pid reuse after a reboot or a long time).</summary>
    public static bool IsKubeEmu(int pid)
    {
        if (pid <= 0 || Kill(pid, 0) != 0) return false;
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z')) return false; // a zombie is dead
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains("kubeemu", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }
}
