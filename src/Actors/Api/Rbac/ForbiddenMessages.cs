namespace Akka.KubeEmu.Actors.Api.Rbac;

/// <summary>
/// The 403 the authorization filter answers (responsewriters.Forbidden + errors.NewForbidden):
/// <c>pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"</c>.
/// </summary>
public static class ForbiddenMessages
{
    public static string Describe(AuthorizationAttributes a)
    {
        if (!a.IsResourceRequest) return $"User \"{a.User.Name}\" cannot {a.Verb} path \"{a.Path}\"";
        var resource = a.Subresource.Length > 0 ? $"{a.Resource}/{a.Subresource}" : a.Resource;
        return a.Namespace.Length > 0
            ? $"User \"{a.User.Name}\" cannot {a.Verb} resource \"{resource}\" in API group \"{a.ApiGroup}\" in the namespace \"{a.Namespace}\""
            : $"User \"{a.User.Name}\" cannot {a.Verb} resource \"{resource}\" in API group \"{a.ApiGroup}\" at the cluster scope";
    }

    public static ApiStatus Forbidden(AuthorizationAttributes a, string reason)
    {
        var cause = Describe(a) + (reason.Length > 0 ? ": " + reason : "");
        if (!a.IsResourceRequest || a.Resource.Length == 0) return new ApiStatus(403, "Forbidden", "forbidden: " + cause, new StatusDetails());
        var qualified = a.ApiGroup.Length > 0 ? $"{a.Resource}.{a.ApiGroup}" : a.Resource;
        var message = a.Name.Length > 0 ? $"{qualified} \"{a.Name}\" is forbidden: {cause}" : $"{qualified} is forbidden: {cause}";
        return new ApiStatus(403, "Forbidden", message,
            new StatusDetails(a.Name.Length > 0 ? a.Name : null, a.ApiGroup.Length > 0 ? a.ApiGroup : null, a.Resource));
    }
}
