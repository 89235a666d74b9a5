using System.Net;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Rbac;
using Akka.KubeEmu.Host.ApiServer.Authentication;
using Xunit;

namespace Akka.KubeEmu.Tests.ApiServer;

/// <summary>
/// Authentication and RBAC over HTTP: the admin token is cluster-admin, a kubeemu user token is
/// only what RBAC grants it, ServiceAccount tokens come from TokenRequest and stop working with
/// their account; reviews answer what kubectl auth can-i and whoami print.
/// </summary>
public sealed class RbacApiSpecs : IAsyncLifetime
{
    private readonly ApiServerFixture _fixture = new();

    private HttpClient Admin => _fixture.Client;

    public async Task InitializeAsync()
    {
        // What the bootstrap controllers create at control-plane start, with view aggregated.
        foreach (var role in BootstrapPolicy.ClusterRoles())
        {
            var json = KubeModels.ToJsonObject(role);
            if (role.Metadata.Name == "view") json["rules"] = KubeModels.ToJsonObject(BootstrapPolicy.ClusterRoles().Single(r => r.Metadata.Name == "system:aggregate-to-view"))["rules"]!.DeepClone();
            await Http.Ok(await Admin.PostAsync("/apis/rbac.authorization.k8s.io/v1/clusterroles", Http.Body(json.ToJsonString())));
        }
        foreach (var binding in BootstrapPolicy.ClusterRoleBindings())
            await Http.Ok(await Admin.PostAsync("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", Http.Body(KubeModels.ToJsonObject(binding).ToJsonString())));
    }

    public async Task DisposeAsync() => await _fixture.DisposeAsync();

    private HttpClient User(string name, params string[] groups) =>
        _fixture.As(JsonWebToken.Sign(TokenClaims.User(name, groups, DateTimeOffset.UtcNow), _fixture.SigningKey));

    [Fact]
    public async Task A_user_without_bindings_is_forbidden_with_the_apiservers_words_until_bound_to_view()
    {
        using var alice = User("alice", "dev");
        var denied = await alice.GetAsync("/api/v1/namespaces/default/pods");
        Assert.Equal("pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"",
            await Http.Failure(denied, 403, "Forbidden"));
        var details = (await Http.Json(await alice.GetAsync("/api/v1/namespaces/default/pods")))["details"]!;
        Assert.Equal("pods", details["kind"]!.GetValue<string>());
        Assert.Equal("forbidden: User \"alice\" cannot get path \"/metrics\"", await Http.Failure(await alice.GetAsync("/metrics"), 403, "Forbidden"));
        Assert.Equal(HttpStatusCode.OK, (await alice.GetAsync("/apis")).StatusCode);

        await Http.Ok(await Admin.PostAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", Http.Body("""
            {"metadata":{"name":"alice-view"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
             "subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"alice"}]}
            """)));
        await Http.Ok(await alice.GetAsync("/api/v1/namespaces/default/pods"));
        Assert.Equal("pods is forbidden: User \"alice\" cannot create resource \"pods\" in API group \"\" in the namespace \"default\"",
            await Http.Failure(await alice.PostAsync("/api/v1/namespaces/default/pods", Http.Body("{}")), 403, "Forbidden"));
        Assert.Equal("pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\" in the namespace \"kube-system\"",
            await Http.Failure(await alice.GetAsync("/api/v1/namespaces/kube-system/pods"), 403, "Forbidden"));
    }

    [Fact]
    public async Task Bad_tokens_are_unauthorized_a_tampered_or_foreign_signature_included()
    {
        using var garbage = _fixture.As("not-a-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await garbage.GetAsync("/api/v1/namespaces")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await garbage.GetAsync("/healthz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _fixture.Anonymous.GetAsync("/healthz")).StatusCode);
        var token = JsonWebToken.Sign(TokenClaims.User("alice", [], DateTimeOffset.UtcNow), _fixture.SigningKey);
        var parts = token.Split('.');
        var forged = JsonWebToken.Base64Url(System.Text.Encoding.UTF8.GetBytes(TokenClaims.User("alice", [UserInfo.SystemMasters], DateTimeOffset.UtcNow).ToJsonString()));
        using var tampered = _fixture.As($"{parts[0]}.{forged}.{parts[2]}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await tampered.GetAsync("/api/v1/namespaces")).StatusCode);
        using var otherKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        using var foreign = _fixture.As(JsonWebToken.Sign(TokenClaims.User("root", [UserInfo.SystemMasters], DateTimeOffset.UtcNow), otherKey));
        Assert.Equal(HttpStatusCode.Unauthorized, (await foreign.GetAsync("/api/v1/namespaces")).StatusCode);
    }

    [Fact]
    public async Task Access_reviews_and_whoami_answer_for_the_requester_and_for_impersonated_users()
    {
        using var alice = User("alice", "dev");
        var review = await Http.Ok(await alice.PostAsync("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", Http.Body("""
            {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","spec":{"resourceAttributes":{"namespace":"default","verb":"list","resource":"pods"}}}
            """)));
        Assert.False(review["status"]!["allowed"]!.GetValue<bool>());
        var whoami = await Http.Ok(await alice.PostAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews", Http.Body("""{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}""")));
        Assert.Equal("""{"username":"alice","groups":["dev","system:authenticated"]}""", whoami["status"]!["userInfo"]!.ToJsonString());

        var admin = await Http.Ok(await Admin.PostAsync("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", Http.Body("""
            {"spec":{"resourceAttributes":{"verb":"delete","resource":"nodes"}}}
            """)));
        Assert.True(admin["status"]!["allowed"]!.GetValue<bool>());
        var invalid = await Admin.PostAsync("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", Http.Body("""{"spec":{}}"""));
        Assert.Contains("exactly one of nonResourceAttributes or resourceAttributes must be specified", await Http.Failure(invalid, 422, "Invalid"));

        // kubectl --as alice: the admin may impersonate; alice may not impersonate anyone.
        var asAlice = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/default/pods");
        asAlice.Headers.Add("Impersonate-User", "alice");
        Assert.Equal("pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\"",
            await Http.Failure(await Admin.SendAsync(asAlice), 403, "Forbidden"));
        var asBob = new HttpRequestMessage(HttpMethod.Get, "/api/v1/namespaces/default/pods");
        asBob.Headers.Add("Impersonate-User", "bob");
        Assert.Equal("users \"bob\" is forbidden: User \"alice\" cannot impersonate resource \"users\" in API group \"\" at the cluster scope",
            await Http.Failure(await alice.SendAsync(asBob), 403, "Forbidden"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await Admin.GetAsync("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")).StatusCode);
    }

    [Fact]
    public async Task A_token_request_gives_a_service_account_token_that_authenticates_until_the_account_is_deleted()
    {
        await Http.Ok(await Admin.PostAsync("/api/v1/namespaces/default/serviceaccounts", Http.Body("""{"metadata":{"name":"builder"}}""")));
        Assert.Equal("TokenRequest.authentication.k8s.io \"builder\" is invalid: spec.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes",
            await Http.Failure(await Admin.PostAsync("/api/v1/namespaces/default/serviceaccounts/builder/token", Http.Body("""{"spec":{"expirationSeconds":60}}""")), 422, "Invalid"));
        Assert.Equal("serviceaccounts \"nosuch\" not found",
            await Http.Failure(await Admin.PostAsync("/api/v1/namespaces/default/serviceaccounts/nosuch/token", Http.Body("{}")), 404, "NotFound"));

        var response = await Admin.PostAsync("/api/v1/namespaces/default/serviceaccounts/builder/token",
            Http.Body("""{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"expirationSeconds":600}}"""));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var request = await Http.Json(response);
        Assert.Equal(600, request["spec"]!["expirationSeconds"]!.GetValue<long>());
        var token = request["status"]!["token"]!.GetValue<string>();

        using var builder = _fixture.As(token);
        var whoami = await Http.Ok(await builder.PostAsync("/apis/authentication.k8s.io/v1/selfsubjectreviews", Http.Body("{}")));
        Assert.Equal("system:serviceaccount:default:builder", whoami["status"]!["userInfo"]!["username"]!.GetValue<string>());
        Assert.Equal("""["system:serviceaccounts","system:serviceaccounts:default","system:authenticated"]""",
            whoami["status"]!["userInfo"]!["groups"]!.ToJsonString());
        Assert.Equal("serviceaccounts is forbidden: User \"system:serviceaccount:default:builder\" cannot list resource \"serviceaccounts\" in API group \"\" in the namespace \"default\"",
            await Http.Failure(await builder.GetAsync("/api/v1/namespaces/default/serviceaccounts"), 403, "Forbidden"));

        var review = await Http.Ok(await Admin.PostAsync("/apis/authentication.k8s.io/v1/tokenreviews", Http.Body(new JsonObject
        {
            ["spec"] = new JsonObject { ["token"] = token },
        }.ToJsonString())));
        Assert.True(review["status"]!["authenticated"]!.GetValue<bool>());

        await Http.Ok(await Admin.DeleteAsync("/api/v1/namespaces/default/serviceaccounts/builder"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await builder.GetAsync("/api/v1/namespaces/default/pods")).StatusCode);
    }

    [Fact]
    public async Task Roles_and_bindings_are_validated_and_a_user_cannot_grant_rights_it_lacks()
    {
        var invalid = await Admin.PostAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", Http.Body("""
            {"metadata":{"name":"r"},"rules":[{"apiGroups":[""],"resources":["pods"]},{"nonResourceURLs":["/healthz"],"verbs":["get"]}]}
            """));
        Assert.Equal("Role.rbac.authorization.k8s.io \"r\" is invalid: [rules[0].verbs: Required value: verbs must contain at least one value, " +
                     "rules[1].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to non-resource URLs]",
            await Http.Failure(invalid, 422, "Invalid"));
        var badBinding = await Admin.PostAsync("/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", Http.Body("""
            {"metadata":{"name":"b"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"view"},"subjects":[{"kind":"ServiceAccount","name":"x"}]}
            """));
        Assert.Equal("ClusterRoleBinding.rbac.authorization.k8s.io \"b\" is invalid: [roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\", subjects[0].namespace: Required value]",
            await Http.Failure(badBinding, 422, "Invalid"));

        await Http.Ok(await Admin.PostAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", Http.Body("""
            {"metadata":{"name":"dev-view"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
             "subjects":[{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"dev"}]}
            """)));
        var changed = await Admin.Patch("/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings/dev-view",
            """{"roleRef":{"name":"edit"}}""", "application/merge-patch+json");
        Assert.Equal("RoleBinding.rbac.authorization.k8s.io \"dev-view\" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"ClusterRole\", Name:\"edit\"}: cannot change roleRef",
            await Http.Failure(changed, 422, "Invalid"));

        // Bob administers RBAC in default (system:aggregate-to-admin's rules) and nothing else.
        await Http.Ok(await Admin.PostAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", Http.Body("""
            {"metadata":{"name":"bob-rbac"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"system:aggregate-to-admin"},
             "subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"bob"}]}
            """)));
        using var bob = User("bob");
        var escalating = await bob.PostAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", Http.Body("""
            {"metadata":{"name":"nodes"},"rules":[{"apiGroups":[""],"resources":["nodes"],"verbs":["get"]}]}
            """));
        Assert.Equal("roles.rbac.authorization.k8s.io \"nodes\" is forbidden: user \"bob\" (groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not currently held:\n" +
                     "{APIGroups:[\"\"], Resources:[\"nodes\"], Verbs:[\"get\"]}", await Http.Failure(escalating, 403, "Forbidden"));
        await Http.Ok(await bob.PostAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", Http.Body("""
            {"metadata":{"name":"rb-reader"},"rules":[{"apiGroups":["rbac.authorization.k8s.io"],"resources":["rolebindings"],"verbs":["get"]}]}
            """)));
    }

    [Fact]
    public async Task Subject_and_rules_reviews_answer_for_another_subject_and_list_the_requesters_rules()
    {
        await Http.Ok(await Admin.PostAsync("/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", Http.Body("""
            {"metadata":{"name":"dev-view"},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"view"},
             "subjects":[{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"dev"}]}
            """)));
        const string Body = """{"spec":{"user":"carol","groups":["dev"],"resourceAttributes":{"namespace":"default","verb":"watch","group":"apps","resource":"deployments"}}}""";
        var review = await Http.Ok(await Admin.PostAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews", Http.Body(Body)));
        Assert.True(review["status"]!["allowed"]!.GetValue<bool>());
        var local = await Http.Ok(await Admin.PostAsync("/apis/authorization.k8s.io/v1/namespaces/default/localsubjectaccessreviews", Http.Body(Body)));
        Assert.Equal(("LocalSubjectAccessReview", true), (local["kind"]!.GetValue<string>(), local["status"]!["allowed"]!.GetValue<bool>()));
        Assert.Equal("spec.resourceAttributes.namespace must match namespace: kube-system",
            await Http.Failure(await Admin.PostAsync("/apis/authorization.k8s.io/v1/namespaces/kube-system/localsubjectaccessreviews", Http.Body(Body)), 400, "BadRequest"));
        Assert.Contains("at least one of user or group must be specified",
            await Http.Failure(await Admin.PostAsync("/apis/authorization.k8s.io/v1/subjectaccessreviews",
                Http.Body("""{"spec":{"resourceAttributes":{"verb":"get","resource":"pods"}}}""")), 422, "Invalid"));

        using var dev = User("dave", "dev");
        var rules = await Http.Ok(await dev.PostAsync("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", Http.Body("""{"spec":{"namespace":"default"}}""")));
        var resources = rules["status"]!["resourceRules"]!.AsArray().SelectMany(r => r!["resources"]!.AsArray().Select(x => x!.GetValue<string>())).ToArray();
        Assert.Contains("pods", resources);
        Assert.Contains("selfsubjectaccessreviews", resources);
        Assert.Contains(rules["status"]!["nonResourceRules"]!.AsArray(), r => r!["nonResourceURLs"]!.AsArray().Any(u => u!.GetValue<string>() == "/apis/*"));
        var elsewhere = await Http.Ok(await dev.PostAsync("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews", Http.Body("""{"spec":{"namespace":"kube-system"}}""")));
        Assert.DoesNotContain("pods", elsewhere["status"]!["resourceRules"]!.AsArray().SelectMany(r => r!["resources"]!.AsArray().Select(x => x!.GetValue<string>())));
    }
}
