using System.Text.Json;
using Akka.KubeEmu.Actors.Node.Agent;
using k8s;
using k8s.Autorest;

namespace Akka.KubeEmu.TestKit.Processes;

/// <summary>
/// The cluster's processes from <c>processes.json</c> (the processes keep it current themselves),
/// and which one hosts a Node: the Node's <c>kubeemu.io/akka-address</c> annotation, published by
/// its kubelet, names the process (hollow nodes share one), as `kubeemu chaos` resolves it.
/// </summary>
internal sealed class ProcessTable(string stateDir)
{
    // A process that exits gracefully leaves processes.json; its last record still says how to restart it.
    private readonly Dictionary<string, ClusterProcess> _lastSeen = [];

    public IReadOnlyList<ClusterProcess> Current()
    {
        ClusterProcess[] records;
        try
        {
            records = JsonSerializer.Deserialize<ClusterProcess[]>(File.ReadAllText(Path.Combine(stateDir, "processes.json"))) ?? [];
        }
        catch (Exception e) when (e is IOException or JsonException)
        {
            records = [];
        }
        lock (_lastSeen)
        {
            foreach (var r in records) _lastSeen[r.Name] = r;
            return records;
        }
    }

    public ClusterProcess? ByName(string name)
    {
        var current = Current().FirstOrDefault(p => p.Name == name);
        if (current is not null) return current;
        lock (_lastSeen) return _lastSeen.GetValueOrDefault(name);
    }

    /// <summary>A process name (node-2, control-plane) or the name of a Node it hosts.</summary>
    public async Task<ClusterProcess> Resolve(string processOrNode, IKubernetes client, CancellationToken ct)
    {
        if (ByName(processOrNode) is { } byName) return byName;
        string? address = null;
        try
        {
            var node = await client.CoreV1.ReadNodeAsync(processOrNode, cancellationToken: ct);
            node.Metadata.Annotations?.TryGetValue(NodeObject.AkkaAddressAnnotation, out address);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
        }
        var known = Current();
        return known.FirstOrDefault(p => address is not null && p.AkkaAddress == address)
            ?? throw new ArgumentException(
                $"no process or Node named {processOrNode}; processes: {string.Join(", ", known.Select(p => p.Name))}", nameof(processOrNode));
    }
}
