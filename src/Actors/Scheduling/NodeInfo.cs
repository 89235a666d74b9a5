using Akka.KubeEmu.Actors.Resources;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Scheduling;

/// <summary>
/// A node and the pods on it, bound or assumed (framework.NodeInfo): what they request, the host
/// ports they hold, and which of them carry pod (anti-)affinity, so the filters read sums and never
/// walk the pods unless a plugin needs them.
/// </summary>
public sealed class NodeInfo
{
    private readonly Dictionary<string, PodInfo> _pods = new(StringComparer.Ordinal);
    private readonly Dictionary<HostPort, int> _usedPorts = [];

    public NodeInfo(V1Node node) => Update(node);

    /// <summary>The cache's per-selector counts this node's pods are part of; none on a copy (a preemption dry run changes nothing).</summary>
    internal MatchingPodCounts? MatchingPodCounts { get; init; }

    public V1Node Node { get; private set; } = null!;

    public string Name => Node.Metadata.Name;

    public IDictionary<string, string> Labels => Node.Metadata.Labels ?? EmptyLabels;

    private static readonly Dictionary<string, string> EmptyLabels = [];

    public ResourceRequests Requested { get; private set; }

    /// <summary>What the pods request with a pod without requests counted as a small one (NonZeroRequested), for scoring.</summary>
    public ResourceRequests NonZeroRequested { get; private set; }

    public int PodCount => _pods.Count;

    public IEnumerable<PodInfo> Pods => _pods.Values;

    /// <summary>Pods here with any pod affinity or anti-affinity term (PodsWithAffinity).</summary>
    public int PodsWithAffinity { get; private set; }

    /// <summary>Pods here with a required anti-affinity term (PodsWithRequiredAntiAffinity).</summary>
    public int PodsWithRequiredAntiAffinity { get; private set; }

    /// <summary>Computed once per node update: quantities are slow to convert, and every pod's filter reads them.</summary>
    public ResourceRequests Allocatable { get; private set; }

    public long AllowedPodNumber { get; private set; }

    public void Update(V1Node node)
    {
        Node = node;
        Allocatable = ResourceRequests.FromList(node.Status?.Allocatable);
        AllowedPodNumber = node.Status?.Allocatable?.TryGetValue("pods", out var pods) == true ? ResourceRequests.Value(pods) : 110;
    }

    public void AddPod(PodInfo pod)
    {
        RemovePod(pod.Key);
        _pods[pod.Key] = pod;
        Count(pod, +1);
    }

    public void RemovePod(string key)
    {
        if (_pods.Remove(key, out var old)) Count(old, -1);
    }

    public bool HasPod(string key) => _pods.ContainsKey(key);

    public bool PortInUse(HostPort port)
    {
        if (_usedPorts.Count == 0) return false;
        // 0.0.0.0 conflicts with every address of the same protocol and port, and every address with it.
        if (port.Ip == HostPort.AnyIp)
            return _usedPorts.Keys.Any(p => p.Protocol == port.Protocol && p.Port == port.Port);
        return _usedPorts.ContainsKey(port) || _usedPorts.ContainsKey(port with { Ip = HostPort.AnyIp });
    }

    /// <summary>A copy to try removals on (preemption's dry run); the pods themselves are shared, never changed.</summary>
    public NodeInfo Clone()
    {
        var copy = new NodeInfo(Node);
        foreach (var pod in _pods.Values) copy.AddPod(pod);
        return copy;
    }

    private void Count(PodInfo pod, int sign)
    {
        if (sign > 0)
        {
            Requested += pod.Requests;
            NonZeroRequested += pod.NonZeroRequests;
        }
        else
        {
            Requested -= pod.Requests;
            NonZeroRequested -= pod.NonZeroRequests;
        }
        foreach (var port in pod.HostPorts)
        {
            var n = _usedPorts.GetValueOrDefault(port) + sign;
            if (n <= 0) _usedPorts.Remove(port);
            else _usedPorts[port] = n;
        }
        if (pod.HasAffinity) PodsWithAffinity += sign;
        if (pod.RequiredAntiAffinity.Count > 0) PodsWithRequiredAntiAffinity += sign;
        MatchingPodCounts?.OnPod(this, pod, sign);
    }
}

/// <summary>A host port a container asks for (framework.ProtocolPort with its host IP).</summary>
public readonly record struct HostPort(string Ip, string Protocol, int Port)
{
    public const string AnyIp = "0.0.0.0";
}
