using System.Runtime.InteropServices;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Selectors;
using Akka.KubeEmu.Actors.Scheduling.Framework;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Scheduling.Plugins;

/// <summary>
/// topologySpreadConstraints: pods matching a constraint's selector (in the pod's namespace, not
/// terminating) are counted per domain over the nodes the constraint considers
/// (nodeAffinityPolicy Honor: nodes matching the pod's node selector and required affinity;
/// nodeTaintsPolicy Honor: nodes whose taints it tolerates; only nodes that carry every topology key).
/// <list type="bullet">
/// <item>Filter (DoNotSchedule): placing the pod in the node's domain may not make
/// count + self - global minimum exceed maxSkew; with fewer domains than minDomains the minimum is 0;</item>
/// <item>Score (ScheduleAnyway, or the default constraints for a pod without any: hostname maxSkew 3
/// and zone maxSkew 5 over the pods of the same controller): fewer matching pods in the domain is better.</item>
/// </list>
/// </summary>
public sealed class PodTopologySpread(bool systemDefaults = false) : ICyclePlugin, IFilterPlugin, IScorePlugin
{
    public const string ErrReasonConstraintsNotMatch = "node(s) didn't match pod topology spread constraints";
    public const string ErrReasonNodeLabelNotMatch = ErrReasonConstraintsNotMatch + " (missing required label)";
    public const string HostnameKey = "kubernetes.io/hostname";
    public const string ZoneKey = "topology.kubernetes.io/zone";

    // Per filter constraint (TpValueToMatchNum): matching pods per domain, the global minimum, whether the pod matches itself.
    private readonly List<Dictionary<string, int>> _domainCounts = [];
    private readonly List<Constraint> _filterConstraints = [];
    private readonly List<int> _minMatch = [];
    private readonly List<int> _selfMatch = [];
    private readonly List<Constraint> _scoreConstraints = [];
    private readonly Dictionary<(string Key, string Value), int> _scoreCounts = [];
    private readonly List<double> _weights = [];
    private readonly HashSet<string> _ignored = new(StringComparer.Ordinal);
    private readonly List<HashSet<string>> _domains = [];
    private bool _defaultConstraints;

    public string Name => "PodTopologySpread";

    public ClusterEvent RequeueOn => ClusterEvent.NodeAdd | ClusterEvent.NodeUpdate | ClusterEvent.PodAdd | ClusterEvent.PodUpdate | ClusterEvent.PodDelete;

    public int Weight => 2;

    /// <summary>A constraint with its selector resolved (matchLabelKeys merged in) and an optional way to count pods directly.</summary>
    private sealed record Constraint(int MaxSkew, string TopologyKey, LabelSelector? Selector, int MinDomains,
        bool HonorNodeAffinity, bool HonorTaints, MatchingPodCounts.Counts? ControllerPods = null);

    public FilterStatus BeginCycle(PodInfo pod, Snapshot snapshot)
    {
        _filterConstraints.Clear();
        _minMatch.Clear();
        _selfMatch.Clear();
        _filterConstraints.AddRange(Constraints(pod, "DoNotSchedule"));
        if (_filterConstraints.Count == 0) return FilterStatus.Success;

        while (_domainCounts.Count < _filterConstraints.Count) _domainCounts.Add(new Dictionary<string, int>(StringComparer.Ordinal));
        var counts = new MatchingPodCounts.Counts?[_filterConstraints.Count];
        for (var i = 0; i < _filterConstraints.Count; i++)
        {
            _domainCounts[i].Clear();
            counts[i] = Counts(_filterConstraints[i], pod, snapshot);
        }
        var policies = new NodePolicies(pod);
        var values = new string?[_filterConstraints.Count];
        foreach (var node in snapshot.Nodes)
        {
            // One label lookup per constraint and node: this loop is most of a spread pod's cycle.
            if (!TopologyValues(node, _filterConstraints, values)) continue;
            for (var i = 0; i < _filterConstraints.Count; i++)
            {
                var c = _filterConstraints[i];
                if (!policies.Considers(c, node)) continue;
                var value = values[i]!;
                // One hash of the value per node: the domain is created (at 0) and counted at once.
                ref var matching = ref CollectionsMarshal.GetValueRefOrAddDefault(_domainCounts[i], value, out _);
                matching += counts[i]?.On(node) ?? 0;
            }
        }
        for (var i = 0; i < _filterConstraints.Count; i++)
        {
            var c = _filterConstraints[i];
            var domain = _domainCounts[i];
            var min = 0;
            if (domain.Count >= c.MinDomains && domain.Count > 0)
            {
                min = int.MaxValue;
                foreach (var n in domain.Values) min = Math.Min(min, n);
            }
            _minMatch.Add(min);
            _selfMatch.Add(c.Selector.Matches(pod.Labels) ? 1 : 0);
        }
        return FilterStatus.Success;
    }

    public FilterStatus Filter(PodInfo pod, NodeInfo node)
    {
        if (_filterConstraints.Count == 0) return FilterStatus.Success;
        if (!HasAllKeys(node, _filterConstraints)) return FilterStatus.Unresolvable(ErrReasonNodeLabelNotMatch);
        for (var i = 0; i < _filterConstraints.Count; i++)
        {
            var c = _filterConstraints[i];
            var matchNum = _domainCounts[i].GetValueOrDefault(node.Labels[c.TopologyKey]);
            if (matchNum + _selfMatch[i] - _minMatch[i] > c.MaxSkew) return FilterStatus.Unschedulable(ErrReasonConstraintsNotMatch);
        }
        return FilterStatus.Success;
    }

    // The cache's counts of the constraint's selector in the pod's namespace; none for a selector that selects nothing.
    private static MatchingPodCounts.Counts? Counts(Constraint c, PodInfo pod, Snapshot snapshot) =>
        c.Selector is null ? null : snapshot.MatchingPodCounts.For(pod.Namespace, c.Selector, snapshot.Nodes);

    public void PreScore(PodInfo pod, IReadOnlyList<NodeInfo> feasible, Snapshot snapshot)
    {
        _scoreConstraints.Clear();
        _scoreCounts.Clear();
        _weights.Clear();
        _ignored.Clear();
        var explicitConstraints = pod.Pod.Spec?.TopologySpreadConstraints is { Count: > 0 };
        _defaultConstraints = !explicitConstraints;
        _scoreConstraints.AddRange(explicitConstraints ? Constraints(pod, "ScheduleAnyway") : DefaultConstraints(pod, snapshot));
        if (_scoreConstraints.Count == 0) return;

        while (_domains.Count < _scoreConstraints.Count) _domains.Add(new HashSet<string>(StringComparer.Ordinal));
        var domains = _domains;
        for (var i = 0; i < _scoreConstraints.Count; i++) domains[i].Clear();
        foreach (var node in feasible)
        {
            // Explicit constraints need every key on the node; the default ones skip only what is missing.
            if (explicitConstraints && !HasAllKeys(node, _scoreConstraints))
            {
                _ignored.Add(node.Name);
                continue;
            }
            for (var i = 0; i < _scoreConstraints.Count; i++)
            {
                var key = _scoreConstraints[i].TopologyKey;
                // A default hostname domain is only counted, and its size is the nodes' (below): no set of every hostname per pod.
                if (!explicitConstraints && key == HostnameKey) continue;
                if (node.Labels.TryGetValue(key, out var v)) domains[i].Add(v);
            }
        }
        if (!explicitConstraints)
        {
            CountSiblings(pod, domains);
            // initPreScoreState: the hostname domains are the filtered nodes less the ignored ones (none here).
            for (var i = 0; i < _scoreConstraints.Count; i++)
                _weights.Add(Math.Log((_scoreConstraints[i].TopologyKey == HostnameKey ? feasible.Count : domains[i].Count) + 2));
            return;
        }
        // Hostname domains are the feasible nodes themselves; other domains count pods on every node in them.
        var counts = _scoreConstraints.Select(c => Counts(c, pod, snapshot)).ToArray();
        var policies = new NodePolicies(pod);
        foreach (var node in _scoreConstraints.Any(c => c.TopologyKey != HostnameKey) ? snapshot.Nodes : feasible)
        {
            for (var i = 0; i < _scoreConstraints.Count; i++)
            {
                var c = _scoreConstraints[i];
                if (!node.Labels.TryGetValue(c.TopologyKey, out var value) || !domains[i].Contains(value) || !policies.Considers(c, node)) continue;
                var pair = (c.TopologyKey, value);
                _scoreCounts[pair] = _scoreCounts.GetValueOrDefault(pair) + (counts[i]?.On(node) ?? 0);
            }
        }
        // topologyNormalizingWeight: constraints over fewer domains weigh less.
        for (var i = 0; i < _scoreConstraints.Count; i++) _weights.Add(Math.Log(domains[i].Count + 2));
    }

    // The default constraints count the controller's pods per node from the cache's counts: one lookup
    // per node holding any of them (a walk over every sibling for every pod made a 10,000-replica
    // ReplicaSet quadratic: 29 pods/s). The hostname domain of a scored node is that node, which
    // passed the node-affinity filter: Score reads its count directly, so only wider domains (zones)
    // are summed here, and only when the feasible nodes have any.
    private void CountSiblings(PodInfo pod, List<HashSet<string>> domains)
    {
        var wider = false;
        for (var i = 0; i < _scoreConstraints.Count; i++)
            wider |= _scoreConstraints[i].TopologyKey != HostnameKey && domains[i].Count > 0;
        if (!wider) return;
        var constrained = NodeAffinity.Constrains(pod.Pod.Spec);
        foreach (var (node, n) in _scoreConstraints[0].ControllerPods?.PerNode ?? [])
        {
            if (constrained && !NodeAffinity.Matches(pod.Pod.Spec, node.Node)) continue;
            for (var i = 0; i < _scoreConstraints.Count; i++)
            {
                var key = _scoreConstraints[i].TopologyKey;
                if (key == HostnameKey || !node.Labels.TryGetValue(key, out var value) || !domains[i].Contains(value)) continue;
                _scoreCounts[(key, value)] = _scoreCounts.GetValueOrDefault((key, value)) + n;
            }
        }
    }

    public long Score(PodInfo pod, NodeInfo node)
    {
        if (_scoreConstraints.Count == 0) return 0;
        if (_ignored.Contains(node.Name)) return InvalidScore;
        double score = 0;
        for (var i = 0; i < _scoreConstraints.Count; i++)
        {
            var c = _scoreConstraints[i];
            if (!node.Labels.TryGetValue(c.TopologyKey, out var value)) continue;
            var count = _defaultConstraints && c.TopologyKey == HostnameKey
                ? c.ControllerPods?.On(node) ?? 0
                : _scoreCounts.GetValueOrDefault((c.TopologyKey, value));
            score += count * _weights[i] + (c.MaxSkew - 1);
        }
        return (long)Math.Round(score);
    }

    private const long InvalidScore = -1;

    /// <summary>Fewer is better: MaxNodeScore * (max + min - s) / max over the nodes not ignored; ignored nodes get 0.</summary>
    public void Normalize(PodInfo pod, long[] scores)
    {
        if (_scoreConstraints.Count == 0) return;
        long min = long.MaxValue, max = 0;
        foreach (var s in scores)
        {
            if (s == InvalidScore) continue;
            min = Math.Min(min, s);
            max = Math.Max(max, s);
        }
        for (var i = 0; i < scores.Length; i++)
            scores[i] = scores[i] == InvalidScore ? 0
                : max == 0 ? ScoreNormalizer.MaxNodeScore
                : ScoreNormalizer.MaxNodeScore * (max + min - scores[i]) / max;
    }

    private IEnumerable<Constraint> Constraints(PodInfo pod, string whenUnsatisfiable)
    {
        foreach (var c in pod.Pod.Spec?.TopologySpreadConstraints ?? [])
        {
            if (c.WhenUnsatisfiable != whenUnsatisfiable) continue;
            var selector = LabelSelectors.FromModel(c.LabelSelector);
            // matchLabelKeys: the pod's own values of those labels narrow the selector.
            if (selector is not null && c.MatchLabelKeys is { Count: > 0 } keys)
                selector = new LabelSelector(selector.Requirements.Concat(keys
                    .Where(k => pod.Labels.ContainsKey(k))
                    .Select(k => new LabelSelector.Requirement(k, LabelSelector.Operator.In, [pod.Labels[k]]))).ToArray());
            yield return new Constraint(c.MaxSkew, c.TopologyKey, selector,
                whenUnsatisfiable == "DoNotSchedule" ? c.MinDomains ?? 1 : 1,
                c.NodeAffinityPolicy is null or "Honor", c.NodeTaintsPolicy == "Honor", null);
        }
    }

    /// <summary>
    /// The system default constraints (hostname maxSkew 3, zone maxSkew 5, ScheduleAnyway) over the
    /// pods of the same controller: kube-scheduler selects them by the selectors of the Services,
    /// ReplicaSets and StatefulSets that select the pod; the controller's pods are that set here.
    /// </summary>
    private IEnumerable<Constraint> DefaultConstraints(PodInfo pod, Snapshot snapshot)
    {
        if (!systemDefaults || KubeModels.ControllerOf(pod.Pod) is not { Kind: "ReplicaSet" or "StatefulSet" or "ReplicationController", Uid: { Length: > 0 } uid })
            yield break;
        // The pod being scheduled is on no node of the cache, so it is not among the counted pods.
        var pods = snapshot.MatchingPodCounts.ForController(pod.Namespace, uid, snapshot.Nodes);
        yield return new Constraint(3, HostnameKey, LabelSelector.Everything, 1, true, false, pods);
        yield return new Constraint(5, ZoneKey, LabelSelector.Everything, 1, true, false, pods);
    }

    // HasAllKeys, keeping the values: false when the node lacks one of the keys.
    private static bool TopologyValues(NodeInfo node, List<Constraint> constraints, string?[] values)
    {
        var labels = node.Labels;
        for (var i = 0; i < constraints.Count; i++)
            if (!labels.TryGetValue(constraints[i].TopologyKey, out values[i])) return false;
        return true;
    }

    private static bool HasAllKeys(NodeInfo node, List<Constraint> constraints)
    {
        foreach (var c in constraints)
            if (!node.Labels.ContainsKey(c.TopologyKey)) return false;
        return true;
    }

    /// <summary>
    /// Whether a node counts for a constraint under its nodeAffinityPolicy and nodeTaintsPolicy;
    /// a pod without a node selector or required affinity matches every node, which is the common case.
    /// </summary>
    private readonly struct NodePolicies(PodInfo pod)
    {
        private readonly bool _hasNodeAffinity = pod.Pod.Spec?.NodeSelector is { Count: > 0 }
                                                 || pod.Pod.Spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution is not null;

        public bool Considers(Constraint c, NodeInfo node)
        {
            if (c.HonorNodeAffinity && _hasNodeAffinity && !NodeAffinity.Matches(pod.Pod.Spec, node.Node)) return false;
            if (c.HonorTaints && node.Node.Spec?.Taints is { Count: > 0 } taints)
                foreach (var taint in taints)
                    if (taint.Effect is "NoSchedule" or "NoExecute" && !Tolerated(taint)) return false;
            return true;
        }

        private bool Tolerated(V1Taint taint)
        {
            if (pod.Pod.Spec?.Tolerations is not { } tolerations) return false;
            foreach (var t in tolerations)
                if (TaintToleration.Tolerates(t, taint.Key, taint.Value, taint.Effect)) return true;
            return false;
        }
    }
}
