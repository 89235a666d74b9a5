using System.Diagnostics;

namespace Akka.KubeEmu.Host.Bench;

/// <summary>What `kubeemu bench failover` is asked for.</summary>
public sealed record FailoverBenchOptions(int Runs, int NodeProcesses, int Pods, string Profile, TimeSpan Timeout, string? ConfigFile, bool KeepState = false);

/// <summary>
/// `kubeemu bench failover`: a cluster as `kubeemu up` starts it, nginx Deployments through the
/// official Kubernetes client (with the kubeconfig the cluster writes), then, run after run, a
/// SIGKILL to the node process hosting the most pods, timed until its Node is NotReady, its pods
/// evicted, their replacements Running elsewhere and the dead pods collected; the process is then
/// started again with its command line from processes.json.
/// </summary>
public sealed class FailoverBenchmark(FailoverBenchOptions options, TextWriter output)
{
    public async Task<int> Run(CancellationToken ct)
    {
        if (options.NodeProcesses < 2)
        {
            output.WriteLine("--node-processes must be at least 2: the pods of a killed node need another node to go to");
            return 2;
        }
        var cluster = BenchCluster.Create(options.NodeProcesses, options.Profile, options.ConfigFile);
        // The processes run in sessions of their own: a Ctrl-C reaches only this process, which may
        // be given no more than a couple of seconds to exit, so they are killed from the callback.
        await using var killOnCancel = ct.Register(cluster.KillAll);
        var keep = options.KeepState;
        try
        {
            output.WriteLine(BenchMachine.Describe());
            var loadAtStart = BenchMachine.LoadAverage();
            output.WriteLine($"load average: {loadAtStart}; state in {cluster.StateDir}");
            using var api = await cluster.StartControlPlane(options.Timeout, ct);
            cluster.StartNodes();
            var clock = Stopwatch.StartNew();
            await FailoverWorkload.CreateNamespace(api, ct);
            using var view = await ClusterView.Start(api, FailoverWorkload.Namespace, options.Timeout, ct);
            var deployments = FailoverWorkload.Plan(options.Pods);
            var run = new FailoverRun(cluster, view, deployments, options.Timeout);
            await run.Wait(FailoverConditions.AllReady(cluster.NodeNames), "every node Ready", ct);
            output.WriteLine($"{options.NodeProcesses} nodes Ready after {clock.Elapsed.TotalSeconds:F1} s");
            clock.Restart();
            await FailoverWorkload.CreateDeployments(api, deployments, ct);
            await run.Settle(ct);
            output.WriteLine($"{options.Pods} pods Running in {deployments.Count} Deployments after {clock.Elapsed.TotalSeconds:F1} s");

            var report = new FailoverReport(output);
            report.Header();
            var results = new List<FailoverResult>();
            for (var i = 1; i <= options.Runs; i++)
            {
                results.Add(await run.Measure(i, ct));
                report.Line(results[^1]);
            }
            report.Summary(results, options, loadAtStart, view.Relists);
            return 0;
        }
        catch when (!ct.IsCancellationRequested)
        {
            output.WriteLine($"the run failed; logs kept in {cluster.Logs}");
            keep = true;
            throw;
        }
        finally
        {
            cluster.KillAll();
            if (keep) output.WriteLine($"state and logs kept in {cluster.StateDir}");
            else DeleteState(cluster.StateDir);
        }
    }

    private static void DeleteState(string stateDir)
    {
        try { Directory.Delete(stateDir, recursive: true); }
        catch (IOException) { }
    }
}
