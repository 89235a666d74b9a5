namespace Akka.KubeEmu.Actors.Scheduling;

/// <summary>
/// The pods a preemption nominated to a node (status.nominatedNodeName), so that filters of other
/// pods count them there while their victims terminate (framework.PodNominator).
/// </summary>
public sealed class Nominator
{
    private readonly Dictionary<string, List<PodInfo>> _byNode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _nodeOf = new(StringComparer.Ordinal);
    // Nominations the pod's status already shows; the others are ours, still being written.
    private readonly HashSet<string> _confirmed = new(StringComparer.Ordinal);

    public IReadOnlyList<PodInfo>? On(string node) => _byNode.Count == 0 ? null : _byNode.GetValueOrDefault(node);

    /// <summary>A pending pod as the informer shows it: its nomination, if any, follows its status.</summary>
    public void Update(PodInfo pod)
    {
        if (pod.Pod.Status?.NominatedNodeName is { Length: > 0 } node)
        {
            Nominate(pod, node);
            _confirmed.Add(pod.Key);
        }
        else if (_nodeOf.TryGetValue(pod.Key, out var current))
        {
            // Shown once and gone now: cleared. Never shown: our write has not landed yet, keep it.
            if (_confirmed.Contains(pod.Key)) Remove(pod.Key);
            else Nominate(pod, current);
        }
    }

    public void Nominate(PodInfo pod, string node)
    {
        Remove(pod.Key);
        _confirmed.Remove(pod.Key);
        _nodeOf[pod.Key] = node;
        if (!_byNode.TryGetValue(node, out var list)) _byNode[node] = list = [];
        list.Add(pod);
    }

    public void Remove(string key)
    {
        _confirmed.Remove(key);
        if (!_nodeOf.Remove(key, out var node)) return;
        var list = _byNode[node];
        list.RemoveAll(p => p.Key == key);
        if (list.Count == 0) _byNode.Remove(node);
    }
}
