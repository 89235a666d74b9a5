namespace Akka.KubeEmu.Actors.Node.ContainerRuntime;

/// <summary>
/// What a simulated container process does once started: run for a while and exit with a code,
/// or run until stopped; and how it answers SIGTERM. PID 1 gets no default signal handlers from
/// the kernel, so a `sleep` or a plain shell ignores SIGTERM and is SIGKILLed (exit 137) when the
/// grace period ends; servers and well-behaved programs stop promptly.
/// </summary>
/// <param name="RunFor">How long until it exits by itself; null: until stopped.</param>
/// <param name="ExitCode">Its exit code when it exits by itself.</param>
/// <param name="HandlesSigterm">Whether SIGTERM stops it promptly.</param>
/// <param name="SigtermExitCode">Its exit code then.</param>
public sealed record ProgramPlan(TimeSpan? RunFor, int ExitCode, bool HandlesSigterm, int SigtermExitCode)
{
    public bool RunsForever => RunFor is null;

    public static ProgramPlan Forever(bool handlesSigterm, int sigtermExitCode = 0) => new(null, 0, handlesSigterm, sigtermExitCode);

    public static ProgramPlan Exits(TimeSpan after, int code, bool handlesSigterm = true) => new(after, code, handlesSigterm, 0);
}

/// <summary>How long the runtime's made-up programs take.</summary>
public static class ProgramTimes
{
    /// <summary>An unknown command that must finish (init containers, Jobs) runs this long, then exits 0.</summary>
    public static readonly TimeSpan UnknownCommand = TimeSpan.FromSeconds(3);

    /// <summary>A program that handles SIGTERM needs this long to stop.</summary>
    public static readonly TimeSpan SigtermStop = TimeSpan.FromMilliseconds(100);

    /// <summary>A container set to crash (kubeemu.io/crash-loop) runs this long by default.</summary>
    public static readonly TimeSpan CrashAfter = TimeSpan.FromSeconds(2);

    /// <summary>A container over its memory limit (kubeemu.io/memory-usage) is OOM-killed this long after it starts.</summary>
    public static readonly TimeSpan OomAfter = TimeSpan.FromSeconds(1);
}
