using Akka.KubeEmu.Actors.Api.Rbac;
using Akka.KubeEmu.Actors.Controllers.ClusterRoleAggregation;
using k8s.Models;

namespace Akka.KubeEmu.Tests.Rbac;

/// <summary>Roles and bindings held in lists (the NewTestRuleResolver of kube-apiserver's own tests).</summary>
public sealed class StaticRbacObjects : IRbacObjects
{
    public List<V1ClusterRole> ClusterRoleList { get; } = [];
    public List<V1ClusterRoleBinding> ClusterRoleBindingList { get; } = [];
    public List<V1Role> RoleList { get; } = [];
    public List<V1RoleBinding> RoleBindingList { get; } = [];

    /// <summary>The bootstrap policy with admin, edit and view aggregated as the controller would.</summary>
    public static StaticRbacObjects Bootstrapped()
    {
        var objects = new StaticRbacObjects();
        objects.ClusterRoleList.AddRange(BootstrapPolicy.ClusterRoles());
        objects.ClusterRoleBindingList.AddRange(BootstrapPolicy.ClusterRoleBindings());
        // view feeds edit, edit feeds admin: aggregate in that order, as repeated syncs would.
        foreach (var name in new[] { "view", "edit", "admin" })
        {
            var role = objects.ClusterRoleList.Single(r => r.Metadata.Name == name);
            role.Rules = ClusterRoleAggregationController.Aggregate(role, role.AggregationRule!, objects.ClusterRoleList);
        }
        return objects;
    }

    public StaticRbacObjects Bind(string ns, string name, string roleKind, string role, params Rbacv1Subject[] subjects)
    {
        RoleBindingList.Add(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = roleKind, Name = role },
            Subjects = subjects,
        });
        return this;
    }

    public static Rbacv1Subject User(string name) => new() { Kind = "User", ApiGroup = "rbac.authorization.k8s.io", Name = name };

    public static Rbacv1Subject Group(string name) => new() { Kind = "Group", ApiGroup = "rbac.authorization.k8s.io", Name = name };

    public static Rbacv1Subject ServiceAccount(string name, string? ns = null) => new() { Kind = "ServiceAccount", Name = name, NamespaceProperty = ns };

    public Task<IReadOnlyList<V1ClusterRoleBinding>> ClusterRoleBindings() => Task.FromResult<IReadOnlyList<V1ClusterRoleBinding>>(ClusterRoleBindingList);

    public Task<IReadOnlyList<V1RoleBinding>> RoleBindings(string ns) =>
        Task.FromResult<IReadOnlyList<V1RoleBinding>>(RoleBindingList.Where(b => b.Metadata.NamespaceProperty == ns).ToList());

    public Task<V1ClusterRole?> ClusterRole(string name) => Task.FromResult(ClusterRoleList.FirstOrDefault(r => r.Metadata.Name == name));

    public Task<V1Role?> Role(string ns, string name) =>
        Task.FromResult(RoleList.FirstOrDefault(r => r.Metadata.Name == name && r.Metadata.NamespaceProperty == ns));
}
