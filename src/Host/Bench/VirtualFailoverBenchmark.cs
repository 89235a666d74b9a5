using System.Diagnostics;
using Akka.KubeEmu.Host.VirtualTime;
using k8s;
using static Akka.KubeEmu.Host.Bench.FailoverConditions;

namespace Akka.KubeEmu.Host.Bench;

/// <summary>
/// One run of `kubeemu bench failover --virtual-time`, in virtual seconds from the kill. Besides the
/// phases of <see cref="FailoverResult"/>: <see cref="UnknownAfterHeartbeat"/>, from the Node's last
/// sign of life (its Lease renewal or Ready heartbeat, whichever came last: what the node lifecycle
/// controller counts node-monitor-grace-period from) to the Ready condition's lastTransitionTime, and
/// <see cref="EvictedAfterTaint"/>, from the taint's timeAdded (when the tolerations start counting)
/// to the step that found every pod evicted.
/// </summary>
public sealed record VirtualFailoverResult(FailoverResult Phases, TimeSpan UnknownAfterHeartbeat, TimeSpan EvictedAfterTaint, TimeSpan EvictedAfterHeartbeat);

/// <summary>
/// `kubeemu bench failover --virtual-time`: the failover benchmark's workload and runs on the
/// virtual-time cluster (<see cref="VirtualCluster"/>, in this process), so that the kubernetes
/// profile's 50 s grace period and 300 s tolerations take seconds. The cluster is read through the
/// API (the official client) after every step of virtual time; a phase ends at the first step
/// that shows it, so its time is exact to a step (1 s). The kill stops the node process's actors
/// and cuts it off from the Store; restarts are new incarnations of it.
/// </summary>
public sealed class VirtualFailoverBenchmark(FailoverBenchOptions options, TextWriter output)
{
    public async Task<int> Run(CancellationToken ct)
    {
        if (options.NodeProcesses < 2)
        {
            output.WriteLine("--node-processes must be at least 2: the pods of a killed node need another node to go to");
            return 2;
        }
        var stateDir = Directory.CreateTempSubdirectory("kubeemu-bench-virtual-").FullName;
        var keep = options.KeepState;
        var real = Stopwatch.StartNew();
        try
        {
            output.WriteLine(BenchMachine.Describe());
            var loadAtStart = BenchMachine.LoadAverage();
            output.WriteLine($"load average: {loadAtStart}; state in {stateDir}; virtual time");
            var overrides = options.ConfigFile is null ? null : await File.ReadAllTextAsync(options.ConfigFile, ct);
            await using var cluster = await VirtualCluster.Start(new VirtualClusterSettings(options.NodeProcesses, options.Profile, overrides), stateDir, _ => { });
            using var api = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Path.Combine(stateDir, "kubeconfig")));
            var run = new VirtualFailoverRun(cluster, api, FailoverWorkload.Plan(options.Pods), options.Timeout);

            await run.Until(AllReady(cluster.NodeNames), "every node Ready", ct);
            output.WriteLine($"{options.NodeProcesses} nodes Ready after {real.Elapsed.TotalSeconds:F1} s of real time");
            await FailoverWorkload.CreateNamespace(api, ct);
            await FailoverWorkload.CreateDeployments(api, run.Deployments, ct);
            await run.Settle(ct);
            output.WriteLine($"{options.Pods} pods Running in {run.Deployments.Count} Deployments after {real.Elapsed.TotalSeconds:F1} s of real time");

            var report = new VirtualFailoverReport(output, cluster.Timing);
            report.Header();
            var results = new List<VirtualFailoverResult>();
            for (var i = 1; i <= options.Runs; i++)
            {
                results.Add(await run.Measure(i, ct));
                report.Line(results[^1]);
            }
            return report.Summary(results, options, loadAtStart, real.Elapsed) ? 0 : 1;
        }
        catch when (!ct.IsCancellationRequested)
        {
            output.WriteLine($"the run failed; state kept in {stateDir}");
            keep = true;
            throw;
        }
        finally
        {
            if (keep) output.WriteLine($"state kept in {stateDir}");
            else
            {
                try { Directory.Delete(stateDir, recursive: true); }
                catch (IOException) { }
            }
        }
    }
}
