using System.Diagnostics;
using Akka.KubeEmu.Host.Launcher;

namespace Akka.KubeEmu.Host.Bench;

/// <summary>
/// The CPU each process (and the benchmark itself) used between two instants: whether a run was
/// bound by the machine's cores or by waiting, and what a unit of work cost in CPU time.
/// </summary>
public sealed class CpuWindow
{
    private const string Bench = "bench (client)";
    private readonly IReadOnlyList<ChildProcess> _processes;
    private readonly Dictionary<int, TimeSpan> _start;
    private readonly long _startedAt = Stopwatch.GetTimestamp();

    private CpuWindow(IReadOnlyList<ChildProcess> processes)
    {
        _processes = processes;
        _start = Pids().ToDictionary(p => p, ProcessCpu.Used);
    }

    public static CpuWindow Start(IReadOnlyList<ChildProcess> processes) => new(processes);

    /// <summary>Wall-clock seconds since the start.</summary>
    public double Seconds => Stopwatch.GetElapsedTime(_startedAt).TotalSeconds;

    private IEnumerable<int> Pids() => _processes.Select(p => p.Pid).Append(Environment.ProcessId);

    /// <summary>Core-seconds each process used since the start, the benchmark's own last.</summary>
    public IReadOnlyList<(string Process, double CoreSeconds)> Used() =>
        _processes.Select(p => p.Name).Append(Bench)
            .Zip(Pids(), (name, pid) => (name, (ProcessCpu.Used(pid) - _start.GetValueOrDefault(pid)).TotalSeconds))
            .ToArray();

    /// <summary>Cores each cluster process used on average since the start (the benchmark left out).</summary>
    public IReadOnlyList<(string Process, double Cores)> ClusterCores()
    {
        var wall = Seconds;
        return Used().Where(u => u.Process != Bench).Select(u => (u.Process, u.CoreSeconds / wall)).ToArray();
    }

    /// <summary>Prints each process's CPU in the window as core-seconds and as cores on average, and the total per unit of work.</summary>
    public void Report(TextWriter output, string what, int units, string unit)
    {
        var wall = Seconds;
        var used = Used();
        output.WriteLine($"  CPU during {what} ({wall:F1} s; the machine has {Environment.ProcessorCount} cores)");
        foreach (var (name, seconds) in used)
            output.WriteLine($"    {name,-16} {seconds,7:F1} core-s   {seconds / wall,5:F2} cores on average");
        var all = used.Sum(u => u.CoreSeconds);
        output.WriteLine($"    {"all",-16} {all,7:F1} core-s   {all / wall,5:F2} cores on average; {1000 * all / Math.Max(1, units):F1} ms of CPU per {unit}");
    }
}
