namespace Akka.KubeEmu.Host.Bench;

/// <summary>What `kubeemu bench failover` prints: a line per run, then median and max per phase and the issue's targets.</summary>
public sealed class FailoverReport(TextWriter output)
{
    public const double DetectionTarget = 3, RecoveryTarget = 6;

    private static readonly (string Column, string Phase, Func<FailoverResult, TimeSpan> Time)[] Phases =
    [
        ("NotReady", "Node NotReady (detection)", r => r.Detection),
        ("tainted", "Node tainted NoExecute (unreachable)", r => r.Tainted),
        ("evicted", "its pods evicted (all Terminating)", r => r.Eviction),
        ("created", "replacements all created", r => r.Created),
        ("sched.", "replacements all scheduled", r => r.Scheduled),
        ("running", "replacements all Running and Ready", r => r.Recovery),
        ("gone", "its pods gone (pod garbage collector)", r => r.PodGc),
        ("back", "restarted: Ready, untainted (from restart)", r => r.Rejoin),
    ];

    public void Header()
    {
        output.WriteLine("seconds from the SIGKILL (this process's Stopwatch) to the arrival of the watch event showing the state; back: from the restart");
        output.WriteLine($"{"run",3}  {"node",-8} {"pods",4}" + string.Concat(Phases.Select(p => $"  {p.Column,8}")));
    }

    public void Line(FailoverResult r) =>
        output.WriteLine($"{r.Run,3}  {r.Node,-8} {r.Pods,4}" + string.Concat(Phases.Select(p => $"  {p.Time(r).TotalSeconds,8:F2}")));

    public void Summary(IReadOnlyList<FailoverResult> results, FailoverBenchOptions options, string loadAtStart, int relists)
    {
        output.WriteLine();
        output.WriteLine($"failover of the busiest of {options.NodeProcesses} node processes, {options.Pods} pods in Deployments, profile {options.Profile}, {results.Count} run(s)");
        output.WriteLine($"load average at start {loadAtStart}, at end {BenchMachine.LoadAverage()}; watches listed again {relists} time(s)");
        output.WriteLine($"  {"phase (s from the kill)",-44} {"median",8} {"max",8}");
        foreach (var (_, phase, time) in Phases)
        {
            var seconds = results.Select(r => time(r).TotalSeconds).ToArray();
            output.WriteLine($"  {phase,-44} {Median(seconds),8:F2} {seconds.Max(),8:F2}");
        }
        output.WriteLine();
        if (options.Profile != "fast") output.WriteLine($"(the targets are the fast profile's; the {options.Profile} profile detects and evicts on Kubernetes' own clocks)");
        var detection = results.Select(r => r.Detection.TotalSeconds).ToArray();
        var recovery = results.Select(r => r.Recovery.TotalSeconds).ToArray();
        Check("detection, median (s)", Median(detection), DetectionTarget, $"(target <= {DetectionTarget} s)");
        Check("detection, max (s)", detection.Max(), DetectionTarget, $"(target <= {DetectionTarget} s)");
        Check("all replacements Running, max (s)", recovery.Max(), RecoveryTarget, $"(target <= {RecoveryTarget} s; median {Median(recovery):F2} s)");
    }

    private void Check(string what, double value, double target, string note) =>
        output.WriteLine($"{(value <= target ? "PASS" : "FAIL")}  {what,-36} {value,8:F2}  {note}");

    public static double Median(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
