using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Selectors;

/// <summary>metav1.LabelSelectorAsSelector and friends, for the typed models.</summary>
public static class LabelSelectors
{
    /// <summary>
    /// The selector a V1LabelSelector means: null selects nothing (LabelSelectorAsSelector's
    /// labels.Nothing()), {} everything. Requirements sorted by key, as the Go selector prints them.
    /// </summary>
    /// <returns>null for "nothing".</returns>
    public static LabelSelector? FromModel(V1LabelSelector? selector)
    {
        if (selector is null) return null;
        var parsed = LabelSelector.FromMatch(selector.MatchLabels as IReadOnlyDictionary<string, string>
                                              ?? selector.MatchLabels?.ToDictionary(p => p.Key, p => p.Value),
            selector.MatchExpressions?.Select(e => (e.Key, e.OperatorProperty, (IReadOnlyList<string>)(e.Values?.Order(StringComparer.Ordinal).ToArray() ?? []))));
        return new LabelSelector(parsed.Requirements.OrderBy(r => r.Key, StringComparer.Ordinal).ToArray());
    }

    /// <summary>A ReplicationController's equality selector (labels.SelectorFromSet); empty selects everything.</summary>
    public static LabelSelector FromSet(IDictionary<string, string>? set) =>
        new(set?.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => new LabelSelector.Requirement(p.Key, LabelSelector.Operator.Equals, [p.Value])).ToArray() ?? []);

    public static bool Matches(this LabelSelector? selector, IDictionary<string, string>? labels) =>
        selector is not null && selector.Matches(labels as IReadOnlyDictionary<string, string>
                                                 ?? labels?.ToDictionary(p => p.Key, p => p.Value)
                                                 ?? new Dictionary<string, string>());
}
