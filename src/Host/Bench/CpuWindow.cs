using System.Diagnostics;
using Akka.KubeEmu.Host.Launcher;

namespace Akka.KubeEmu.Host.Bench;

/// <summary>
/// The CPU each process (and the benchmark itself) used between two instants: whether a run was
/// bound by the machine's cores or by waiting, and what a unit of work cost in CPU time.
/// </summary>
public sealed class CpuWindow
{
    private readonly IReadOnlyList<ChildProcess> _processes;
    private readonly Dictionary<int, TimeSpan> _start;
    private readonly long _startedAt = Stopwatch.GetTimestamp();

    private CpuWindow(IReadOnlyList<ChildProcess> processes)
    {
        _processes = processes;
        _start = Pids().ToDictionary(p => p, ProcessCpu.Used);
    }

    public static CpuWindow Start(IReadOnlyList<ChildProcess> processes) => new(processes);

    private IEnumerable<int> Pids() => _processes.Select(p => p.Pid).Append(Environment.ProcessId);

    /// <summary>Prints each process's CPU in the window as core-seconds and as cores on average, and the total per unit of work.</summary>
    public void Report(TextWriter output, string what, int units, string unit)
    {
        var wall = Stopwatch.GetElapsedTime(_startedAt).TotalSeconds;
        var used = Pids().Select(pid => (ProcessCpu.Used(pid) - _start.GetValueOrDefault(pid)).TotalSeconds).ToArray();
        var names = _processes.Select(p => p.Name).Append("bench (client)").ToArray();
        output.WriteLine($"  CPU during {what} ({wall:F1} s; the machine has {Environment.ProcessorCount} cores)");
        for (var i = 0; i < names.Length; i++)
            output.WriteLine($"    {names[i],-16} {used[i],7:F1} core-s   {used[i] / wall,5:F2} cores on average");
        var all = used.Sum();
        output.WriteLine($"    {"all",-16} {all,7:F1} core-s   {all / wall,5:F2} cores on average; {1000 * all / Math.Max(1, units):F1} ms of CPU per {unit}");
    }
}
