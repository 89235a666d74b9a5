using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Selectors;

namespace Akka.KubeEmu.Actors.Scheduling;

/// <summary>
/// How many pods of a namespace that a label selector matches are on each node, not counting pods
/// being deleted, kept up to date by the scheduler's cache as pods are added, bound, changed and
/// removed. kube-scheduler's PodTopologySpread recounts every node's pods for each incoming pod
/// (PreFilter, in 16 goroutines); here a selector is counted over the cluster once, when a pod first
/// asks for it, then follows the changes, so a scheduling cycle reads one number per node.
/// Per pod change the work is one selector match per selector tracked in the pod's namespace; the
/// selectors tracked are bounded: the least recently asked for is dropped.
/// </summary>
public sealed class MatchingPodCounts(int maxTracked = 64)
{
    private readonly Dictionary<Key, Counts> _tracked = [];
    private readonly Dictionary<string, List<Counts>> _byNamespace = new(StringComparer.Ordinal);
    private long _uses;

    public int Tracked => _tracked.Count;

    /// <summary>The counts for the selector in the namespace, counted over these nodes when first asked for.</summary>
    public Counts For(string ns, LabelSelector selector, IReadOnlyList<NodeInfo> nodes) =>
        Get(new Key(ns, Controller: false, selector.ToString()), pod => selector.Matches(pod.Labels), nodes);

    /// <summary>
    /// The counts of the pods of one controller (by its uid) in the namespace: the system default
    /// spreading's set, which kube-scheduler selects by the selectors of the controllers and Services
    /// that select the pod.
    /// </summary>
    public Counts ForController(string ns, string controllerUid, IReadOnlyList<NodeInfo> nodes) =>
        Get(new Key(ns, Controller: true, controllerUid), pod => KubeModels.ControllerOf(pod.Pod)?.Uid == controllerUid, nodes);

    private Counts Get(Key key, Func<PodInfo, bool> matches, IReadOnlyList<NodeInfo> nodes)
    {
        if (!_tracked.TryGetValue(key, out var counts))
        {
            if (_tracked.Count >= maxTracked) Drop(_tracked.Values.MinBy(c => c.LastUse)!);
            counts = new Counts(key, matches);
            Track(counts, nodes);
        }
        counts.LastUse = ++_uses;
        return counts;
    }

    /// <summary>A pod put on (sign +1) or taken off (-1) a node of the cache.</summary>
    public void OnPod(NodeInfo node, PodInfo pod, int sign)
    {
        if (!_byNamespace.TryGetValue(pod.Namespace, out var list)) return;
        foreach (var counts in list)
            if (Counted(pod, pod.Namespace, counts.Matches)) counts.Add(node, sign);
    }

    /// <summary>A node left the cache: its pods no longer count anywhere.</summary>
    public void OnNodeRemoved(NodeInfo node)
    {
        foreach (var counts in _tracked.Values) counts.Remove(node);
    }

    // Counted over the cluster once, then kept up to date by OnPod.
    private void Track(Counts counts, IReadOnlyList<NodeInfo> nodes)
    {
        var ns = counts.Key.Namespace;
        foreach (var node in nodes)
            foreach (var pod in node.Pods)
                if (Counted(pod, ns, counts.Matches)) counts.Add(node, 1);
        _tracked[counts.Key] = counts;
        if (!_byNamespace.TryGetValue(ns, out var list)) _byNamespace[ns] = list = [];
        list.Add(counts);
    }

    private static bool Counted(PodInfo pod, string ns, Func<PodInfo, bool> matches) =>
        pod.Pod.Metadata.DeletionTimestamp is null && pod.Namespace == ns && matches(pod);

    private void Drop(Counts counts)
    {
        _tracked.Remove(counts.Key);
        if (_byNamespace.TryGetValue(counts.Key.Namespace, out var list) && list.Remove(counts) && list.Count == 0)
            _byNamespace.Remove(counts.Key.Namespace);
    }

    /// <summary>What is counted: a selector's pods (its string form) or a controller's (its uid), kept apart so neither can pass for the other.</summary>
    internal readonly record struct Key(string Namespace, bool Controller, string Value);

    /// <summary>One selector's matching pods per node (nodes without any are absent).</summary>
    public sealed class Counts
    {
        private readonly Dictionary<NodeInfo, int> _perNode = new(ReferenceEqualityComparer.Instance);

        internal Counts(Key key, Func<PodInfo, bool> matches)
        {
            Key = key;
            Matches = matches;
        }

        internal Key Key { get; }
        internal Func<PodInfo, bool> Matches { get; }
        internal long LastUse { get; set; }

        public int On(NodeInfo node) => _perNode.Count > 0 && _perNode.TryGetValue(node, out var n) ? n : 0;

        /// <summary>The nodes holding at least one counted pod, with their counts.</summary>
        public IEnumerable<KeyValuePair<NodeInfo, int>> PerNode => _perNode;

        internal void Add(NodeInfo node, int sign)
        {
            var n = _perNode.GetValueOrDefault(node) + sign;
            if (n <= 0) _perNode.Remove(node);
            else _perNode[node] = n;
        }

        internal void Remove(NodeInfo node) => _perNode.Remove(node);
    }
}
