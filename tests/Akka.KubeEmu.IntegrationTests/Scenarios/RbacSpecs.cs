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
}
