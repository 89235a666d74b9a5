using Akka.KubeEmu.Actors.Scheduling.Framework;

namespace Akka.KubeEmu.Actors.Scheduling.Plugins;

/// <summary>
/// Pod affinity and anti-affinity between the incoming pod and the pods already placed, per
/// topology domain (the value of the term's topologyKey label on the nodes):
/// <list type="bullet">
/// <item>Filter, in kube-scheduler's order: every required affinity term needs a matching pod in the
/// node's domain (unless nothing in the cluster matches and the pod matches its own terms: the
/// first of a group); no required anti-affinity term may find a matching pod there; no existing
/// pod's required anti-affinity may select the pod in the node's domain;</item>
/// <item>Score: preferred terms both ways (and existing pods' required affinity with weight 1),
/// summed per domain, normalised between the lowest and highest node.</item>
/// </list>
/// Counts are made once per attempt (PreFilter / PreScore), walking the pods only when the incoming
/// pod has terms, or only the nodes holding pods that have them.
/// </summary>
public sealed class InterPodAffinity : ICyclePlugin, IFilterPlugin, IScorePlugin
{
    public const string ErrReasonExistingAntiAffinityRulesNotMatch = "node(s) didn't satisfy existing pods anti-affinity rules";
    public const string ErrReasonAffinityRulesNotMatch = "node(s) didn't match pod affinity rules";
    public const string ErrReasonAntiAffinityRulesNotMatch = "node(s) didn't match pod anti-affinity rules";
    private const int HardPodAffinityWeight = 1;

    private readonly Dictionary<(string Key, string Value), int> _existingAntiAffinityCounts = [];
    private readonly Dictionary<(string Key, string Value), int> _affinityCounts = [];
    private readonly Dictionary<(string Key, string Value), int> _antiAffinityCounts = [];
    private readonly Dictionary<(string Key, string Value), long> _topologyScore = [];
    private readonly HashSet<string> _scoredKeys = new(StringComparer.Ordinal);
    private bool _selfMatchesAllAffinity;

    public string Name => "InterPodAffinity";

    public ClusterEvent RequeueOn => ClusterEvent.NodeAdd | ClusterEvent.NodeUpdate | ClusterEvent.PodAdd | ClusterEvent.PodUpdate | ClusterEvent.PodDelete;

    public int Weight => 2;

    public FilterStatus BeginCycle(PodInfo pod, Snapshot snapshot)
    {
        _existingAntiAffinityCounts.Clear();
        _affinityCounts.Clear();
        _antiAffinityCounts.Clear();
        _topologyScore.Clear();
        _scoredKeys.Clear();
        var nsLabels = snapshot.NamespaceLabels;

        foreach (var node in snapshot.WithPodsWithRequiredAntiAffinity)
            foreach (var existing in node.Pods)
                foreach (var term in existing.RequiredAntiAffinity)
                    if (node.Labels.TryGetValue(term.TopologyKey, out var value) && term.Matches(pod, nsLabels))
                        Add(_existingAntiAffinityCounts, (term.TopologyKey, value), 1);

        var hasRequired = pod.RequiredAffinity.Count + pod.RequiredAntiAffinity.Count > 0;
        var hasPreferred = pod.PreferredAffinity.Count + pod.PreferredAntiAffinity.Count > 0;
        _selfMatchesAllAffinity = pod.RequiredAffinity.All(t => t.Matches(pod, nsLabels));
        // The incoming pod's own terms look at every placed pod; the existing pods' terms only at theirs.
        var nodes = hasRequired || hasPreferred ? snapshot.Nodes : snapshot.WithPodsWithAffinity;
        foreach (var node in nodes)
            foreach (var existing in node.Pods)
            {
                if (hasRequired) CountRequired(pod, existing, node, nsLabels);
                ScoreExisting(pod, existing, node, nsLabels);
            }
        return FilterStatus.Success;
    }

    private void CountRequired(PodInfo pod, PodInfo existing, NodeInfo node, Func<string, IDictionary<string, string>?> nsLabels)
    {
        if (pod.RequiredAffinity.Count > 0 && pod.RequiredAffinity.All(t => t.Matches(existing, nsLabels)))
            foreach (var term in pod.RequiredAffinity)
                if (node.Labels.TryGetValue(term.TopologyKey, out var value)) Add(_affinityCounts, (term.TopologyKey, value), 1);
        foreach (var term in pod.RequiredAntiAffinity)
            if (node.Labels.TryGetValue(term.TopologyKey, out var value) && term.Matches(existing, nsLabels))
                Add(_antiAffinityCounts, (term.TopologyKey, value), 1);
    }

    private void ScoreExisting(PodInfo pod, PodInfo existing, NodeInfo node, Func<string, IDictionary<string, string>?> nsLabels)
    {
        foreach (var w in pod.PreferredAffinity) Score(w.Term, existing, node, w.Weight, nsLabels);
        foreach (var w in pod.PreferredAntiAffinity) Score(w.Term, existing, node, -w.Weight, nsLabels);
        if (!existing.HasAffinity) return;
        foreach (var term in existing.RequiredAffinity) Score(term, pod, node, HardPodAffinityWeight, nsLabels);
        foreach (var w in existing.PreferredAffinity) Score(w.Term, pod, node, w.Weight, nsLabels);
        foreach (var w in existing.PreferredAntiAffinity) Score(w.Term, pod, node, -w.Weight, nsLabels);
    }

    // The term (of either pod) selects the other pod: the existing pod's domain gains or loses the weight.
    private void Score(AffinityTerm term, PodInfo target, NodeInfo existingNode, long weight, Func<string, IDictionary<string, string>?> nsLabels)
    {
        if (weight != 0 && existingNode.Labels.TryGetValue(term.TopologyKey, out var value) && term.Matches(target, nsLabels))
        {
            Add(_topologyScore, (term.TopologyKey, value), weight);
            _scoredKeys.Add(term.TopologyKey);
        }
    }

    public FilterStatus Filter(PodInfo pod, NodeInfo node)
    {
        if (pod.RequiredAffinity.Count > 0)
        {
            var podsExist = true;
            foreach (var term in pod.RequiredAffinity)
            {
                if (!node.Labels.TryGetValue(term.TopologyKey, out var value)) return FilterStatus.Unresolvable(ErrReasonAffinityRulesNotMatch);
                if (_affinityCounts.GetValueOrDefault((term.TopologyKey, value)) <= 0) podsExist = false;
            }
            if (!podsExist && !(_affinityCounts.Count == 0 && _selfMatchesAllAffinity))
                return FilterStatus.Unresolvable(ErrReasonAffinityRulesNotMatch);
        }

        foreach (var term in pod.RequiredAntiAffinity)
            if (node.Labels.TryGetValue(term.TopologyKey, out var value) && _antiAffinityCounts.GetValueOrDefault((term.TopologyKey, value)) > 0)
                return FilterStatus.Unschedulable(ErrReasonAntiAffinityRulesNotMatch);

        if (_existingAntiAffinityCounts.Count > 0)
            foreach (var (key, value) in node.Labels)
                if (_existingAntiAffinityCounts.GetValueOrDefault((key, value)) > 0)
                    return FilterStatus.Unschedulable(ErrReasonExistingAntiAffinityRulesNotMatch);
        return FilterStatus.Success;
    }

    public long Score(PodInfo pod, NodeInfo node)
    {
        if (_topologyScore.Count == 0) return 0;
        long score = 0;
        foreach (var key in _scoredKeys)
            if (node.Labels.TryGetValue(key, out var value)) score += _topologyScore.GetValueOrDefault((key, value));
        return score;
    }

    /// <summary>Scaled between the lowest and the highest node: the lowest gets 0, the highest 100.</summary>
    public void Normalize(PodInfo pod, long[] scores)
    {
        if (scores.Length == 0) return;
        var min = scores.Min();
        var max = scores.Max();
        for (var i = 0; i < scores.Length; i++)
            scores[i] = max - min > 0 ? ScoreNormalizer.MaxNodeScore * (scores[i] - min) / (max - min) : 0;
    }

    private static void Add<T>(Dictionary<(string, string), T> map, (string, string) pair, T n) where T : System.Numerics.INumber<T> =>
        map[pair] = map.GetValueOrDefault(pair, T.Zero) + n;
}
