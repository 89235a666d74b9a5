using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Rbac;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Store;
using k8s.Models;

namespace Akka.KubeEmu.Host.ApiServer.Authorization;

/// <summary>
/// Roles and bindings read from the Store at each decision. Only users outside system:masters
/// pay for it (the admin and the in-process components never reach RBAC), so there is no cache
/// to go stale: a binding is in force as soon as its write is acknowledged.
/// </summary>
public sealed class StoreRbacObjects(StoreClient store) : IRbacObjects
{
    public Task<IReadOnlyList<V1ClusterRoleBinding>> ClusterRoleBindings() => List<V1ClusterRoleBinding>(ResourceCatalog.ClusterRoleBindings, null);

    public Task<IReadOnlyList<V1RoleBinding>> RoleBindings(string ns) => List<V1RoleBinding>(ResourceCatalog.RoleBindings, ns);

    public Task<V1ClusterRole?> ClusterRole(string name) => Get<V1ClusterRole>(ResourceCatalog.ClusterRoles, "", name);

    public Task<V1Role?> Role(string ns, string name) => Get<V1Role>(ResourceCatalog.Roles, ns, name);

    private async Task<IReadOnlyList<T>> List<T>(ResourceType type, string? ns)
    {
        var (list, error) = await store.List(new ListObjects(type.GroupResource, ns));
        if (list is null) throw new ApiException(error!);
        return list.Items.Select(i => KubeModels.Decode<T>(i.Utf8)).ToArray();
    }

    private async Task<T?> Get<T>(ResourceType type, string ns, string name) where T : class
    {
        var result = await store.Get(type.GroupResource, ns, name);
        if (result.Ok) return KubeModels.Decode<T>(result.Raw!.Utf8);
        if (result.Error!.Code == 404) return null;
        throw new ApiException(result.Error);
    }
}
