using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Rbac;
using Akka.KubeEmu.Actors.Controllers.Bootstrap;
using Akka.KubeEmu.Actors.Controllers.ClusterRoleAggregation;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Tests.Store;
using Akka.KubeEmu.Tests.Support;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers;

public sealed class RbacBootstrapSpecs : StoreTestBase
{
    public RbacBootstrapSpecs() : base(new TempDir()) { }

    private static string[] Resources(JsonObject role) =>
        (role["rules"] as JsonArray ?? []).SelectMany(r => (r!["resources"] as JsonArray ?? []).Select(x => x!.GetValue<string>())).ToArray();

    [Fact]
    public void The_default_roles_exist_from_start_labelled_and_view_edit_admin_gather_their_aggregated_rules()
    {
        var store = StartStore();
        var context = ControllerTestKit.Context(Sys, store, Time);
        Sys.ActorOf(BootstrapRbacPolicy.Props(context));
        Sys.ActorOf(ClusterRoleAggregationController.Props(context));

        AwaitAssert(() =>
        {
            Time.Advance(TimeSpan.FromMilliseconds(100));
            var admin = Ok(store, new GetObject("clusterroles.rbac.authorization.k8s.io", "", "cluster-admin"));
            Assert.Equal("rbac-defaults", KubeObject.Labels(admin)[BootstrapPolicy.BootstrappingLabel]);
            Assert.Equal("true", KubeObject.String(KubeObject.At(admin, "metadata.annotations"), BootstrapPolicy.AutoUpdateAnnotation));
            var masters = Ok(store, new GetObject("clusterrolebindings.rbac.authorization.k8s.io", "", "cluster-admin"));
            Assert.Equal("system:masters", KubeObject.ScalarText(masters["subjects"]![0]!["name"]));
            var view = Resources(Ok(store, new GetObject("clusterroles.rbac.authorization.k8s.io", "", "view")));
            var edit = Resources(Ok(store, new GetObject("clusterroles.rbac.authorization.k8s.io", "", "edit")));
            var adminRole = Resources(Ok(store, new GetObject("clusterroles.rbac.authorization.k8s.io", "", "admin")));
            Assert.Contains("pods/log", view);
            Assert.DoesNotContain("secrets", view);
            Assert.Superset(view.ToHashSet(), edit.ToHashSet()); // view feeds edit
            Assert.Contains("secrets", edit);
            Assert.Superset(edit.ToHashSet(), adminRole.ToHashSet()); // edit feeds admin
            Assert.Contains("rolebindings", adminRole);
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));

        // A user's role labelled to aggregate into view extends view; a deleted default comes back.
        Ok(store, new CreateObject("clusterroles.rbac.authorization.k8s.io", new(KubeObject.ToBytes(JsonNode.Parse("""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"widgets-view","labels":{"rbac.authorization.k8s.io/aggregate-to-view":"true"}},
             "rules":[{"apiGroups":["example.com"],"resources":["widgets"],"verbs":["get"]}]}
            """)!))));
        Ok(store, new DeleteObject("clusterroles.rbac.authorization.k8s.io", "", "system:basic-user"));
        AwaitAssert(() =>
        {
            Time.Advance(TimeSpan.FromMilliseconds(100));
            Assert.Contains("widgets", Resources(Ok(store, new GetObject("clusterroles.rbac.authorization.k8s.io", "", "view"))));
            Assert.Contains("widgets", Resources(Ok(store, new GetObject("clusterroles.rbac.authorization.k8s.io", "", "admin"))));
            Ok(store, new GetObject("clusterroles.rbac.authorization.k8s.io", "", "system:basic-user"));
        }, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(100));
    }
}
