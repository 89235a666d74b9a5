using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Akka.KubeEmu.Host.Bench;

/// <summary>
/// When each pod was sent to the API, and when a watch first saw it bound to a node and Running
/// (Stopwatch timestamps of this process), for the scheduler benchmark's latencies.
/// </summary>
public sealed class PodTimeline
{
    private readonly ConcurrentDictionary<string, long> _created = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _scheduled = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _running = new(StringComparer.Ordinal);

    public void Creating(string name) => _created[name] = Stopwatch.GetTimestamp();

    public long? Created(string name) => _created.TryGetValue(name, out var t) ? t : null;

    public long? Scheduled(string name) => _scheduled.TryGetValue(name, out var t) ? t : null;

    public long? Running(string name) => _running.TryGetValue(name, out var t) ? t : null;

    public int CountRunning(IEnumerable<string> names) => names.Count(_running.ContainsKey);

    /// <summary>Watches the namespace's pods until <paramref name="stop"/>, again from the last resourceVersion when a watch ends.</summary>
    public Task Watch(HttpClient api, string ns, CancellationToken stop) => Task.Run(async () =>
    {
        var rv = JsonNode.Parse(await api.GetStringAsync($"/api/v1/namespaces/{ns}/pods?limit=1", stop))!["metadata"]!["resourceVersion"]!.GetValue<string>();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await api.GetAsync($"/api/v1/namespaces/{ns}/pods?watch=true&resourceVersion={rv}",
                    HttpCompletionOption.ResponseHeadersRead, stop);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop));
                while (await reader.ReadLineAsync(stop) is { } line)
                {
                    var now = Stopwatch.GetTimestamp();
                    var pod = JsonNode.Parse(line)?["object"];
                    if (pod?["metadata"]?["resourceVersion"]?.GetValue<string>() is { } v) rv = v;
                    if (pod?["metadata"]?["name"]?.GetValue<string>() is not { } name) continue;
                    if (pod["spec"]?["nodeName"]?.GetValue<string>() is { Length: > 0 }) _scheduled.TryAdd(name, now);
                    if (pod["status"]?["phase"]?.GetValue<string>() == "Running") _running.TryAdd(name, now);
                }
            }
        }
        catch (OperationCanceledException) { }
    }, CancellationToken.None);
}

/// <summary>One wave of the scheduler benchmark, measured.</summary>
public sealed record WaveResult(string Name, int Pods, double CreateRate, double Throughput,
    double ScheduleP50Ms, double ScheduleP99Ms, double StartupP50Ms, double StartupP99Ms)
{
    public static WaveResult From(string name, IReadOnlyList<string> pods, TimeSpan creating, PodTimeline timeline)
    {
        var created = pods.Select(p => timeline.Created(p)!.Value).ToArray();
        var scheduled = pods.Select(p => timeline.Scheduled(p) ?? timeline.Running(p)!.Value).ToArray();
        var running = pods.Select(p => timeline.Running(p)!.Value).ToArray();
        var span = Stopwatch.GetElapsedTime(created.Min(), scheduled.Max());
        double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
        var toBound = created.Zip(scheduled, Ms).Order().ToArray();
        var toRunning = created.Zip(running, Ms).Order().ToArray();
        return new WaveResult(name, pods.Count, pods.Count / creating.TotalSeconds, pods.Count / span.TotalSeconds,
            LatencyStats.Percentile(toBound, 0.5), LatencyStats.Percentile(toBound, 0.99),
            LatencyStats.Percentile(toRunning, 0.5), LatencyStats.Percentile(toRunning, 0.99));
    }
}
