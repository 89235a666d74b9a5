namespace Akka.KubeEmu.Actors.Scheduling;

/// <summary>
/// The pods a preemption nominated to a node (status.nominatedNodeName), so that filters of other
/// pods count them there while their victims terminate (framework.PodNominator).
/// </summary>
public sealed class Nominator
{
    private readonly Dictionary<string, List<PodInfo>> _byNode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _nodeOf = new(StringComparer.Ordinal);

    public IReadOnlyList<PodInfo>? On(string node) => _byNode.GetValueOrDefault(node);

    /// <summary>A pending pod as the informer shows it: its nomination, if any, follows its status.</summary>
    public void Update(PodInfo pod)
    {
        if (pod.Pod.Status?.NominatedNodeName is { Length: > 0 } node) Nominate(pod, node);
        else if (_nodeOf.TryGetValue(pod.Key, out var current)) Nominate(pod, current); // keep it, with the pod's newest view
    }

    public void Nominate(PodInfo pod, string node)
    {
        Remove(pod.Key);
        _nodeOf[pod.Key] = node;
        if (!_byNode.TryGetValue(node, out var list)) _byNode[node] = list = [];
        list.Add(pod);
    }

    public void Remove(string key)
    {
        if (!_nodeOf.Remove(key, out var node)) return;
        var list = _byNode[node];
        list.RemoveAll(p => p.Key == key);
        if (list.Count == 0) _byNode.Remove(node);
    }
}
