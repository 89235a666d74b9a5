using Akka.KubeEmu.Actors.Api.Selectors;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Scheduling;

/// <summary>
/// framework.AffinityTerm: a pod affinity term with its selector parsed once. The namespaces it
/// looks in are the listed ones plus those its namespaceSelector picks; with neither, the pod's own.
/// A missing labelSelector selects no pod.
/// </summary>
public sealed class AffinityTerm
{
    private AffinityTerm(V1PodAffinityTerm term, string podNamespace)
    {
        TopologyKey = term.TopologyKey ?? "";
        Selector = LabelSelectors.FromModel(term.LabelSelector);
        Namespaces = new HashSet<string>(term.Namespaces ?? [], StringComparer.Ordinal);
        NamespaceSelector = LabelSelectors.FromModel(term.NamespaceSelector);
        if (Namespaces.Count == 0 && term.NamespaceSelector is null) Namespaces.Add(podNamespace);
        AllNamespaces = term.NamespaceSelector is { MatchLabels: null or { Count: 0 }, MatchExpressions: null or { Count: 0 } };
    }

    public string TopologyKey { get; }
    public LabelSelector? Selector { get; }
    public HashSet<string> Namespaces { get; }
    public LabelSelector? NamespaceSelector { get; }
    public bool AllNamespaces { get; }

    /// <summary>AffinityTerm.Matches: the pod is in one of the term's namespaces and its labels match.</summary>
    public bool Matches(PodInfo pod, Func<string, IDictionary<string, string>?> namespaceLabels)
    {
        if (!AllNamespaces && !Namespaces.Contains(pod.Namespace)
            && !(NamespaceSelector is { Requirements.Count: > 0 } selector && selector.Matches(namespaceLabels(pod.Namespace))))
            return false;
        return Selector.Matches(pod.Labels);
    }

    public static IReadOnlyList<AffinityTerm>? Parse(IList<V1PodAffinityTerm>? terms, string ns) =>
        terms is not { Count: > 0 } ? null : terms.Select(t => new AffinityTerm(t, ns)).ToArray();

    internal static AffinityTerm Of(V1PodAffinityTerm term, string ns) => new(term, ns);
}

/// <summary>framework.WeightedAffinityTerm: a preferred term and its weight (1..100).</summary>
public sealed record WeightedAffinityTerm(AffinityTerm Term, int Weight)
{
    public static IReadOnlyList<WeightedAffinityTerm>? Parse(IList<V1WeightedPodAffinityTerm>? terms, string ns) =>
        terms is not { Count: > 0 } ? null
            : terms.Where(t => t.PodAffinityTerm is not null).Select(t => new WeightedAffinityTerm(AffinityTerm.Of(t.PodAffinityTerm, ns), t.Weight)).ToArray();
}
