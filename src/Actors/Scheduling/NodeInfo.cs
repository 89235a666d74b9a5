using Akka.KubeEmu.Actors.Resources;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Scheduling;

/// <summary>A node and what the pods on it (bound or assumed) already request (framework.NodeInfo).</summary>
public sealed class NodeInfo
{
    private readonly Dictionary<string, ResourceRequests> _pods = new(StringComparer.Ordinal);

    public NodeInfo(V1Node node) => Update(node);

    public V1Node Node { get; private set; } = null!;

    public string Name => Node.Metadata.Name;

    public ResourceRequests Requested { get; private set; }

    public int PodCount => _pods.Count;

    /// <summary>Computed once per node update: quantities are slow to convert, and every pod's filter reads them.</summary>
    public ResourceRequests Allocatable { get; private set; }

    public long AllowedPodNumber { get; private set; }

    public void Update(V1Node node)
    {
        Node = node;
        Allocatable = ResourceRequests.FromList(node.Status?.Allocatable);
        AllowedPodNumber = node.Status?.Allocatable?.TryGetValue("pods", out var pods) == true ? ResourceRequests.Value(pods) : 110;
    }

    public void AddPod(string key, ResourceRequests requests)
    {
        RemovePod(key);
        _pods[key] = requests;
        Requested += requests;
    }

    public void RemovePod(string key)
    {
        if (_pods.Remove(key, out var old)) Requested -= old;
    }

    public bool HasPod(string key) => _pods.ContainsKey(key);
}
