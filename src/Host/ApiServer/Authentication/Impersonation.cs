using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Api.Rbac;

namespace Akka.KubeEmu.Host.ApiServer.Authentication;

/// <summary>
/// The Impersonate-User and Impersonate-Group headers (`kubectl --as`, `--as-group`): the
/// requester needs the "impersonate" verb on users (or on the ServiceAccount) and on each group;
/// the request then runs as the impersonated user, with system:authenticated added as the
/// apiserver's impersonation filter adds it.
/// </summary>
public static class Impersonation
{
    public const string UserHeader = "Impersonate-User";
    public const string GroupHeader = "Impersonate-Group";

    /// <summary>The user to act as (the requester itself without headers), or the Status refusing it.</summary>
    public static async Task<(UserInfo? User, ApiStatus? Error)> Apply(HttpRequest request, UserInfo requester, RbacAuthorizer authorizer)
    {
        var name = request.Headers[UserHeader].ToString();
        var groups = request.Headers[GroupHeader].Where(g => !string.IsNullOrEmpty(g)).Select(g => g!).ToList();
        if (name.Length == 0)
            return groups.Count == 0
                ? (requester, null)
                : (null, ApiStatus.BadRequest($"requested [{string.Join(" ", groups.Select(g => $"{{Group  {g}   }}"))}] without impersonating a user"));

        var checks = new List<AuthorizationAttributes>();
        var serviceAccount = ServiceAccountOf(name);
        checks.Add(serviceAccount is var (saNs, saName)
            ? AuthorizationAttributes.ForResource(requester, "impersonate", "", "serviceaccounts", saNs, saName)
            : AuthorizationAttributes.ForResource(requester, "impersonate", "", "users", name: name));
        checks.AddRange(groups.Select(g => AuthorizationAttributes.ForResource(requester, "impersonate", "", "groups", name: g)));
        foreach (var check in checks)
        {
            var decision = await authorizer.Authorize(check);
            if (!decision.Allowed) return (null, ForbiddenMessages.Forbidden(check, decision.Reason));
        }

        if (serviceAccount is var (ns, _)) groups.InsertRange(0, [UserInfo.ServiceAccountsGroup, $"{UserInfo.ServiceAccountsGroup}:{ns}"]);
        if (name != UserInfo.Anonymous && !groups.Contains(UserInfo.AllAuthenticated) && !groups.Contains(UserInfo.AllUnauthenticated))
            groups.Add(UserInfo.AllAuthenticated);
        return (new UserInfo(name, groups.Distinct().ToArray()), null);
    }

    private static (string Namespace, string Name)? ServiceAccountOf(string user)
    {
        if (!user.StartsWith(UserInfo.ServiceAccountPrefix, StringComparison.Ordinal)) return null;
        var parts = user[UserInfo.ServiceAccountPrefix.Length..].Split(':');
        return parts.Length == 2 && parts[0].Length > 0 && parts[1].Length > 0 ? (parts[0], parts[1]) : null;
    }
}
