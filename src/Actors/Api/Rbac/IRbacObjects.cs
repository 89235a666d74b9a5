using k8s.Models;

namespace Akka.KubeEmu.Actors.Api.Rbac;

/// <summary>
/// Where the rule resolver reads roles and bindings from (the listers kube-apiserver's RBAC
/// authorizer is built on). A missing role is null; a failed read throws an ApiException.
/// </summary>
public interface IRbacObjects
{
    Task<IReadOnlyList<V1ClusterRoleBinding>> ClusterRoleBindings();

    Task<IReadOnlyList<V1RoleBinding>> RoleBindings(string ns);

    Task<V1ClusterRole?> ClusterRole(string name);

    Task<V1Role?> Role(string ns, string name);
}
