using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Host.ApiServer.Tls;
using Akka.KubeEmu.Host.Launcher;
using Akka.KubeEmu.Host.StateDirectory;

namespace Akka.KubeEmu.Host.Bench;

/// <summary>What `kubeemu bench scheduler` is asked for.</summary>
public sealed record SchedulerBenchOptions(int Nodes, int NodeProcesses, int PlainPods, int AffinityPods, int SpreadPods, int Clients,
    string Profile, TimeSpan Timeout, string? ConfigFile, bool KeepState, bool Gated = false);

/// <summary>
/// `kubeemu bench scheduler`, after kube-scheduler's scheduler_perf: hollow nodes, then waves of pods
/// created through the API as fast as <c>--clients</c> concurrent clients can (plain pods, pods with
/// a required node affinity, pods with a hostname topology spread constraint), each wave timed from
/// its first create to its last binding as a watch sees them. Per wave: creation rate, scheduling
/// throughput, scheduling latency (create to bound) and startup latency (create to Running, images
/// cached: the image pull delay is set to 0) at p50 and p99.
/// With <c>--gated</c>, as scheduler_perf measures the scheduler alone: each wave's pods are created
/// with a scheduling gate, then the gates are lifted by the same clients as fast as they can, and the
/// wave is timed from its first release to its last binding (the creates no longer bound it).
/// </summary>
public sealed class SchedulerBenchmark(SchedulerBenchOptions options, TextWriter output)
{
    private const string Ns = "bench";
    private const string Gate = "kubeemu.io/bench";

    public async Task<int> Run()
    {
        string? stateDir = Directory.CreateTempSubdirectory("kubeemu-bench-").FullName;
        var logs = Path.Combine(stateDir, "logs");
        var overrides = Path.Combine(stateDir, "bench.conf");
        // Images cached, as the issue's startup latency is measured: no pull delay.
        await File.WriteAllTextAsync(overrides, "kubeemu.timing.image-pull-delay = 0ms\n"
            + (options.ConfigFile is null ? "" : await File.ReadAllTextAsync(options.ConfigFile)));
        var apiPort = BenchMachine.FreePort();
        var akkaPort = BenchMachine.FreePort();
        var self = LaunchPlan.Self();
        var processes = new List<ChildProcess>();
        try
        {
            output.WriteLine(BenchMachine.Describe());
            processes.Add(ChildProcess.Start("control-plane", "control-plane", self.Concat([
                "control-plane", "--name", "control-plane", "--state-dir", stateDir, "--api-port", apiPort.ToString(),
                "--akka-port", akkaPort.ToString(), "--profile", options.Profile, "--config", overrides]).ToArray(), logs));
            using var target = await HollowClusterProbes.Connect(stateDir, apiPort, processes[0], Ns);
            var api = target.Http;
            var perProcess = (int)Math.Ceiling(options.Nodes / (double)options.NodeProcesses);
            for (var i = 1; i <= options.NodeProcesses; i++)
                processes.Add(ChildProcess.Start($"nodes-{i}", "node", self.Concat([
                    "node", "--name", $"hollow-{i}", "--state-dir", stateDir, "--seed", $"127.0.0.1:{akkaPort}",
                    "--profile", options.Profile, "--virtual-nodes", Math.Min(perProcess, options.Nodes - (i - 1) * perProcess).ToString(),
                    "--config", overrides]).ToArray(), logs));

            var clock = Stopwatch.StartNew();
            await Until(async () => await HollowClusterProbes.ReadyNodes(api) >= options.Nodes, processes, $"{options.Nodes} nodes Ready");
            output.WriteLine($"{options.Nodes:N0} nodes Ready after {clock.Elapsed.TotalSeconds:F1} s");
            using (var ns = await api.PostAsync("/api/v1/namespaces", Json($$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{Ns}}}"}}""")))
                ns.EnsureSuccessStatusCode();

            using var stop = new CancellationTokenSource();
            var timeline = new PodTimeline();
            var watching = timeline.Watch(api, Ns, stop.Token);

            var waves = new List<WaveResult>();
            foreach (var (name, count, pod) in Waves())
            {
                if (count <= 0) continue;
                output.WriteLine($"wave {name}: creating {count:N0} pods with {options.Clients} clients ...");
                waves.Add(await RunWave(api, timeline, name, count, pod, processes));
            }
            await stop.CancelAsync();
            await watching;
            Report(waves, processes);
            if (options.KeepState)
            {
                output.WriteLine($"state and logs kept in {stateDir}");
                stateDir = null;
            }
            // A missed target prints FAIL; the exit code is for runs that could not be measured.
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

    private IEnumerable<(string Name, int Count, Func<string, string> Pod)> Waves()
    {
        yield return ("plain", options.PlainPods, name => Pod(name, "plain", null));
        // Required node affinity that every hollow node satisfies but the filter must evaluate on each.
        yield return ("node-affinity", options.AffinityPods, name => Pod(name, "affinity", new JsonObject
        {
            ["affinity"] = new JsonObject
            {
                ["nodeAffinity"] = new JsonObject
                {
                    ["requiredDuringSchedulingIgnoredDuringExecution"] = new JsonObject
                    {
                        ["nodeSelectorTerms"] = new JsonArray(new JsonObject
                        {
                            ["matchExpressions"] = new JsonArray(new JsonObject
                            {
                                ["key"] = "kubernetes.io/os", ["operator"] = "In", ["values"] = new JsonArray("linux"),
                            }),
                        }),
                    },
                },
            },
        }));
        yield return ("topology-spread", options.SpreadPods, name => Pod(name, "spread", new JsonObject
        {
            ["topologySpreadConstraints"] = new JsonArray(new JsonObject
            {
                ["maxSkew"] = 1,
                ["topologyKey"] = "kubernetes.io/hostname",
                ["whenUnsatisfiable"] = "DoNotSchedule",
                ["labelSelector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["wave"] = "spread" } },
            }),
        }));
    }

    private string Pod(string name, string wave, JsonObject? spec)
    {
        var podSpec = spec ?? new JsonObject();
        if (options.Gated) podSpec["schedulingGates"] = new JsonArray(new JsonObject { ["name"] = Gate });
        podSpec["containers"] = new JsonArray(new JsonObject
        {
            ["name"] = "app", ["image"] = "nginx:1.14.2",
            ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = "10m", ["memory"] = "16Mi" } },
        });
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = Ns, ["labels"] = new JsonObject { ["wave"] = wave } },
            ["spec"] = podSpec,
        }.ToJsonString();
    }

    private async Task<WaveResult> RunWave(HttpClient api, PodTimeline timeline, string wave, int count, Func<string, string> pod, IReadOnlyList<ChildProcess> processes)
    {
        var names = Enumerable.Range(0, count).Select(i => $"{wave}-{i:D6}").ToArray();
        var created = await ForEachPod(names, "create", async name =>
        {
            timeline.Creating(name);
            using var response = await api.PostAsync($"/api/v1/namespaces/{Ns}/pods", Json(pod(name)));
            return response.StatusCode == HttpStatusCode.Created;
        });
        if (options.Gated)
        {
            output.WriteLine($"wave {wave}: {count:N0} gated pods created in {created.TotalSeconds:F1} s; lifting the gates ...");
            // The wave's clock starts again at each pod's release: latencies and throughput are the scheduler's.
            created = await ForEachPod(names, "release", async name =>
            {
                timeline.Creating(name);
                using var response = await api.PatchAsync($"/api/v1/namespaces/{Ns}/pods/{name}",
                    new StringContent("""{"spec":{"schedulingGates":null}}""", Encoding.UTF8, "application/merge-patch+json"));
                return response.IsSuccessStatusCode;
            });
            var lastReleased = Stopwatch.GetTimestamp();
            await Until(() => Task.FromResult(names.All(n => timeline.Scheduled(n) is not null)), processes, $"wave {wave}: {count} pods bound");
            var firstReleased = names.Min(n => timeline.Created(n)!.Value);
            var lastBound = names.Max(n => timeline.Scheduled(n)!.Value);
            output.WriteLine($"wave {wave}: released {count / created.TotalSeconds:F0} pods/s; first release → last binding "
                + $"{Stopwatch.GetElapsedTime(firstReleased, lastBound).TotalSeconds:F2} s ({count / Stopwatch.GetElapsedTime(firstReleased, lastBound).TotalSeconds:F0} pods/s), "
                + $"last release → last binding {Stopwatch.GetElapsedTime(Math.Min(lastReleased, lastBound), lastBound).TotalSeconds:F2} s");
        }
        await Until(() => Task.FromResult(timeline.CountRunning(names) == count), processes, $"wave {wave}: {count} pods Running");
        return WaveResult.From(wave, names, created, timeline);
    }

    /// <summary>One request per pod, sent by <c>--clients</c> concurrent clients; how long they all took.</summary>
    private async Task<TimeSpan> ForEachPod(string[] names, string what, Func<string, Task<bool>> request)
    {
        var next = -1;
        var errors = 0;
        var started = Stopwatch.GetTimestamp();
        async Task Client()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < names.Length)
                if (!await request(names[i])) Interlocked.Increment(ref errors);
        }
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Clients)).Select(_ => Task.Run(Client)));
        if (errors > 0) throw new InvalidOperationException($"{errors} of {names.Length} {what} requests failed");
        return Stopwatch.GetElapsedTime(started);
    }

    private void Report(IReadOnlyList<WaveResult> waves, IReadOnlyList<ChildProcess> processes)
    {
        output.WriteLine();
        output.WriteLine($"{options.Nodes:N0} emulated nodes ({options.NodeProcesses} node process(es), profile {options.Profile}), images cached");
        output.WriteLine($"{"WAVE",-16} {"PODS",7} {(options.Gated ? "RELEASED/S" : "CREATED/S"),10} {"SCHEDULED/S",12} {"SCHED P50",10} {"SCHED P99",10} {"START P50",10} {"START P99",10}");
        foreach (var w in waves)
            output.WriteLine($"{w.Name,-16} {w.Pods,7:N0} {w.CreateRate,10:F0} {w.Throughput,12:F0} {w.ScheduleP50Ms,8:F0}ms {w.ScheduleP99Ms,8:F0}ms {w.StartupP50Ms,8:F0}ms {w.StartupP99Ms,8:F0}ms");
        output.WriteLine("  peak RSS (VmHWM)");
        foreach (var p in processes) output.WriteLine($"    {p.Name,-16} {HollowClusterProbes.PeakRss(p.Pid)}");
        output.WriteLine();
        if (options.Gated)
        {
            output.WriteLine("Gated: SCHEDULED/S is the wave's pods over the time from its first release to its last binding (a watch's view);");
            output.WriteLine("RELEASED/S bounds it when lower. SCHED: release to bound; START: release to Running.");
        }
        else
        {
            output.WriteLine("SCHEDULED/S: the wave's pods over the time from its first create to its last binding (a watch's view);");
            output.WriteLine("CREATED/S bounds it when lower. SCHED: create to bound; START: create to Running.");
        }
        if (waves.FirstOrDefault(w => w.Name == "plain") is { } plain)
        {
            Check("plain pods scheduled/s", plain.Throughput, v => v >= 1000, "(target >= 1000 pods/s; kube-scheduler's CI floor at 5,000 nodes: 680)");
            Check("plain pods startup p99 (ms)", plain.StartupP99Ms, v => v <= 1000, "(target <= 1000 ms)");
        }
    }

    private void Check(string what, double value, Func<double, bool> passes, string note) =>
        output.WriteLine($"{(passes(value) ? "PASS" : "FAIL")}  {what,-32} {value,8:F1}  {note}");

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private async Task Until(Func<Task<bool>> probe, IReadOnlyList<ChildProcess> processes, string what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < options.Timeout)
        {
            foreach (var p in processes.Where(p => p.HasExited))
                throw new InvalidOperationException($"{p.Name} exited while waiting for {what}:\n{p.LogTail()}");
            try
            {
                if (await probe()) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{what}: not within {options.Timeout}");
    }
}
