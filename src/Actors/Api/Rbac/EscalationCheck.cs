using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Rbac;

/// <summary>
/// RBAC's escalation prevention (pkg/registry/rbac/*/policybased): a user may only write a role
/// whose rules it holds itself, or bind a role whose rules it holds, unless it may "escalate" that
/// role or "bind" the referenced role, or is a member of system:masters. A cluster role with an
/// aggregationRule can gather anything, so it takes every right.
/// </summary>
public sealed class EscalationCheck(UserInfo user, RbacAuthorizer authorizer)
{
    private static readonly V1PolicyRule[] FullAuthority =
    [
        new() { Verbs = ["*"], ApiGroups = ["*"], Resources = ["*"] },
        new() { Verbs = ["*"], NonResourceURLs = ["*"] },
    ];

    public static bool Applies(ResourceType type) =>
        type == ResourceCatalog.Roles || type == ResourceCatalog.ClusterRoles
        || type == ResourceCatalog.RoleBindings || type == ResourceCatalog.ClusterRoleBindings;

    /// <summary>Null when the write may go on; a 403 (or the 404 of a missing bound role) when it may not.</summary>
    public async Task<ApiStatus?> Check(ResourceType type, JsonObject obj)
    {
        if (!Applies(type) || user.IsPrivileged) return null;
        var ns = type.Namespaced ? KubeObject.Namespace(obj) : "";
        var name = KubeObject.Name(obj);
        if (type == ResourceCatalog.Roles || type == ResourceCatalog.ClusterRoles)
        {
            if ((await authorizer.Authorize(AuthorizationAttributes.ForResource(user, "escalate", type.Group, type.Plural, ns, name, version: "*"))).Allowed)
                return null;
            var rules = KubeModels.Decode<V1ClusterRole>(obj).Rules ?? [];
            if (await Missing(ns, rules) is { } denied) return ApiStatus.Forbidden(type, name, denied);
            if (type == ResourceCatalog.ClusterRoles && obj["aggregationRule"] is JsonObject && await Missing(ns, FullAuthority) is not null)
                return ApiStatus.Forbidden(type, name, "must have cluster-admin privileges to use the aggregationRule");
            return null;
        }

        var roleRef = KubeModels.Decode<V1RoleRef>(obj["roleRef"] ?? new JsonObject());
        var roleResource = roleRef.Kind == "ClusterRole" ? "clusterroles" : "roles";
        if ((await authorizer.Authorize(AuthorizationAttributes.ForResource(user, "bind", roleRef.ApiGroup ?? "", roleResource, ns, roleRef.Name ?? "", version: "*"))).Allowed)
            return null;
        var (bound, error) = await authorizer.Resolver.RoleReferenceRules(roleRef, ns);
        if (error is not null)
            return roleRef.Kind == "ClusterRole" ? ApiStatus.NotFound(ResourceCatalog.ClusterRoles, roleRef.Name ?? "")
                : roleRef.Kind == "Role" ? ApiStatus.NotFound(ResourceCatalog.Roles, roleRef.Name ?? "") : ApiStatus.BadRequest(error);
        return await Missing(ns, bound) is { } lacking ? ApiStatus.Forbidden(type, name, lacking) : null;
    }

    // ConfirmNoEscalation: the rules the user holds in the namespace must cover the requested ones.
    private async Task<string?> Missing(string ns, IEnumerable<V1PolicyRule> requested)
    {
        var owner = await authorizer.Resolver.RulesFor(user, ns);
        var (covered, missing) = PolicyComparator.Covers(owner.Rules, requested);
        if (covered) return null;
        var lines = RuleText.Compact(missing).Select(RuleText.CompactString).Distinct().Order(StringComparer.Ordinal);
        var message = $"user \"{user.Name}\" (groups={RuleText.Quoted(user.Groups)}) is attempting to grant RBAC permissions not currently held:\n{string.Join("\n", lines)}";
        if (owner.Errors.Count > 0) message += $"; resolution errors: [{string.Join(" ", owner.Errors)}]";
        return message;
    }
}
