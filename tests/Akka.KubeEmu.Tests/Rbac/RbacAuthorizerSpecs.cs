using Akka.KubeEmu.Actors.Api.Rbac;
using Xunit;
using static Akka.KubeEmu.Tests.Rbac.StaticRbacObjects;

namespace Akka.KubeEmu.Tests.Rbac;

public sealed class RbacAuthorizerSpecs
{
    private static readonly UserInfo Alice = UserInfo.Authenticated("alice", ["dev"]);

    private static Task<AuthorizationDecision> Can(StaticRbacObjects objects, UserInfo user, string verb, string group, string resource,
        string ns = "default", string sub = "") =>
        new RbacAuthorizer(objects).Authorize(AuthorizationAttributes.ForResource(user, verb, group, resource, ns, subresource: sub));

    [Fact]
    public async Task A_new_user_may_only_discover_the_api_and_review_its_own_access()
    {
        var objects = Bootstrapped();
        var authorizer = new RbacAuthorizer(objects);
        Assert.False((await Can(objects, Alice, "list", "", "pods")).Allowed);
        Assert.True((await Can(objects, Alice, "create", "authorization.k8s.io", "selfsubjectaccessreviews", "")).Allowed);
        Assert.True((await Can(objects, Alice, "create", "authentication.k8s.io", "selfsubjectreviews", "")).Allowed);
        Assert.True((await authorizer.Authorize(AuthorizationAttributes.ForPath(Alice, "get", "/apis/apps/v1"))).Allowed);
        Assert.False((await authorizer.Authorize(AuthorizationAttributes.ForPath(Alice, "get", "/metrics"))).Allowed);
        var prometheus = UserInfo.Authenticated("prometheus", ["system:monitoring"]);
        Assert.True((await authorizer.Authorize(AuthorizationAttributes.ForPath(prometheus, "get", "/metrics"))).Allowed);
        Assert.True((await authorizer.Authorize(AuthorizationAttributes.ForPath(prometheus, "get", "/livez/etcd"))).Allowed);
    }

    [Fact]
    public async Task Members_of_system_masters_are_allowed_everything_without_any_binding()
    {
        var admin = new UserInfo("root", [UserInfo.SystemMasters]);
        Assert.True((await Can(new StaticRbacObjects(), admin, "delete", "apps", "deployments")).Allowed);
    }

    [Fact]
    public async Task The_aggregated_view_role_bound_in_a_namespace_reads_workloads_there_but_no_secrets_and_nothing_elsewhere()
    {
        var objects = Bootstrapped().Bind("default", "alice-view", "ClusterRole", "view", User("alice"));
        Assert.True((await Can(objects, Alice, "list", "", "pods")).Allowed);
        Assert.True((await Can(objects, Alice, "watch", "apps", "deployments")).Allowed);
        Assert.True((await Can(objects, Alice, "get", "", "pods", sub: "log")).Allowed);
        Assert.False((await Can(objects, Alice, "get", "", "secrets")).Allowed);
        Assert.False((await Can(objects, Alice, "create", "", "pods")).Allowed);
        Assert.False((await Can(objects, Alice, "list", "", "pods", ns: "kube-system")).Allowed);
    }

    [Fact]
    public async Task Edit_aggregates_view_and_admin_aggregates_edit()
    {
        var objects = Bootstrapped().Bind("team", "admins", "ClusterRole", "admin", Group("dev"));
        Assert.True((await Can(objects, Alice, "list", "", "pods", "team")).Allowed); // from view
        Assert.True((await Can(objects, Alice, "create", "apps", "deployments", "team")).Allowed); // from edit
        Assert.True((await Can(objects, Alice, "create", "rbac.authorization.k8s.io", "rolebindings", "team")).Allowed); // admin's own
    }

    [Fact]
    public async Task A_service_account_subject_without_namespace_means_the_bindings_namespace()
    {
        var sa = UserInfo.ServiceAccount("team", "builder", "uid-1");
        var objects = Bootstrapped().Bind("team", "b", "ClusterRole", "view", ServiceAccount("builder"));
        Assert.True((await Can(objects, sa, "list", "", "pods", "team")).Allowed);
        Assert.False((await Can(objects, UserInfo.ServiceAccount("other", "builder", "uid-2"), "list", "", "pods", "team")).Allowed);
    }

    [Fact]
    public async Task A_binding_to_a_missing_role_denies_with_the_resolution_error_as_reason()
    {
        var objects = Bootstrapped().Bind("default", "broken", "Role", "nosuch", User("alice"));
        var decision = await Can(objects, Alice, "list", "", "pods");
        Assert.False(decision.Allowed);
        Assert.Equal("RBAC: role.rbac.authorization.k8s.io \"nosuch\" not found", decision.Reason);
    }

    [Fact]
    public void A_denial_is_worded_as_the_apiserver_words_it_with_the_resource_and_scope()
    {
        Assert.Equal("pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"",
            ForbiddenMessages.Forbidden(AuthorizationAttributes.ForResource(Alice, "list", "", "pods", "default"), "").Message);
        var nodes = ForbiddenMessages.Forbidden(AuthorizationAttributes.ForResource(Alice, "get", "", "nodes", name: "node-1"), "");
        Assert.Equal("nodes \"node-1\" is forbidden: User \"alice\" cannot get resource \"nodes\" in API group \"\" at the cluster scope", nodes.Message);
        Assert.Equal(("node-1", null, "nodes"), (nodes.Details!.Name, nodes.Details.Group, nodes.Details.Kind));
        Assert.Equal("deployments.apps \"web\" is forbidden: User \"alice\" cannot patch resource \"deployments/scale\" in API group \"apps\" in the namespace \"default\"",
            ForbiddenMessages.Forbidden(AuthorizationAttributes.ForResource(Alice, "patch", "apps", "deployments", "default", "web", "scale"), "").Message);
        Assert.Equal("forbidden: User \"alice\" cannot get path \"/metrics\"",
            ForbiddenMessages.Forbidden(AuthorizationAttributes.ForPath(Alice, "get", "/metrics"), "").Message);
        Assert.Equal(403, ForbiddenMessages.Forbidden(AuthorizationAttributes.ForPath(Alice, "get", "/metrics"), "").Code);
    }
}
