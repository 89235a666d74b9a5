using Akka.KubeEmu.Actors.Api.Rbac;
using Xunit;
using static Akka.KubeEmu.Tests.Rbac.StaticRbacObjects;

namespace Akka.KubeEmu.Tests.Rbac;

/// <summary>
/// What the components' bootstrap roles allow their identities, as <c>kubectl auth can-i --as=...</c>
/// answers on a v1.32 cluster (the answers follow kube-apiserver's bootstrap policy).
/// </summary>
public sealed class ComponentPolicySpecs
{
    private const string Scheduler = "system:kube-scheduler";
    private const string ControllerManager = "system:kube-controller-manager";
    private const string Proxy = "system:kube-proxy";
    private const string Deployments = "system:serviceaccount:kube-system:deployment-controller";
    private const string Dns = "system:serviceaccount:kube-system:kube-dns";

    public static TheoryData<string, string, string, string, string, string, bool> Cases => new()
    {
        // user, verb, group, resource, subresource, name, allowed
        { Scheduler, "create", "", "pods", "binding", "", true },
        { Scheduler, "list", "", "nodes", "", "", true },
        { Scheduler, "patch", "", "pods", "status", "", true },
        { Scheduler, "update", "coordination.k8s.io", "leases", "", "kube-scheduler", true },
        { Scheduler, "update", "coordination.k8s.io", "leases", "", "kube-controller-manager", false },
        { Scheduler, "patch", "", "persistentvolumeclaims", "", "", true }, // system:volume-scheduler
        { Scheduler, "create", "", "pods", "", "", false },
        { Scheduler, "delete", "apps", "deployments", "", "", false },
        { ControllerManager, "list", "apps", "deployments", "", "", true },
        { ControllerManager, "watch", "example.com", "widgets", "", "", true },
        { ControllerManager, "create", "", "serviceaccounts", "token", "", true },
        { ControllerManager, "update", "apps", "deployments", "", "", false },
        { Proxy, "watch", "discovery.k8s.io", "endpointslices", "", "", true },
        { Proxy, "get", "", "nodes", "", "", true },
        { Proxy, "get", "", "secrets", "", "", false },
        { Deployments, "create", "apps", "replicasets", "", "", true },
        { Deployments, "update", "apps", "deployments", "status", "", true },
        { Deployments, "create", "", "pods", "", "", false },
        { Dns, "watch", "", "services", "", "", true },
        { Dns, "get", "", "services", "", "", false },
        // system:node is bound to no subject: without the Node authorizer a node's identity gets nothing from RBAC.
        { "system:node:node-1", "get", "", "pods", "", "", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_components_identity_is_allowed_what_its_bootstrap_role_grants(string user, string verb, string group, string resource,
        string subresource, string name, bool allowed)
    {
        var who = user.StartsWith(UserInfo.ServiceAccountPrefix, StringComparison.Ordinal)
            ? UserInfo.ServiceAccount("kube-system", user.Split(':')[3], "uid")
            : UserInfo.Authenticated(user, user.StartsWith("system:node:", StringComparison.Ordinal) ? ["system:nodes"] : []);
        var decision = await new RbacAuthorizer(Bootstrapped())
            .Authorize(AuthorizationAttributes.ForResource(who, verb, group, resource, "kube-system", name, subresource));
        Assert.Equal(allowed, decision.Allowed);
    }

    [Fact]
    public void Every_controller_role_is_bound_to_its_service_account_in_kube_system()
    {
        var roles = BootstrapPolicy.ClusterRoles().Select(r => r.Metadata.Name).Where(n => n.StartsWith(ControllerPolicy.Prefix, StringComparison.Ordinal)).ToArray();
        Assert.Contains("system:controller:deployment-controller", roles);
        Assert.Contains("system:controller:generic-garbage-collector", roles);
        foreach (var role in roles)
        {
            var binding = Assert.Single(BootstrapPolicy.ClusterRoleBindings(), b => b.Metadata.Name == role);
            var subject = Assert.Single(binding.Subjects);
            Assert.Equal(("ServiceAccount", "kube-system", role[ControllerPolicy.Prefix.Length..]), (subject.Kind, subject.NamespaceProperty, subject.Name));
        }
        Assert.Equal(BootstrapPolicy.ClusterRoles().Count, BootstrapPolicy.ClusterRoles().Select(r => r.Metadata.Name).Distinct().Count());
        Assert.Null(Assert.Single(BootstrapPolicy.ClusterRoleBindings(), b => b.Metadata.Name == "system:node").Subjects);
    }
}
