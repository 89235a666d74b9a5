using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Rbac;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Informers;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Bootstrap;

/// <summary>
/// kube-apiserver's post-start hook rbac/bootstrap-roles: the default cluster roles and cluster
/// role bindings exist from start, and one deleted is created again. Roles an administrator
/// changed are left alone (kube-apiserver only reconciles them at its next start).
/// </summary>
public sealed class BootstrapRbacPolicy : Controller
{
    private const string RolePrefix = "clusterrole:";
    private const string BindingPrefix = "clusterrolebinding:";

    private readonly Indexer<V1ClusterRole> _roles;
    private readonly Indexer<V1ClusterRoleBinding> _bindings;

    public BootstrapRbacPolicy(ControllerContext context) : base(context, "rbac-bootstrap-roles", workers: 1, fieldManager: "kube-apiserver")
    {
        var roles = Informers.For<V1ClusterRole>();
        var bindings = Informers.For<V1ClusterRoleBinding>();
        _roles = roles.Indexer;
        _bindings = bindings.Indexer;
        Handle(roles, deleted: r => Enqueue(RolePrefix + r.Metadata.Name));
        Handle(bindings, deleted: b => Enqueue(BindingPrefix + b.Metadata.Name));
        foreach (var role in BootstrapPolicy.ClusterRoles()) Enqueue(RolePrefix + role.Metadata.Name);
        foreach (var binding in BootstrapPolicy.ClusterRoleBindings()) Enqueue(BindingPrefix + binding.Metadata.Name);
    }

    public static Props Props(ControllerContext context) => Akka.Actor.Props.Create(() => new BootstrapRbacPolicy(context));

    protected override async Task<SyncResult> Sync(string key)
    {
        if (key.StartsWith(RolePrefix, StringComparison.Ordinal))
        {
            var name = key[RolePrefix.Length..];
            if (_roles.Get(name) is not null) return SyncResult.Done;
            var role = BootstrapPolicy.ClusterRoles().FirstOrDefault(r => r.Metadata.Name == name);
            if (role is null) return SyncResult.Done;
            var created = await Api.Create(role);
            if (!created.IsAlreadyExists) _ = created.Object; // any other failure: retried with back-off
        }
        else
        {
            var name = key[BindingPrefix.Length..];
            if (_bindings.Get(name) is not null) return SyncResult.Done;
            var binding = BootstrapPolicy.ClusterRoleBindings().FirstOrDefault(b => b.Metadata.Name == name);
            if (binding is null) return SyncResult.Done;
            var created = await Api.Create(binding);
            if (!created.IsAlreadyExists) _ = created.Object;
        }
        return SyncResult.Done;
    }
}
