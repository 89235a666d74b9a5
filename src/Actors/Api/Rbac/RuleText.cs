using System.Text;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Rbac;

/// <summary>
/// How the escalation message prints rules: CompactRules merges the verbs of rules on one
/// group/resource(/name), CompactString prints <c>{APIGroups:[""], Resources:["pods"], Verbs:["get" "list"]}</c>
/// (Go's %q of a string slice).
/// </summary>
public static class RuleText
{
    public static IReadOnlyList<V1PolicyRule> Compact(IEnumerable<V1PolicyRule> rules)
    {
        var compacted = new List<V1PolicyRule>();
        var simple = new Dictionary<(string, string, string), V1PolicyRule>();
        var order = new List<(string, string, string)>();
        foreach (var rule in rules)
        {
            if (rule is { ApiGroups.Count: 1, Resources.Count: 1 } && rule.NonResourceURLs is not { Count: > 0 } && (rule.ResourceNames?.Count ?? 0) <= 1)
            {
                var key = (rule.ApiGroups[0], rule.Resources[0], rule.ResourceNames?.FirstOrDefault() ?? "");
                if (simple.TryGetValue(key, out var existing))
                {
                    foreach (var verb in rule.Verbs ?? [])
                        if (!existing.Verbs.Contains(verb)) existing.Verbs.Add(verb);
                }
                else
                {
                    simple[key] = new V1PolicyRule
                    {
                        ApiGroups = [.. rule.ApiGroups], Resources = [.. rule.Resources],
                        ResourceNames = rule.ResourceNames is { Count: > 0 } n ? [.. n] : null, Verbs = [.. rule.Verbs ?? []],
                    };
                    order.Add(key);
                }
            }
            else compacted.Add(rule);
        }
        compacted.AddRange(order.Select(k => simple[k]));
        return compacted;
    }

    public static string CompactString(V1PolicyRule rule)
    {
        var parts = new List<string>();
        if (rule.ApiGroups is { Count: > 0 } g) parts.Add("APIGroups:" + Quoted(g));
        if (rule.Resources is { Count: > 0 } r) parts.Add("Resources:" + Quoted(r));
        if (rule.NonResourceURLs is { Count: > 0 } u) parts.Add("NonResourceURLs:" + Quoted(u));
        if (rule.ResourceNames is { Count: > 0 } n) parts.Add("ResourceNames:" + Quoted(n));
        if (rule.Verbs is { Count: > 0 } v) parts.Add("Verbs:" + Quoted(v));
        return "{" + string.Join(", ", parts) + "}";
    }

    /// <summary>Go's %q of a []string: <c>["a" "b"]</c>.</summary>
    public static string Quoted(IEnumerable<string> values) => "[" + string.Join(" ", values.Select(Quote)) + "]";

    private static string Quote(string s)
    {
        var b = new StringBuilder("\"");
        foreach (var c in s)
            b.Append(c switch { '"' => "\\\"", '\\' => "\\\\", '\n' => "\\n", '\t' => "\\t", _ => c.ToString() });
        return b.Append('"').ToString();
    }
}
