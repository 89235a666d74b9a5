using System.Globalization;
using Akka.KubeEmu.Actors.Scheduling.Framework;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Scheduling.Plugins;

/// <summary>
/// spec.nodeSelector and required node affinity filter; preferred node affinity scores the sum of
/// the weights of the terms a node matches, normalised to 0..100 over the feasible nodes.
/// </summary>
public sealed class NodeAffinity : IFilterPlugin, IScorePlugin
{
    public const string ErrReasonPod = "node(s) didn't match Pod's node affinity/selector";

    public string Name => "NodeAffinity";

    public ClusterEvent RequeueOn => ClusterEvent.NodeAdd | ClusterEvent.NodeUpdate;

    public FilterStatus Filter(PodInfo pod, NodeInfo node) =>
        Matches(pod.Pod.Spec, node.Node) ? FilterStatus.Success : FilterStatus.Unresolvable(ErrReasonPod);

    public int Weight => 2;

    public long Score(PodInfo pod, NodeInfo node)
    {
        // Run for every node checked: nothing allocated for the pods (most) without preferences.
        if (pod.Pod.Spec?.Affinity?.NodeAffinity?.PreferredDuringSchedulingIgnoredDuringExecution is not { Count: > 0 } terms) return 0;
        long score = 0;
        foreach (var term in terms)
            if (term.Weight != 0 && term.Preference is { } preference && Matches(preference, node.Node, node.Labels))
                score += term.Weight;
        return score;
    }

    public void Normalize(PodInfo pod, long[] scores) => ScoreNormalizer.Default(scores, reverse: false);

    /// <summary>Whether the pod restricts its nodes at all (a nodeSelector or a required node affinity): if not, every node matches.</summary>
    public static bool Constrains(V1PodSpec? spec) =>
        spec is not null && (spec.NodeSelector is { Count: > 0 } || spec.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution is not null);

    /// <summary>
    /// GetRequiredNodeAffinity(pod).Match(node): the node selector and the required node affinity
    /// terms (matchExpressions on labels, matchFields on metadata.name). The DaemonSet controller asks
    /// the same question of every node.
    /// </summary>
    public static bool Matches(V1PodSpec? spec, V1Node node)
    {
        // Loops without allocation: spreading asks this of every node for every pod.
        var labels = node.Metadata?.Labels ?? EmptyLabels;
        if (spec?.NodeSelector is { Count: > 0 } selector)
            foreach (var (k, v) in selector)
                if (!labels.TryGetValue(k, out var actual) || actual != v) return false;

        var required = spec?.Affinity?.NodeAffinity?.RequiredDuringSchedulingIgnoredDuringExecution;
        if (required?.NodeSelectorTerms is not { Count: > 0 } terms) return true;
        foreach (var term in terms)
            if (Matches(term, node, labels)) return true;
        return false;
    }

    private static readonly Dictionary<string, string> EmptyLabels = [];

    // Terms are ORed; the expressions inside a term are ANDed; an empty term matches nothing.
    private static bool Matches(V1NodeSelectorTerm term, V1Node node, IDictionary<string, string> labels)
    {
        var expressions = term.MatchExpressions;
        var fields = term.MatchFields;
        if ((expressions?.Count ?? 0) == 0 && (fields?.Count ?? 0) == 0) return false;
        foreach (var e in expressions ?? [])
            if (!Matches(e, labels.TryGetValue(e.Key, out var v) ? v : null)) return false;
        foreach (var f in fields ?? [])
            if (f.Key != "metadata.name" || !Matches(f, node.Metadata?.Name)) return false;
        return true;
    }

    private static bool Matches(V1NodeSelectorRequirement r, string? value) => r.OperatorProperty switch
    {
        "In" => value is not null && (r.Values?.Contains(value) ?? false),
        "NotIn" => value is null || !(r.Values?.Contains(value) ?? false),
        "Exists" => value is not null,
        "DoesNotExist" => value is null,
        "Gt" => Compare(value, r) > 0,
        "Lt" => Compare(value, r) < 0,
        _ => false,
    };

    private static int Compare(string? value, V1NodeSelectorRequirement r) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
        && r.Values is [var single] && long.TryParse(single, NumberStyles.Integer, CultureInfo.InvariantCulture, out var limit)
            ? v.CompareTo(limit)
            : 0;
}
