using k8s.Models;

namespace Akka.KubeEmu.Actors.Scheduling.Framework;

/// <summary>
/// The scheduler's cache as plugins see it (internal/cache.Snapshot): the nodes with their pods,
/// and the namespaces' labels for namespaceSelectors. It is the live cache, not a copy: the
/// scheduler handles one pod at a time inside its actor, so nothing changes during an attempt.
/// </summary>
public sealed class Snapshot
{
    private readonly Dictionary<string, NodeInfo> _nodes = new(StringComparer.Ordinal);
    private readonly List<NodeInfo> _list = [];

    public Func<string, IDictionary<string, string>?> NamespaceLabels { get; set; } = _ => null;

    /// <summary>Matching pods per node for the selectors PodTopologySpread asks about, kept as pods come and go.</summary>
    public MatchingPodCounts MatchingPodCounts { get; } = new();

    public IReadOnlyList<NodeInfo> Nodes => _list;

    public int Count => _list.Count;

    public NodeInfo? Get(string name) => _nodes.GetValueOrDefault(name);

    public NodeInfo Add(V1Node node)
    {
        var info = new NodeInfo(node) { MatchingPodCounts = MatchingPodCounts };
        _nodes[info.Name] = info;
        _list.Add(info);
        return info;
    }

    public bool Remove(string name)
    {
        if (!_nodes.Remove(name, out var info)) return false;
        _list.Remove(info);
        MatchingPodCounts.OnNodeRemoved(info);
        return true;
    }

    /// <summary>HavePodsWithAffinityList: the nodes worth walking for existing pods' affinity terms.</summary>
    public IEnumerable<NodeInfo> WithPodsWithAffinity => _list.Where(n => n.PodsWithAffinity > 0);

    public IEnumerable<NodeInfo> WithPodsWithRequiredAntiAffinity => _list.Where(n => n.PodsWithRequiredAntiAffinity > 0);
}
