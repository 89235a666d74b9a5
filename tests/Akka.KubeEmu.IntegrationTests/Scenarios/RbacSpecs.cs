using Akka.KubeEmu.IntegrationTests.Support;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>
/// Issue E7 with the real kubectl: another user's kubeconfig from `kubeemu kubeconfig`, Forbidden
/// until a RoleBinding to view, `kubectl auth can-i` and `whoami`, and a `kubectl create token`
/// used as a bearer token.
/// </summary>
[Collection("shared cluster")]
public sealed class RbacSpecs(SharedCluster fixture)
{
    private KubeEmuCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task A_second_user_is_forbidden_until_bound_to_view_and_a_service_account_token_is_a_bearer_token()
    {
        var admin = await fixture.Namespace("rbac-team");
        var alice = Kubectl.Default(await Cluster.KubeconfigFor("alice", "dev"));

        var denied = await alice.Run("get", "pods", "-n", "rbac-team");
        Assert.NotEqual(0, denied.ExitCode);
        Assert.Equal("Error from server (Forbidden): pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\" in the namespace \"rbac-team\"",
            denied.Stderr.Trim());
        Assert.Equal("no", (await alice.Run("auth", "can-i", "list", "pods", "-n", "rbac-team")).Stdout.Trim());
        var whoami = TableOutput.Parse((await alice.Run("auth", "whoami")).Ok().Stdout);
        string Attribute(string name) => whoami.Rows.Single(r => r["ATTRIBUTE"] == name)["VALUE"];
        Assert.Equal(("alice", "[dev system:authenticated]"), (Attribute("Username"), Attribute("Groups")));

        (await admin.Run("create", "rolebinding", "alice-view", "--clusterrole", "view", "--user", "alice")).Ok();
        var bindings = TableOutput.Parse((await admin.Run("get", "rolebinding", "alice-view")).Ok().Stdout);
        Assert.Equal(["NAME", "ROLE", "AGE"], bindings.Headers);
        Assert.Equal("ClusterRole/view", bindings.Row("alice-view")["ROLE"]);
        await Eventually.Until(async () => await alice.Run("get", "pods", "-n", "rbac-team"), r => r.ExitCode == 0, TimeSpan.FromSeconds(10), "alice lists pods");
        Assert.Equal("yes", (await alice.Run("auth", "can-i", "list", "pods", "-n", "rbac-team")).Ok().Stdout.Trim());
        Assert.Equal("no", (await alice.Run("auth", "can-i", "create", "pods", "-n", "rbac-team")).Stdout.Trim());
        Assert.Equal("no", (await admin.Run("auth", "can-i", "get", "secrets", "--as", "alice")).Stdout.Trim());

        await Eventually.Until(async () => await admin.Run("get", "serviceaccount", "default"), r => r.ExitCode == 0, TimeSpan.FromSeconds(10), "default service account");
        var token = (await admin.Run("create", "token", "default", "--duration", "10m")).Ok().Stdout.Trim();
        var asAccount = await alice.Run("--token", token, "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}");
        Assert.Equal("system:serviceaccount:rbac-team:default", asAccount.Ok().Stdout.Trim());
        var forbidden = await alice.Run("--token", token, "get", "secrets", "-n", "rbac-team");
        Assert.Contains("User \"system:serviceaccount:rbac-team:default\" cannot list resource \"secrets\"", forbidden.Stderr);
    }

    [Fact]
    public async Task The_components_bootstrap_roles_answer_auth_can_i_as_a_cluster_does()
    {
        var admin = await fixture.Namespace("rbac-components");
        async Task<string> CanI(params string[] args) => (await admin.Run(["auth", "can-i", .. args])).Stdout.Trim();
        // kubectl reads pods/binding as a pod named binding: the subresource is --subresource.
        Assert.Equal("yes", await CanI("create", "pods", "--subresource=binding", "--as", "system:kube-scheduler"));
        Assert.Equal("no", await CanI("create", "pods", "--as", "system:kube-scheduler"));
        Assert.Equal("yes", await CanI("list", "secrets", "--all-namespaces", "--as", "system:kube-controller-manager"));
        Assert.Equal("yes", await CanI("watch", "endpointslices.discovery.k8s.io", "--as", "system:kube-proxy"));
        Assert.Equal("yes", await CanI("create", "replicasets.apps", "-n", "kube-system", "--as", "system:serviceaccount:kube-system:deployment-controller"));
        Assert.Equal("no", await CanI("delete", "nodes", "--as", "system:serviceaccount:kube-system:deployment-controller"));
        var roles = TableOutput.Parse((await admin.Run("get", "clusterroles")).Ok().Stdout);
        foreach (var role in new[] { "system:node", "system:kube-scheduler", "system:controller:deployment-controller", "system:kube-dns" })
            Assert.Contains(roles.Rows, r => r["NAME"] == role);
        var binding = TableOutput.Parse((await admin.Run("get", "clusterrolebinding", "system:kube-scheduler", "-o", "wide")).Ok().Stdout);
        Assert.Equal(("ClusterRole/system:kube-scheduler", "system:kube-scheduler"), (binding.Row("system:kube-scheduler")["ROLE"], binding.Row("system:kube-scheduler")["USERS"]));
    }
}
