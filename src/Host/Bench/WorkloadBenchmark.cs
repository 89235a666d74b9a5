using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Host.ApiServer.Tls;
using Akka.KubeEmu.Host.Launcher;
using Akka.KubeEmu.Host.StateDirectory;

namespace Akka.KubeEmu.Host.Bench;

/// <summary>What `kubeemu bench workloads` is asked for.</summary>
/// <param name="Idle">Measure the cluster at rest after the scale-up (settle, measure) instead of rolling it: `kubeemu bench idle`.</param>
public sealed record WorkloadBenchOptions(int Nodes, int Replicas, int NodeProcesses, string Profile, TimeSpan Timeout, string? ConfigFile, bool KeepState = false,
    (TimeSpan Settle, TimeSpan Measure)? Idle = null);

/// <summary>
/// `kubeemu bench workloads`: a control plane and hollow-node processes (`--virtual-nodes`), a
/// Deployment of many replicas created through the API, the time until every replica is available,
/// then a rolling update of it. While it runs, a probe writes a ConfigMap every 100 ms through the
/// API (the write latency a user sees on the busy cluster) and a watch counts every pod created, so
/// that a pod created twice shows. Peak RSS of each process comes from /proc (VmHWM).
/// </summary>
public sealed class WorkloadBenchmark(WorkloadBenchOptions options, TextWriter output)
{
    private const string Ns = "bench";
    private const string Name = "bench";
    private readonly Stopwatch _progress = Stopwatch.StartNew();
    private readonly Stopwatch _phase = new();
    private PodWatch? _watch;

    public async Task<int> Run()
    {
        string? stateDir = Directory.CreateTempSubdirectory("kubeemu-bench-").FullName;
        var logs = Path.Combine(stateDir, "logs");
        var apiPort = BenchMachine.FreePort();
        var akkaPort = BenchMachine.FreePort();
        var self = LaunchPlan.Self();
        var config = options.ConfigFile is null ? Array.Empty<string>() : ["--config", options.ConfigFile];
        var processes = new List<ChildProcess>();
        try
        {
            Machine();
            processes.Add(ChildProcess.Start("control-plane", "control-plane", self.Concat([
                "control-plane", "--name", "control-plane", "--state-dir", stateDir, "--api-port", apiPort.ToString(),
                "--akka-port", akkaPort.ToString(), "--profile", options.Profile, .. config]).ToArray(), logs));
            using var target = await HollowClusterProbes.Connect(stateDir, apiPort, processes[0], Ns);
            var api = target.Http;
            var perProcess = (int)Math.Ceiling(options.Nodes / (double)options.NodeProcesses);
            for (var i = 1; i <= options.NodeProcesses; i++)
                processes.Add(ChildProcess.Start($"nodes-{i}", "node", self.Concat([
                    "node", "--name", $"hollow-{i}", "--state-dir", stateDir, "--seed", $"127.0.0.1:{akkaPort}",
                    "--profile", options.Profile, "--virtual-nodes", Math.Min(perProcess, options.Nodes - (i - 1) * perProcess).ToString(), .. config]).ToArray(), logs));

            var clock = Stopwatch.StartNew();
            await Until(async () => await HollowClusterProbes.ReadyNodes(api) >= options.Nodes, processes, $"{options.Nodes} nodes Ready");
            output.WriteLine($"{options.Nodes} nodes Ready after {clock.Elapsed.TotalSeconds:F1} s");

            await Send(api, HttpMethod.Post, "/api/v1/namespaces", $$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{Ns}}}"}}""");
            using var stop = new CancellationTokenSource();
            var watch = PodWatch.Start(api, Ns, stop.Token);
            _watch = watch;
            var probe = WriteProbe(api, stop.Token);

            clock.Restart();
            _phase.Restart();
            var cpu = CpuWindow.Start(processes);
            await Send(api, HttpMethod.Post, $"/apis/apps/v1/namespaces/{Ns}/deployments", Deployment("nginx:1.14.2"));
            var created = await Until(() => Rolled(api, 1), processes, $"{options.Replicas} available replicas");
            var scaleUp = clock.Elapsed;
            output.WriteLine($"{options.Replicas:N0} replicas available after {scaleUp.TotalSeconds:F1} s ({options.Replicas / scaleUp.TotalSeconds:F0} pods/s)");
            cpu.Report(output, "the scale-up", options.Replicas, "pod");

            if (options.Idle is { } idle)
            {
                await stop.CancelAsync();
                await probe;
                await watch.Completion;
                var rest = await new IdleMeasurement(idle.Settle, idle.Measure, output).Run(api, processes);
                ReportIdle(rest);
                if (options.KeepState)
                {
                    output.WriteLine($"state and logs kept in {stateDir}");
                    stateDir = null;
                }
                return 0;
            }

            clock.Restart();
            _phase.Restart();
            cpu = CpuWindow.Start(processes);
            await Send(api, HttpMethod.Patch, $"/apis/apps/v1/namespaces/{Ns}/deployments/{Name}",
                """{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"nginx:1.16.1"}]}}}}""", "application/strategic-merge-patch+json");
            await Until(() => Rolled(api, 2), processes, "the rolling update complete");
            var rollout = clock.Elapsed;
            output.WriteLine($"rolling update of {options.Replicas:N0} replicas complete after {rollout.TotalSeconds:F1} s");
            cpu.Report(output, "the rolling update", options.Replicas, "pod replaced");

            await stop.CancelAsync();
            var writes = await probe;
            var pods = await watch.Completion;
            Report(scaleUp, rollout, writes, pods, processes);
            if (options.KeepState)
            {
                output.WriteLine($"state and logs kept in {stateDir}");
                stateDir = null;
            }
            _ = created;
            return 0;
        }
        catch
        {
            output.WriteLine($"the run failed; logs kept in {logs}");
            stateDir = null;
            throw;
        }
        finally
        {
            foreach (var p in processes.Where(p => !p.HasExited)) Signals.Send(p.Pid, Signals.SigKill);
            try { if (stateDir is not null) Directory.Delete(stateDir, recursive: true); }
            catch (IOException) { }
        }
    }

    private string Deployment(string image) => new JsonObject
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = new JsonObject { ["name"] = Name, ["namespace"] = Ns },
        ["spec"] = new JsonObject
        {
            ["replicas"] = options.Replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = Name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = new JsonObject { ["app"] = Name } },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = image }) },
            },
        },
    }.ToJsonString();

    /// <summary>True once the Deployment's generation <paramref name="generation"/> is rolled out: every replica updated and available.</summary>
    private async Task<bool> Rolled(HttpClient api, long generation)
    {
        var d = JsonNode.Parse(await api.GetStringAsync($"/apis/apps/v1/namespaces/{Ns}/deployments/{Name}"))!;
        var status = d["status"];
        long Field(string f) => status?[f]?.GetValue<long>() ?? 0;
        if (_progress.Elapsed > TimeSpan.FromSeconds(5))
        {
            _progress.Restart();
            var seen = _watch?.Now;
            output.WriteLine($"  {_phase.Elapsed.TotalSeconds,5:F1} s: replicas {Field("replicas")}, updated {Field("updatedReplicas")}, ready {Field("readyReplicas")}, available {Field("availableReplicas")}"
                             + (seen is null ? "" : $"; watched: {seen.Distinct} pods created, {seen.Ready} seen Ready, {seen.Events} events"));
        }
        return Field("observedGeneration") >= generation && Field("updatedReplicas") == options.Replicas
               && Field("availableReplicas") == options.Replicas && Field("replicas") == options.Replicas;
    }

    /// <summary>Creates a ConfigMap every 100 ms and times each answer.</summary>
    private static async Task<LatencyStats> WriteProbe(HttpClient api, CancellationToken stop)
    {
        var latencies = new List<double>();
        var errors = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await api.PostAsync($"/api/v1/namespaces/{Ns}/configmaps",
                    new StringContent($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"probe-{{{i}}}"},"data":{"i":"{{{i}}}"}}""", Encoding.UTF8, "application/json"),
                    CancellationToken.None);
                if (response.StatusCode == HttpStatusCode.Created) latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                else errors++;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                errors++;
            }
            try { await Task.Delay(100, stop); }
            catch (OperationCanceledException) { break; }
        }
        return LatencyStats.From("API writes during the run (probe)", latencies, clock.Elapsed, errors);
    }

    private void Report(TimeSpan scaleUp, TimeSpan rollout, LatencyStats writes, PodWatch.Counts pods, IReadOnlyList<ChildProcess> processes)
    {
        output.WriteLine();
        output.WriteLine($"deployment of {options.Replicas:N0} replicas on {options.Nodes:N0} emulated nodes ({options.NodeProcesses} node process(es), profile {options.Profile})");
        output.WriteLine($"  all available after     {scaleUp.TotalSeconds,8:F1} s   {options.Replicas / scaleUp.TotalSeconds,8:F0} pods/s");
        output.WriteLine($"  rolling update done in  {rollout.TotalSeconds,8:F1} s   {options.Replicas / rollout.TotalSeconds,8:F0} pods/s");
        output.WriteLine($"  API write latency       p50 {writes.P50Ms:F1} ms, p99 {writes.P99Ms:F1} ms over {writes.Count} probe writes ({writes.Errors} errors)");
        output.WriteLine($"  pods created            {pods.Added:N0} (expected {2 * options.Replicas:N0}: every replica once, then once more by the update); distinct names {pods.Distinct:N0}");
        output.WriteLine("  peak RSS (VmHWM)");
        foreach (var p in processes) output.WriteLine($"    {p.Name,-16} {HollowClusterProbes.PeakRss(p.Pid)}");
        output.WriteLine($"    {"bench (client)",-16} {HollowClusterProbes.PeakRss(Environment.ProcessId)}");
        output.WriteLine();
        Check($"{options.Replicas:N0} replicas available (s)", scaleUp.TotalSeconds, v => v <= 20, "(target <= 20 s, 500 pods/s end to end)");
        Check("rolling update (s)", rollout.TotalSeconds, v => v <= 60, "(target <= 60 s)");
        Check("pods created / expected", pods.Added / (2.0 * options.Replicas), v => Math.Abs(v - 1) < 1e-9, "(no pod created twice: 1.00)");
    }

    private void ReportIdle(IdleMeasurement.Result rest)
    {
        output.WriteLine();
        output.WriteLine($"{options.Nodes:N0} emulated nodes with {options.Replicas:N0} pods at rest ({options.NodeProcesses} node process(es), profile {options.Profile})");
        foreach (var (process, cores) in rest.PerProcess) output.WriteLine($"  {process,-16} {100 * cores,6:F1} % of a core");
        output.WriteLine($"  {"all",-16} {100 * rest.TotalCores,6:F1} % of a core");
        output.WriteLine($"  store writes      {rest.WritesPerSecond,6:F0} /s");
        output.WriteLine();
        Check("all processes at rest (% of one core)", 100 * rest.TotalCores, v => v < 10, "target < 10 %");
    }

    private void Check(string what, double value, Func<double, bool> passes, string note) =>
        output.WriteLine($"{(passes(value) ? "PASS" : "FAIL")}  {what,-36} {value,8:F2}  {note}");

    private async Task<T> Until<T>(Func<Task<T>> probe, IReadOnlyList<ChildProcess> processes, string what) where T : notnull
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < options.Timeout)
        {
            foreach (var p in processes.Where(p => p.HasExited))
                throw new InvalidOperationException($"{p.Name} exited while waiting for {what}:\n{p.LogTail()}");
            try
            {
                var value = await probe();
                if (value is true or not bool) return value;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{what}: not within {options.Timeout}");
    }

    private static async Task Send(HttpClient api, HttpMethod method, string path, string body, string contentType = "application/json")
    {
        using var response = await api.SendAsync(new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, contentType) });
        if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.Conflict)
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private void Machine()
    {
        output.WriteLine(BenchMachine.Describe());
    }
}
