namespace Akka.KubeEmu.Actors.Api.Rbac;

/// <summary>
/// The authenticated user of a request (k8s.io/apiserver user.Info): what authorizers and the
/// RBAC escalation check judge, and what SelfSubjectReview reports.
/// </summary>
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups, string Uid = "")
{
    /// <summary>Members of this group are allowed everything, before RBAC is asked (the privileged-group authorizer).</summary>
    public const string SystemMasters = "system:masters";
    public const string AllAuthenticated = "system:authenticated";
    public const string AllUnauthenticated = "system:unauthenticated";
    public const string Anonymous = "system:anonymous";
    public const string ServiceAccountPrefix = "system:serviceaccount:";
    public const string ServiceAccountsGroup = "system:serviceaccounts";

    /// <summary>Extra attributes (authentication.kubernetes.io/credential-id and the like).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Extra { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The user kubeemu's own kubeconfig names: kubeadm's kubernetes-admin, a member of system:masters.</summary>
    public static readonly UserInfo ClusterAdmin = new("kubernetes-admin", [SystemMasters, AllAuthenticated]);

    public bool IsPrivileged => Groups.Contains(SystemMasters);

    /// <summary>The user a ServiceAccount's token authenticates as (serviceaccount.UserInfo).</summary>
    public static UserInfo ServiceAccount(string ns, string name, string uid) =>
        new($"{ServiceAccountPrefix}{ns}:{name}", [ServiceAccountsGroup, $"{ServiceAccountsGroup}:{ns}", AllAuthenticated], uid);

    /// <summary>A user with the groups it was given, plus system:authenticated as the authenticator adds it.</summary>
    public static UserInfo Authenticated(string name, IEnumerable<string> groups, string uid = "")
    {
        var all = groups.Where(g => g.Length > 0).Distinct().ToList();
        if (!all.Contains(AllAuthenticated)) all.Add(AllAuthenticated);
        return new UserInfo(name, all, uid);
    }
}
