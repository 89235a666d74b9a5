using Akka.KubeEmu.Actors.Resources;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Scheduling;

/// <summary>A node and what the pods on it (bound or assumed) already request (framework.NodeInfo).</summary>
public sealed class NodeInfo
{
    private readonly Dictionary<string, ResourceRequests> _pods = new(StringComparer.Ordinal);

    public NodeInfo(V1Node node) => Node = node;

    public V1Node Node { get; private set; }

    public string Name => Node.Metadata.Name;

    public ResourceRequests Requested { get; private set; }

    public int PodCount => _pods.Count;

    public ResourceRequests Allocatable => ResourceRequests.FromList(Node.Status?.Allocatable);

    public long AllowedPodNumber =>
        Node.Status?.Allocatable?.TryGetValue("pods", out var pods) == true ? ResourceRequests.Value(pods) : 110;

    public void Update(V1Node node) => Node = node;

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
