using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Rbac;
using Akka.KubeEmu.Actors.Api.Resources;
using Xunit;
using static Akka.KubeEmu.Tests.Rbac.StaticRbacObjects;

namespace Akka.KubeEmu.Tests.Rbac;

public sealed class EscalationSpecs
{
    private static readonly UserInfo Alice = UserInfo.Authenticated("alice", ["dev"]);

    private static JsonObject Role(string ns, string rules) => JsonNode.Parse($$"""
        {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"r","namespace":"{{ns}}"},"rules":{{rules}}}
        """)!.AsObject();

    private static JsonObject Binding(string ns, string kind, string role) => JsonNode.Parse($$"""
        {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"b","namespace":"{{ns}}"},
         "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"{{kind}}","name":"{{role}}"},
         "subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"bob"}]}
        """)!.AsObject();

    [Fact]
    public async Task A_namespace_admin_may_grant_what_it_holds_but_not_more_and_the_refusal_lists_what_it_lacks()
    {
        var objects = Bootstrapped().Bind("team", "alice-admin", "ClusterRole", "admin", User("alice"));
        var check = new EscalationCheck(Alice, new RbacAuthorizer(objects));
        Assert.Null(await check.Check(ResourceCatalog.Roles, Role("team", """[{"apiGroups":[""],"resources":["pods"],"verbs":["get","list"]}]""")));

        var refused = await check.Check(ResourceCatalog.Roles,
            Role("team", """[{"apiGroups":[""],"resources":["nodes","pods"],"verbs":["get","escalate"]}]"""));
        Assert.NotNull(refused);
        Assert.Equal(403, refused.Code);
        Assert.Equal("roles.rbac.authorization.k8s.io \"r\" is forbidden: user \"alice\" (groups=[\"dev\" \"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n" +
                     "{APIGroups:[\"\"], Resources:[\"nodes\"], Verbs:[\"get\" \"escalate\"]}\n{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"escalate\"]}",
            refused.Message);
    }

    [Fact]
    public async Task Binding_a_role_needs_its_rules_or_the_bind_verb_on_it()
    {
        var objects = Bootstrapped().Bind("team", "alice-admin", "ClusterRole", "admin", User("alice"));
        var check = new EscalationCheck(Alice, new RbacAuthorizer(objects));
        Assert.Null(await check.Check(ResourceCatalog.RoleBindings, Binding("team", "ClusterRole", "view")));
        var refused = await check.Check(ResourceCatalog.RoleBindings, Binding("team", "ClusterRole", "cluster-admin"));
        Assert.StartsWith("rolebindings.rbac.authorization.k8s.io \"b\" is forbidden: user \"alice\"", refused!.Message);

        objects.RoleList.Add(new k8s.Models.V1Role
        {
            Metadata = new k8s.Models.V1ObjectMeta { Name = "binder", NamespaceProperty = "team" },
            Rules = [new k8s.Models.V1PolicyRule { ApiGroups = ["rbac.authorization.k8s.io"], Resources = ["clusterroles"], Verbs = ["bind"], ResourceNames = ["cluster-admin"] }],
        });
        objects.Bind("team", "alice-binder", "Role", "binder", User("alice"));
        Assert.Null(await check.Check(ResourceCatalog.RoleBindings, Binding("team", "ClusterRole", "cluster-admin")));
    }

    [Fact]
    public async Task System_masters_may_grant_anything_and_a_missing_bound_role_is_not_found()
    {
        var objects = Bootstrapped();
        Assert.Null(await new EscalationCheck(UserInfo.ClusterAdmin, new RbacAuthorizer(objects))
            .Check(ResourceCatalog.RoleBindings, Binding("team", "ClusterRole", "cluster-admin")));
        var missing = await new EscalationCheck(Alice, new RbacAuthorizer(objects)).Check(ResourceCatalog.RoleBindings, Binding("team", "Role", "nosuch"));
        Assert.Equal((404, "roles.rbac.authorization.k8s.io \"nosuch\" not found"), (missing!.Code, missing.Message));
    }
}
