using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.Validation;

/// <summary>
/// pkg/apis/rbac/validation: every rule has verbs; resource rules name groups and resources;
/// non-resource URLs only in cluster roles and never mixed with resources; a binding's roleRef is
/// a Role or ClusterRole of rbac.authorization.k8s.io and never changes; subjects are a User, Group
/// or ServiceAccount (the latter with a namespace in ClusterRoleBindings).
/// </summary>
public static class RbacValidation
{
    public const string Group = "rbac.authorization.k8s.io";

    /// <summary>Role and binding names only have to be path segments (IsValidPathSegmentName).</summary>
    public static IEnumerable<string> PathSegmentName(string name)
    {
        if (name is "." or "..") yield return $"may not be '{name}'";
        foreach (var illegal in new[] { "/", "%" })
            if (name.Contains(illegal, StringComparison.Ordinal)) yield return $"may not contain '{illegal}'";
    }

    public static void ValidateRole(JsonObject role, bool namespaced, List<FieldError> errors)
    {
        var i = 0;
        foreach (var rule in (role["rules"] as JsonArray ?? []).OfType<JsonObject>())
            PolicyRule(rule, namespaced, $"rules[{i++}]", errors);
    }

    private static void PolicyRule(JsonObject rule, bool namespaced, string path, List<FieldError> errors)
    {
        var verbs = Strings(rule["verbs"]);
        var groups = Strings(rule["apiGroups"]);
        var resources = Strings(rule["resources"]);
        var names = Strings(rule["resourceNames"]);
        var urls = Strings(rule["nonResourceURLs"]);
        if (verbs.Count == 0) errors.Add(FieldError.RequiredValue($"{path}.verbs", "verbs must contain at least one value"));
        if (urls.Count > 0)
        {
            if (namespaced) errors.Add(FieldError.InvalidRaw($"{path}.nonResourceURLs", GoStrings(urls), "namespaced rules cannot apply to non-resource URLs"));
            if (groups.Count > 0 || resources.Count > 0 || names.Count > 0)
                errors.Add(FieldError.InvalidRaw($"{path}.nonResourceURLs", GoStrings(urls), "rules cannot apply to both regular resources and non-resource URLs"));
            return;
        }
        if (groups.Count == 0) errors.Add(FieldError.RequiredValue($"{path}.apiGroups", "resource rules must supply at least one api group"));
        if (resources.Count == 0) errors.Add(FieldError.RequiredValue($"{path}.resources", "resource rules must supply at least one resource"));
        if (names.Count > 0 && resources.Count > 1)
            errors.Add(FieldError.RequiredValue($"{path}.resourceNames", "resource names cannot apply to multiple resources"));
    }

    public static void ValidateBinding(JsonObject binding, bool namespaced, List<FieldError> errors)
    {
        var roleRef = binding["roleRef"] as JsonObject;
        var apiGroup = KubeObject.String(roleRef, "apiGroup") ?? "";
        var kind = KubeObject.String(roleRef, "kind") ?? "";
        var name = KubeObject.String(roleRef, "name") ?? "";
        if (apiGroup != Group) errors.Add(FieldError.Unsupported("roleRef.apiGroup", apiGroup, [Group]));
        string[] kinds = namespaced ? ["Role", "ClusterRole"] : ["ClusterRole"];
        if (!kinds.Contains(kind)) errors.Add(FieldError.Unsupported("roleRef.kind", kind, kinds));
        if (name.Length == 0) errors.Add(FieldError.RequiredValue("roleRef.name"));
        else foreach (var message in PathSegmentName(name)) errors.Add(FieldError.Invalid("roleRef.name", name, message));

        var i = 0;
        foreach (var subject in (binding["subjects"] as JsonArray ?? []).OfType<JsonObject>())
            Subject(subject, namespaced, $"subjects[{i++}]", errors);
    }

    private static void Subject(JsonObject subject, bool namespaced, string path, List<FieldError> errors)
    {
        var name = KubeObject.String(subject, "name") ?? "";
        var apiGroup = KubeObject.String(subject, "apiGroup") ?? "";
        var kind = KubeObject.String(subject, "kind") ?? "";
        if (name.Length == 0) errors.Add(FieldError.RequiredValue($"{path}.name"));
        switch (kind)
        {
            case "ServiceAccount":
                if (name.Length > 0)
                    foreach (var message in NameValidation.Dns1123Subdomain(name)) errors.Add(FieldError.Invalid($"{path}.name", name, message));
                if (apiGroup.Length > 0) errors.Add(FieldError.Unsupported($"{path}.apiGroup", apiGroup, [""]));
                if (!namespaced && string.IsNullOrEmpty(KubeObject.String(subject, "namespace"))) errors.Add(FieldError.RequiredValue($"{path}.namespace"));
                break;
            case "User" or "Group":
                if (name.Length == 0) errors.Add(FieldError.Invalid($"{path}.name", name, $"{kind.ToLowerInvariant()} name cannot be empty"));
                if (apiGroup != Group) errors.Add(FieldError.Unsupported($"{path}.apiGroup", apiGroup, [Group]));
                break;
            default:
                errors.Add(FieldError.Unsupported($"{path}.kind", kind, ["ServiceAccount", "User", "Group"]));
                break;
        }
    }

    /// <summary>ValidateRoleBindingUpdate: the role a binding grants is fixed at creation.</summary>
    public static void ValidateBindingUpdate(JsonObject binding, JsonObject old, List<FieldError> errors)
    {
        string Ref(JsonObject o, string field) => KubeObject.ScalarAt(o, "roleRef." + field) ?? "";
        if (Ref(binding, "apiGroup") != Ref(old, "apiGroup") || Ref(binding, "kind") != Ref(old, "kind") || Ref(binding, "name") != Ref(old, "name"))
            errors.Add(FieldError.InvalidRaw("roleRef",
                $"rbac.RoleRef{{APIGroup:\"{Ref(binding, "apiGroup")}\", Kind:\"{Ref(binding, "kind")}\", Name:\"{Ref(binding, "name")}\"}}", "cannot change roleRef"));
    }

    private static List<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(n => KubeObject.ScalarText(n) ?? "").ToList();

    /// <summary>Go's %#v of a []string.</summary>
    private static string GoStrings(IEnumerable<string> values) => "[]string{" + string.Join(", ", values.Select(v => $"\"{v}\"")) + "}";
}
