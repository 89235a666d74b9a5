using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Rbac;

/// <summary>
/// Whether one set of rules covers another (component-helpers auth/rbac/validation Covers): the
/// servant rules are broken down to one verb on one group/resource/name (or one URL), and each
/// piece must be covered by some owner rule. What is not covered is what an escalation lacks.
/// </summary>
public static class PolicyComparator
{
    public static (bool Covered, IReadOnlyList<V1PolicyRule> Missing) Covers(IReadOnlyList<V1PolicyRule> owner, IEnumerable<V1PolicyRule> servant)
    {
        var missing = servant.SelectMany(Breakdown).Where(sub => !owner.Any(o => RuleCovers(o, sub))).ToList();
        return (missing.Count == 0, missing);
    }

    public static IEnumerable<V1PolicyRule> Breakdown(V1PolicyRule rule)
    {
        foreach (var group in rule.ApiGroups ?? [])
        foreach (var resource in rule.Resources ?? [])
        foreach (var verb in rule.Verbs ?? [])
        {
            if (rule.ResourceNames is { Count: > 0 } names)
                foreach (var name in names)
                    yield return new V1PolicyRule { ApiGroups = [group], Resources = [resource], Verbs = [verb], ResourceNames = [name] };
            else
                yield return new V1PolicyRule { ApiGroups = [group], Resources = [resource], Verbs = [verb] };
        }
        foreach (var url in rule.NonResourceURLs ?? [])
        foreach (var verb in rule.Verbs ?? [])
            yield return new V1PolicyRule { NonResourceURLs = [url], Verbs = [verb] };
    }

    private static bool RuleCovers(V1PolicyRule owner, V1PolicyRule sub)
    {
        var verbs = Has(owner.Verbs, RuleMatching.All) || HasAll(owner.Verbs, sub.Verbs);
        var groups = Has(owner.ApiGroups, RuleMatching.All) || HasAll(owner.ApiGroups, sub.ApiGroups);
        var resources = ResourcesCoverAll(owner.Resources, sub.Resources);
        var urls = (sub.NonResourceURLs ?? []).All(path => (owner.NonResourceURLs ?? []).Any(o => UrlCovers(o, path)));
        var names = sub.ResourceNames is not { Count: > 0 }
            ? owner.ResourceNames is not { Count: > 0 }
            : owner.ResourceNames is not { Count: > 0 } || HasAll(owner.ResourceNames, sub.ResourceNames);
        return verbs && groups && resources && names && urls;
    }

    private static bool ResourcesCoverAll(IList<string>? owner, IList<string>? covers)
    {
        if (Has(owner, RuleMatching.All) || HasAll(owner, covers)) return true;
        foreach (var path in covers ?? [])
        {
            if (Has(owner, path)) continue;
            var slash = path.IndexOf('/');
            if (slash < 0 || !Has(owner, "*/" + path[(slash + 1)..])) return false;
        }
        return true;
    }

    private static bool UrlCovers(string owner, string sub) =>
        owner == sub || (owner.EndsWith('*') && sub.StartsWith(owner.TrimEnd('*'), StringComparison.Ordinal));

    private static bool Has(IList<string>? set, string value) => set?.Contains(value) == true;

    private static bool HasAll(IList<string>? set, IList<string>? values) => (values ?? []).All(v => Has(set, v));
}
