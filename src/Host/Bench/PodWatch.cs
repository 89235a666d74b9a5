using System.Text.Json.Nodes;

namespace Akka.KubeEmu.Host.Bench;

/// <summary>
/// Follows a namespace's pods through one watch: counts every pod created (ADDED events and distinct names) and
/// the pods seen Ready, live, so a benchmark's progress lines show where the time goes (creation or start-up)
/// rather than only what a controller's status says, which lags by its own sync.
/// </summary>
public sealed class PodWatch
{
    public sealed record Counts(long Added, long Distinct, long Ready, long Events);

    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ready = new(StringComparer.Ordinal);
    private long _added;
    private long _events;

    public Task<Counts> Completion { get; }

    private PodWatch(HttpClient api, string ns, CancellationToken stop) => Completion = Task.Run(() => Run(api, ns, stop), CancellationToken.None);

    public static PodWatch Start(HttpClient api, string ns, CancellationToken stop) => new(api, ns, stop);

    /// <summary>The tally so far.</summary>
    public Counts Now
    {
        get
        {
            lock (_names) return new Counts(_added, _names.Count, _ready.Count, _events);
        }
    }

    private async Task<Counts> Run(HttpClient api, string ns, CancellationToken stop)
    {
        var rv = JsonNode.Parse(await api.GetStringAsync($"/api/v1/namespaces/{ns}/pods?limit=1", stop))!["metadata"]!["resourceVersion"]!.GetValue<string>();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await api.GetAsync($"/api/v1/namespaces/{ns}/pods?watch=true&resourceVersion={rv}&allowWatchBookmarks=false",
                    HttpCompletionOption.ResponseHeadersRead, stop);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop));
                while (await reader.ReadLineAsync(stop) is { } line) Observe(JsonNode.Parse(line)!, ref rv);
            }
        }
        catch (OperationCanceledException) { }
        return Now;
    }

    private void Observe(JsonNode ev, ref string rv)
    {
        var pod = ev["object"];
        var meta = pod?["metadata"];
        if (meta?["resourceVersion"]?.GetValue<string>() is { } v) rv = v;
        if (meta?["name"]?.GetValue<string>() is not { } name) return;
        var type = ev["type"]?.GetValue<string>();
        lock (_names)
        {
            _events++;
            if (type == "ADDED")
            {
                _added++;
                _names.Add(name);
            }
            if (type != "DELETED" && IsReady(pod!)) _ready.Add(name);
        }
    }

    private static bool IsReady(JsonNode pod) =>
        pod["status"]?["conditions"] is JsonArray conditions
        && conditions.Any(c => c?["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True");
}
