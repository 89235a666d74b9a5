using Akka.KubeEmu.Actors.Timing;

namespace Akka.KubeEmu.Host.Bench;

/// <summary>
/// What `kubeemu bench failover --virtual-time` prints: a line per run in virtual seconds, median
/// and max per phase, and, for a profile that loses nodes by their Lease (kubernetes), Kubernetes'
/// own timing as the target: Unknown node-monitor-grace-period after the last heartbeat, pods
/// evicted the toleration after the taint, both within 5 %.
/// </summary>
public sealed class VirtualFailoverReport(TextWriter output, TimingProfile timing)
{
    public const double Tolerance = 0.05;

    private static readonly (string Column, string Phase, Func<VirtualFailoverResult, TimeSpan> Time)[] Phases =
    [
        ("NotReady", "Node NotReady (from the kill)", r => r.Phases.Detection),
        ("tainted", "Node tainted NoExecute", r => r.Phases.Tainted),
        ("evicted", "its pods evicted (all Terminating)", r => r.Phases.Eviction),
        ("created", "replacements all created", r => r.Phases.Created),
        ("sched.", "replacements all scheduled", r => r.Phases.Scheduled),
        ("running", "replacements all Running and Ready", r => r.Phases.Recovery),
        ("gone", "its pods gone (pod garbage collector)", r => r.Phases.PodGc),
        ("back", "restarted: Ready, untainted (from restart)", r => r.Phases.Rejoin),
        ("hb>Unkn", "Unknown, from the last heartbeat", r => r.UnknownAfterHeartbeat),
        ("taint>ev", "evicted, from the taint's timeAdded", r => r.EvictedAfterTaint),
        ("hb>evict", "evicted, from the last heartbeat", r => r.EvictedAfterHeartbeat),
    ];

    public void Header()
    {
        output.WriteLine("virtual seconds from the kill to the first step (1 s) showing the state; back: from the restart; hb: the node's last heartbeat (Lease or Ready)");
        output.WriteLine($"{"run",3}  {"node",-8} {"pods",4}" + string.Concat(Phases.Select(p => $"  {p.Column,8}")));
    }

    public void Line(VirtualFailoverResult r) =>
        output.WriteLine($"{r.Phases.Run,3}  {r.Phases.Node,-8} {r.Phases.Pods,4}" + string.Concat(Phases.Select(p => $"  {p.Time(r).TotalSeconds,8:F2}")));

    /// <summary>Prints the summary; false when a target of Kubernetes' timing was missed.</summary>
    public bool Summary(IReadOnlyList<VirtualFailoverResult> results, FailoverBenchOptions options, string loadAtStart, TimeSpan real)
    {
        output.WriteLine();
        output.WriteLine($"failover of the busiest of {options.NodeProcesses} node processes, {options.Pods} pods in Deployments, profile {options.Profile}, " +
                         $"{results.Count} run(s), virtual time; {real.TotalSeconds:F1} s of real time in all");
        output.WriteLine($"load average at start {loadAtStart}, at end {BenchMachine.LoadAverage()}");
        output.WriteLine($"  {"phase (virtual s)",-44} {"median",8} {"max",8}");
        foreach (var (_, phase, time) in Phases)
        {
            var seconds = results.Select(r => time(r).TotalSeconds).ToArray();
            output.WriteLine($"  {phase,-44} {FailoverReport.Median(seconds),8:F2} {seconds.Max(),8:F2}");
        }
        output.WriteLine();
        if (timing.NodeLossFromMembership)
        {
            output.WriteLine($"(the {options.Profile} profile loses nodes by membership, which the virtual cluster signals at the kill: no Kubernetes timing to compare with)");
            return true;
        }
        var grace = timing.NodeMonitorGracePeriod.TotalSeconds;
        var toleration = (double)timing.DefaultTolerationSeconds;
        var ok = Check("Unknown after the last heartbeat", results.Select(r => r.UnknownAfterHeartbeat.TotalSeconds).ToArray(), grace, "node-monitor-grace-period");
        ok &= Check("evicted after the taint", results.Select(r => r.EvictedAfterTaint.TotalSeconds).ToArray(), toleration, "tolerationSeconds");
        ok &= Check("evicted after the last heartbeat", results.Select(r => r.EvictedAfterHeartbeat.TotalSeconds).ToArray(), grace + toleration, "grace + toleration");
        return ok;
    }

    private bool Check(string what, double[] seconds, double target, string source)
    {
        var (low, high) = (target * (1 - Tolerance), target * (1 + Tolerance));
        var ok = seconds.All(s => s >= low && s <= high);
        output.WriteLine($"{(ok ? "PASS" : "FAIL")}  {what,-34} median {FailoverReport.Median(seconds),7:F2}  min {seconds.Min(),7:F2}  max {seconds.Max(),7:F2}" +
                         $"  (Kubernetes: {target:0} s, {source}; every run within {low:0.#}-{high:0.#})");
        return ok;
    }
}
