using System.Diagnostics;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Akka.KubeEmu.Host.Bench;

/// <summary>What `kubeemu bench control-plane-failover` is asked for.</summary>
public sealed record ControlPlaneFailoverOptions(int Runs, int ControlPlanes, int NodeProcesses, string Profile, TimeSpan Timeout, string? ConfigFile);

/// <summary>
/// `kubeemu bench control-plane-failover`: a cluster with several control planes, then, run after
/// run, a SIGKILL to the one running the singletons (the oldest), timed through the API server of
/// the next oldest until a read answers, a write is accepted, and a Deployment scaled at the kill
/// has its new replica available (the controllers and the scheduler moved too). Each request waits
/// for its answer as kubectl's would; an error answer is asked again. The killed process
/// is started again and rejoins as the youngest before the next run.
/// </summary>
public sealed class ControlPlaneFailoverBenchmark(ControlPlaneFailoverOptions options, TextWriter output)
{
    private const string Namespace = "cp-failover";
    // kubectl sets no request timeout of its own: a request waits for the API server's answer, which
    // comes within the API server's 30 s Store timeout at the latest. A shorter one here would cut
    // off and resend requests a user would have seen answered, or stuck.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(35);

    public async Task<int> Run(CancellationToken ct)
    {
        if (options.ControlPlanes < 2)
        {
            output.WriteLine("--control-planes must be at least 2: a killed control plane needs another to take over");
            return 2;
        }
        var cluster = BenchCluster.Create(options.NodeProcesses, options.Profile, options.ConfigFile, options.ControlPlanes);
        await using var killOnCancel = ct.Register(cluster.KillAll);
        try
        {
            output.WriteLine(BenchMachine.Describe());
            output.WriteLine($"load average: {BenchMachine.LoadAverage()}; state in {cluster.StateDir}");
            (await cluster.StartControlPlane(options.Timeout, ct)).Dispose();
            cluster.StartNodes();
            // Oldest first: the singletons run on the head of this list.
            var byAge = cluster.ControlPlaneNames.ToList();
            await Until(() => Created(cluster, byAge[0], api =>
                api.CoreV1.CreateNamespaceAsync(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = Namespace } })), "the namespace", ct);
            await Until(() => Created(cluster, byAge[0], api => api.AppsV1.CreateNamespacedDeploymentAsync(Deployment(), Namespace)), "the deployment", ct);
            await Until(() => Available(cluster, byAge[0], 1), "the deployment available", ct);

            output.WriteLine($"{"RUN",-4} {"KILLED",-16} {"ASKED",-16} {"READ",7} {"WRITE",7} {"SCALED",7}");
            var results = new List<(double Read, double Write, double Scaled)>();
            for (var run = 1; run <= options.Runs; run++)
            {
                var (victim, survivor) = (byAge[0], byAge[1]);
                var replicas = run % 2 == 0 ? 1 : 2;
                var killedAt = cluster.Kill(victim);
                // The moment to read the processes' logs against (their lines carry UTC times too).
                File.AppendAllText(Path.Combine(cluster.Logs, "bench.log"), $"{DateTime.UtcNow:HH:mm:ss.fff} run {run}: SIGKILL {victim}{Environment.NewLine}");
                var read = await Timed(killedAt, () => Read(cluster, survivor), $"a read through {survivor}", ct);
                var write = await Timed(killedAt, () => Write(cluster, survivor, run), $"a write through {survivor}", ct);
                var scaled = await Timed(killedAt, () => Scale(cluster, survivor, replicas), $"the scale to {replicas} accepted", ct);
                scaled = await Timed(killedAt, () => Available(cluster, survivor, replicas), $"{replicas} replicas available", ct);
                results.Add((read, write, scaled));
                output.WriteLine($"{run,-4} {victim,-16} {survivor,-16} {read,6:F1}s {write,6:F1}s {scaled,6:F1}s");

                cluster.Restart(victim);
                byAge.RemoveAt(0);
                byAge.Add(victim);
                await Until(async () => cluster.ProcessesFileCurrent() && await cluster.ApiReady(victim, ct), $"{victim} back", ct);
            }
            Summary("API answering (read)", results.Select(r => r.Read));
            Summary("writes accepted", results.Select(r => r.Write));
            Summary("controllers acting", results.Select(r => r.Scaled));
            return 0;
        }
        catch when (!ct.IsCancellationRequested)
        {
            output.WriteLine($"the run failed; logs kept in {cluster.Logs}");
            throw;
        }
        finally
        {
            cluster.KillAll();
        }
    }

    private void Summary(string what, IEnumerable<double> seconds)
    {
        var sorted = seconds.Order().ToArray();
        output.WriteLine($"{what}: median {LatencyStats.Percentile(sorted, 0.5):F1} s, max {sorted[^1]:F1} s over {sorted.Length} run(s)");
    }

    private async Task<double> Timed(long since, Func<Task<bool>> done, string what, CancellationToken ct)
    {
        await Until(done, what, ct);
        return Stopwatch.GetElapsedTime(since).TotalSeconds;
    }

    private async Task Until(Func<Task<bool>> done, string what, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (!await done())
        {
            if (clock.Elapsed > options.Timeout) throw new TimeoutException($"{what}: not within {options.Timeout.TotalSeconds:F0} s");
            await Task.Delay(50, ct);
        }
    }

    private static Task<bool> Read(BenchCluster cluster, string via) =>
        Attempt(cluster, via, async api => (await api.AppsV1.ReadNamespacedDeploymentAsync("web", Namespace)) is not null);

    private static Task<bool> Write(BenchCluster cluster, string via, int run) =>
        Created(cluster, via, api => api.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = $"run-{run}" } }, Namespace));

    /// <summary>A create that counts as done when it was accepted, also by an earlier attempt whose answer was lost (409).</summary>
    private static Task<bool> Created<T>(BenchCluster cluster, string via, Func<IKubernetes, Task<T>> create) =>
        Attempt(cluster, via, async api =>
        {
            try
            {
                await create(api);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
            {
            }
            return true;
        });

    private static Task<bool> Scale(BenchCluster cluster, string via, int replicas) =>
        Attempt(cluster, via, async api =>
        {
            var patch = new V1Patch($"{{\"spec\":{{\"replicas\":{replicas}}}}}", V1Patch.PatchType.MergePatch);
            await api.AppsV1.PatchNamespacedDeploymentScaleAsync(patch, "web", Namespace);
            return true;
        });

    private static Task<bool> Available(BenchCluster cluster, string via, int replicas) =>
        Attempt(cluster, via, async api =>
        {
            var d = await api.AppsV1.ReadNamespacedDeploymentAsync("web", Namespace);
            return d.Status?.ObservedGeneration >= d.Metadata.Generation && d.Status?.AvailableReplicas == replicas && d.Status.Replicas == replicas;
        });

    /// <summary>One request, waited for as kubectl waits; an error answer (or a refused connection) is asked again.</summary>
    private static async Task<bool> Attempt(BenchCluster cluster, string via, Func<IKubernetes, Task<bool>> request)
    {
        using var api = cluster.ClientOf(via, RequestTimeout);
        try
        {
            return await request(api);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or TaskCanceledException or TimeoutException)
        {
            return false;
        }
    }

    private static V1Deployment Deployment() => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = Namespace },
        Spec = new V1DeploymentSpec
        {
            Replicas = 1,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "nginx", Image = "nginx:1.27" }] },
            },
        },
    };
}
