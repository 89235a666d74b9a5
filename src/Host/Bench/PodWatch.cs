using System.Text.Json.Nodes;

namespace Akka.KubeEmu.Host.Bench;

/// <summary>Counts the pods created in a namespace from a watch stream (every ADDED event, and the distinct names).</summary>
public static class PodWatch
{
    public sealed record Counts(long Added, long Distinct);

    public static Task<Counts> Start(HttpClient api, string ns, CancellationToken stop) => Task.Run(async () =>
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        long added = 0;
        var rv = JsonNode.Parse(await api.GetStringAsync($"/api/v1/namespaces/{ns}/pods?limit=1", stop))!["metadata"]!["resourceVersion"]!.GetValue<string>();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                using var response = await api.GetAsync($"/api/v1/namespaces/{ns}/pods?watch=true&resourceVersion={rv}&allowWatchBookmarks=false",
                    HttpCompletionOption.ResponseHeadersRead, stop);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(stop));
                while (await reader.ReadLineAsync(stop) is { } line)
                {
                    var ev = JsonNode.Parse(line)!;
                    var meta = ev["object"]?["metadata"];
                    if (meta?["resourceVersion"]?.GetValue<string>() is { } v) rv = v;
                    if (ev["type"]?.GetValue<string>() != "ADDED" || meta?["name"]?.GetValue<string>() is not { } name) continue;
                    added++;
                    names.Add(name);
                }
            }
        }
        catch (OperationCanceledException) { }
        return new Counts(added, names.Count);
    }, CancellationToken.None);
}
