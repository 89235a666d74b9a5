using Akka.KubeEmu.Actors.Api.Rbac;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Rbac;

public sealed class RuleMatchingSpecs
{
    private static readonly UserInfo Alice = UserInfo.Authenticated("alice", []);

    private static V1PolicyRule Rule(string verbs, string groups, string resources, string names = "") => new()
    {
        Verbs = verbs.Split(','), ApiGroups = groups.Split(',').Select(g => g == "core" ? "" : g).ToList(),
        Resources = resources.Split(','), ResourceNames = names.Length == 0 ? null : names.Split(','),
    };

    [Theory]
    [InlineData("get,list", "core", "pods", "", "list", "", "pods", "", "", true)]
    [InlineData("get,list", "core", "pods", "", "watch", "", "pods", "", "", false)]
    [InlineData("*", "core", "pods", "", "deletecollection", "", "pods", "", "", true)]
    [InlineData("get", "apps", "deployments", "", "get", "", "deployments", "", "", false)]
    [InlineData("get", "*", "deployments", "", "get", "apps", "deployments", "", "", true)]
    [InlineData("get", "core", "*", "", "get", "", "secrets", "", "", true)]
    [InlineData("get", "core", "pods", "", "get", "", "pods", "log", "", false)]
    [InlineData("get", "core", "pods/log", "", "get", "", "pods", "log", "", true)]
    [InlineData("get", "core", "*/log", "", "get", "", "pods", "log", "", true)]
    [InlineData("get", "core", "*/log", "", "get", "", "pods", "", "", false)]
    [InlineData("get", "core", "*/status", "", "get", "", "pods", "log", "", false)]
    [InlineData("get", "core", "configmaps", "a,b", "get", "", "configmaps", "", "b", true)]
    [InlineData("get", "core", "configmaps", "a,b", "get", "", "configmaps", "", "c", false)]
    [InlineData("list", "core", "configmaps", "a", "list", "", "configmaps", "", "", false)]
    public void A_resource_rule_allows_exactly_the_verbs_groups_resources_and_names_it_names(
        string verbs, string groups, string resources, string names, string verb, string group, string resource, string sub, string name, bool allowed)
    {
        var request = AuthorizationAttributes.ForResource(Alice, verb, group, resource, "default", name, sub);
        Assert.Equal(allowed, RuleMatching.Allows(Rule(verbs, groups, resources, names), request));
    }

    [Theory]
    [InlineData("/healthz", "get", "/healthz", true)]
    [InlineData("/healthz", "post", "/healthz", false)]
    [InlineData("/apis/*", "get", "/apis/apps/v1", true)]
    [InlineData("/apis/*", "get", "/apis", false)]
    [InlineData("*", "get", "/metrics", true)]
    [InlineData("/version", "get", "/version/", false)]
    public void A_non_resource_rule_matches_its_paths_exactly_or_by_a_trailing_star(string url, string verb, string path, bool allowed)
    {
        var rule = new V1PolicyRule { Verbs = ["get"], NonResourceURLs = [url] };
        Assert.Equal(allowed, RuleMatching.Allows(rule, AuthorizationAttributes.ForPath(Alice, verb, path)));
    }

    [Fact]
    public void A_resource_rule_never_allows_a_path_and_a_path_rule_never_a_resource()
    {
        Assert.False(RuleMatching.Allows(Rule("*", "*", "*"), AuthorizationAttributes.ForPath(Alice, "get", "/metrics")));
        Assert.False(RuleMatching.Allows(new V1PolicyRule { Verbs = ["*"], NonResourceURLs = ["*"] },
            AuthorizationAttributes.ForResource(Alice, "get", "", "pods", "default")));
    }
}
