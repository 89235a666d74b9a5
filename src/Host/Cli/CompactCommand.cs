using System.CommandLine;
using System.Globalization;
using k8s;

namespace Akka.KubeEmu.Host.Cli;

/// <summary>
/// <c>kubeemu compact</c>: the emulator's `etcdctl compact`. After it, watches and paged lists
/// from an older resourceVersion get 410 Expired, as after etcd's compaction, so clients'
/// relist paths can be tested on demand.
/// </summary>
public static class CompactCommand
{
    public static Command Create()
    {
        var stateDir = CommonOptions.StateDir();
        var revision = new Option<long?>("--resource-version")
        {
            Description = "Forget the history up to this resourceVersion (default: the current one).",
        };
        var command = new Command("compact", "Compact the Store's history (watch window), as etcdctl compact does on a real cluster.") { stateDir, revision };
        command.SetAction((r, ct) => Run(r.GetValue(stateDir)!, r.GetValue(revision), ct));
        return command;
    }

    private static async Task<int> Run(string stateDir, long? resourceVersion, CancellationToken ct)
    {
        var kubeconfig = Path.Combine(stateDir, "kubeconfig");
        if (!File.Exists(kubeconfig))
        {
            await Console.Error.WriteLineAsync($"no cluster in {Path.GetFullPath(stateDir)}: {kubeconfig} does not exist (start one with `kubeemu up`, or pass --state-dir)");
            return 1;
        }
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        var query = resourceVersion is { } rv ? $"?resourceVersion={rv.ToString(CultureInfo.InvariantCulture)}" : "";
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(client.BaseUri, ApiServer.Compaction.CompactionEndpoint.Path + query));
            // The client's credentials go on each request it builds itself; this one is built here.
            if (client.Credentials is { } credentials) await credentials.ProcessHttpRequestAsync(request, ct);
            using var response = await client.HttpClient.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                await Console.Error.WriteLineAsync($"compaction refused ({(int)response.StatusCode}): {body}");
                return 1;
            }
            var compacted = System.Text.Json.Nodes.JsonNode.Parse(body)?["compactedResourceVersion"]?.GetValue<string>();
            Console.WriteLine($"compacted resourceVersion {compacted}");
            return 0;
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync($"cannot reach the API server at {client.BaseUri}: {e.Message}");
            return 1;
        }
    }
}
