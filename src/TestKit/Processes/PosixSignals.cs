using System.Runtime.InteropServices;

namespace Akka.KubeEmu.TestKit.Processes;

/// <summary>POSIX signals to other processes: System.Diagnostics.Process only offers SIGKILL.</summary>
internal static partial class PosixSignals
{
    public const int SigKill = 9;
    public const int SigCont = 18;
    public const int SigStop = 19;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public static bool Send(int pid, int signal) => Kill(pid, signal) == 0;
}
