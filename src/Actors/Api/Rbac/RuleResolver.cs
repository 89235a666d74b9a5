using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Rbac;

/// <summary>
/// The rules that apply to a user in a namespace (registry/rbac/validation DefaultRuleResolver):
/// those of every ClusterRoleBinding naming the user, then, in a namespace, those of its
/// RoleBindings. Rules are additive, so a binding whose role is missing only adds an error.
/// </summary>
public sealed class RuleResolver(IRbacObjects objects)
{
    public sealed record Resolved(IReadOnlyList<V1PolicyRule> Rules, IReadOnlyList<string> Errors);

    public async Task<Resolved> RulesFor(UserInfo user, string ns)
    {
        var rules = new List<V1PolicyRule>();
        var errors = new List<string>();
        foreach (var binding in await objects.ClusterRoleBindings())
        {
            if (!AppliesTo(user, binding.Subjects, "")) continue;
            var (found, error) = await RoleReferenceRules(binding.RoleRef, "");
            rules.AddRange(found);
            if (error is not null) errors.Add(error);
        }
        if (ns.Length == 0) return new Resolved(rules, errors);
        foreach (var binding in await objects.RoleBindings(ns))
        {
            if (!AppliesTo(user, binding.Subjects, ns)) continue;
            var (found, error) = await RoleReferenceRules(binding.RoleRef, ns);
            rules.AddRange(found);
            if (error is not null) errors.Add(error);
        }
        return new Resolved(rules, errors);
    }

    /// <summary>GetRoleReferenceRules: the rules of the role a binding names, or the lister's NotFound text.</summary>
    public async Task<(IReadOnlyList<V1PolicyRule> Rules, string? Error)> RoleReferenceRules(V1RoleRef roleRef, string bindingNamespace)
    {
        switch (roleRef.Kind)
        {
            case "Role":
                var role = await objects.Role(bindingNamespace, roleRef.Name);
                return role is null ? ([], $"role.rbac.authorization.k8s.io \"{roleRef.Name}\" not found") : ((IReadOnlyList<V1PolicyRule>?)role.Rules ?? [], null);
            case "ClusterRole":
                var clusterRole = await objects.ClusterRole(roleRef.Name);
                return clusterRole is null ? ([], $"clusterrole.rbac.authorization.k8s.io \"{roleRef.Name}\" not found") : ((IReadOnlyList<V1PolicyRule>?)clusterRole.Rules ?? [], null);
            default:
                return ([], $"unsupported role reference kind: \"{roleRef.Kind}\"");
        }
    }

    public static bool AppliesTo(UserInfo user, IEnumerable<Rbacv1Subject>? subjects, string ns) =>
        subjects?.Any(s => AppliesTo(user, s, ns)) == true;

    private static bool AppliesTo(UserInfo user, Rbacv1Subject subject, string ns)
    {
        switch (subject.Kind)
        {
            case "User":
                return user.Name == subject.Name;
            case "Group":
                return user.Groups.Contains(subject.Name);
            case "ServiceAccount":
                // A RoleBinding may leave the namespace of its ServiceAccount subjects to its own.
                var saNamespace = string.IsNullOrEmpty(subject.NamespaceProperty) ? ns : subject.NamespaceProperty;
                return saNamespace.Length > 0 && user.Name == $"{UserInfo.ServiceAccountPrefix}{saNamespace}:{subject.Name}";
            default:
                return false;
        }
    }
}
