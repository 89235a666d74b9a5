using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Rbac;

/// <summary>
/// Whether one PolicyRule allows a request, as the RBAC authorizer's RuleAllows decides it:
/// "*" matches any verb, group, resource or URL; "*/status" matches the status subresource of any
/// resource; a trailing "*" in a non-resource URL matches a prefix; empty resourceNames match every name.
/// </summary>
public static class RuleMatching
{
    public const string All = "*";

    public static bool Allows(V1PolicyRule rule, AuthorizationAttributes request)
    {
        if (!VerbMatches(rule, request.Verb)) return false;
        if (!request.IsResourceRequest) return NonResourceUrlMatches(rule, request.Path);
        var combined = request.Subresource.Length > 0 ? $"{request.Resource}/{request.Subresource}" : request.Resource;
        return ApiGroupMatches(rule, request.ApiGroup)
               && ResourceMatches(rule, combined, request.Subresource)
               && ResourceNameMatches(rule, request.Name);
    }

    public static bool VerbMatches(V1PolicyRule rule, string verb) =>
        rule.Verbs?.Any(v => v == All || v == verb) == true;

    public static bool ApiGroupMatches(V1PolicyRule rule, string group) =>
        rule.ApiGroups?.Any(g => g == All || g == group) == true;

    public static bool ResourceMatches(V1PolicyRule rule, string combinedResource, string subresource)
    {
        foreach (var resource in rule.Resources ?? [])
        {
            if (resource == All || resource == combinedResource) return true;
            // "*/scale" names a subresource of every resource; it never matches a main resource.
            if (subresource.Length > 0 && resource.Length == subresource.Length + 2
                && resource.StartsWith("*/", StringComparison.Ordinal) && resource.EndsWith(subresource, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    public static bool ResourceNameMatches(V1PolicyRule rule, string name) =>
        rule.ResourceNames is not { Count: > 0 } names || names.Contains(name);

    public static bool NonResourceUrlMatches(V1PolicyRule rule, string path) =>
        rule.NonResourceURLs?.Any(url => url == All || url == path
            || (url.EndsWith('*') && path.StartsWith(url[..^1], StringComparison.Ordinal))) == true;
}
