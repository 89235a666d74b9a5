using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Akka.KubeEmu.Tests.ApiServer;

public sealed class ApiServerSpecs : IClassFixture<ApiServerFixtureHolder>
{
    private readonly HttpClient _client;
    private readonly HttpClient _anonymous;

    public ApiServerSpecs(ApiServerFixtureHolder holder)
    {
        _client = holder.Fixture.Client;
        _anonymous = holder.Fixture.Anonymous;
    }

    private static StringContent Body(string json, string type = "application/json") => new(json, Encoding.UTF8, type);

    private static async Task<JsonObject> Json(HttpResponseMessage r) => JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsObject();

    private static async Task AssertStatus(HttpResponseMessage response, int code, string reason, string? messageContains = null)
    {
        Assert.Equal(code, (int)response.StatusCode);
        var status = await Json(response);
        Assert.Equal("Status", status["kind"]!.GetValue<string>());
        Assert.Equal("Failure", status["status"]!.GetValue<string>());
        Assert.Equal(reason, status["reason"]!.GetValue<string>());
        Assert.Equal(code, status["code"]!.GetValue<int>());
        if (messageContains is not null) Assert.Contains(messageContains, status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Requests_without_the_bearer_token_get_401_but_version_is_public()
    {
        await AssertStatus(await _anonymous.GetAsync("/api/v1/namespaces"), 401, "Unauthorized");
        var version = await Json(await _anonymous.GetAsync("/version"));
        Assert.Equal("v1.32.4", version["gitVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task Discovery_lists_the_groups_and_resources_kubectl_needs()
    {
        var groups = await Json(await _client.GetAsync("/apis"));
        var names = groups["groups"]!.AsArray().Select(g => g!["name"]!.GetValue<string>()).ToArray();
        // Custom resource groups other specs of this process define (*.kubeemu.test) come and go.
        Assert.Equal(["admissionregistration.k8s.io", "apiextensions.k8s.io", "apps", "authentication.k8s.io", "authorization.k8s.io", "autoscaling", "batch",
            "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io", "networking.k8s.io", "node.k8s.io", "policy", "rbac.authorization.k8s.io",
            "scheduling.k8s.io", "storage.k8s.io"],
            names.Where(n => !n.EndsWith(".kubeemu.test", StringComparison.Ordinal)).Order());

        var core = await Json(await _client.GetAsync("/api/v1"));
        var pods = core["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "pods")!;
        Assert.Equal("Pod", pods["kind"]!.GetValue<string>());
        Assert.True(pods["namespaced"]!.GetValue<bool>());
        Assert.Contains("po", pods["shortNames"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Contains(core["resources"]!.AsArray(), r => r!["name"]!.GetValue<string>() == "pods/binding");
    }

    [Fact]
    public async Task Discovery_lists_resources_and_subresources_sorted_by_path_as_kube_apiservers_installer_does()
    {
        var names = (await Json(await _client.GetAsync("/api/v1")))["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToArray();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
        Assert.Equal(["pods", "pods/attach", "pods/binding", "pods/ephemeralcontainers", "pods/eviction", "pods/exec", "pods/log", "pods/portforward", "pods/status"], names.Where(n => n.StartsWith("pods", StringComparison.Ordinal)));
        Assert.True(Array.IndexOf(names, "replicationcontrollers") < Array.IndexOf(names, "services"), "kubectl get all shows rc before services");
    }

    [Fact]
    public async Task Aggregated_discovery_is_served_when_asked_for_as_kubectl_1_32_does()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/apis");
        request.Headers.TryAddWithoutValidation("Accept",
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json");
        using var response = await _client.SendAsync(request);
        Assert.Equal("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", response.Content.Headers.ContentType!.ToString().Replace(" ", ""));
        var doc = await Json(response);
        Assert.Equal("APIGroupDiscoveryList", doc["kind"]!.GetValue<string>());
        var apps = doc["items"]!.AsArray().Single(i => i!["metadata"]!["name"]!.GetValue<string>() == "apps")!;
        var deployments = apps["versions"]![0]!["resources"]!.AsArray().Single(r => r!["resource"]!.GetValue<string>() == "deployments")!;
        Assert.Equal("Namespaced", deployments["scope"]!.GetValue<string>());
        Assert.Equal("Deployment", deployments["responseKind"]!["kind"]!.GetValue<string>());
        Assert.Contains(deployments["subresources"]!.AsArray(), s => s!["subresource"]!.GetValue<string>() == "scale");
    }

    [Fact]
    public async Task Create_get_conflict_and_delete_answer_like_kube_apiserver()
    {
        var created = await _client.PostAsync("/api/v1/namespaces/default/configmaps",
            Body("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"crud"},"data":{"a":"b"}}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var obj = await Json(created);
        Assert.Equal("default", obj["metadata"]!["namespace"]!.GetValue<string>());

        await AssertStatus(await _client.PostAsync("/api/v1/namespaces/default/configmaps",
            Body("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"crud"}}""")), 409, "AlreadyExists", "configmaps \"crud\" already exists");

        var stale = obj.DeepClone().AsObject();
        stale["metadata"]!["resourceVersion"] = "1";
        await AssertStatus(await _client.PutAsync("/api/v1/namespaces/default/configmaps/crud", Body(stale.ToJsonString())),
            409, "Conflict", "the object has been modified");

        var deleted = await _client.DeleteAsync("/api/v1/namespaces/default/configmaps/crud");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal("Success", (await Json(deleted))["status"]!.GetValue<string>());
        await AssertStatus(await _client.GetAsync("/api/v1/namespaces/default/configmaps/crud"), 404, "NotFound", "configmaps \"crud\" not found");
    }

    [Fact]
    public async Task Bad_input_is_answered_with_a_status_never_a_crash()
    {
        await AssertStatus(await _client.PostAsync("/api/v1/namespaces/default/configmaps", Body("{not json")), 400, "BadRequest");
        await AssertStatus(await _client.PostAsync("/api/v1/namespaces/default/configmaps", Body("""["a list"]""")), 400, "BadRequest");
        await AssertStatus(await _client.PostAsync("/api/v1/namespaces/default/configmaps",
            Body("""{"apiVersion":"apps/v1","kind":"ConfigMap","metadata":{"name":"x"}}""")), 400, "BadRequest", "does not match the expected API version");
        await AssertStatus(await _client.PostAsync("/api/v1/namespaces/other/configmaps",
            Body("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"default"}}""")), 400, "BadRequest",
            "the namespace of the provided object does not match the namespace sent on the request");
        await AssertStatus(await _client.PostAsync("/api/v1/namespaces/nowhere/configmaps",
            Body("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}""")), 404, "NotFound", "namespaces \"nowhere\" not found");
        await AssertStatus(await _client.GetAsync("/api/v1/widgets"), 404, "NotFound");
        await AssertStatus(await _client.GetAsync("/api/v1/namespaces/default/configmaps?labelSelector=a%20in%20(b"), 400, "BadRequest");

        var huge = new string('x', 3 * 1024 * 1024 + 10);
        await AssertStatus(await _client.PostAsync("/api/v1/namespaces/default/configmaps",
            Body($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"huge"},"data":{"a":"{{{huge}}}"}}""")), 413, "RequestEntityTooLarge",
            "Request entity too large: limit is 3145728");

        var afterwards = await _client.GetAsync("/api/v1/namespaces");
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
    }

    [Fact]
    public async Task A_field_selector_on_a_field_the_kind_cannot_select_on_is_a_400_for_lists_watches_and_collection_deletes()
    {
        await AssertStatus(await _client.GetAsync("/api/v1/namespaces/default/pods?fieldSelector=spec.nodeName%3Dn1,foo%3Dbar"), 400, "BadRequest",
            "field label not supported: foo");
        await AssertStatus(await _client.GetAsync("/api/v1/pods?watch=true&fieldSelector=spec.host%3Dn1"), 400, "BadRequest",
            "field label not supported: spec.host");
        await AssertStatus(await _client.GetAsync("/apis/apps/v1/deployments?fieldSelector=spec.replicas%3D3"), 400, "BadRequest",
            "\"spec.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"");
        await AssertStatus(await _client.DeleteAsync("/api/v1/namespaces/default/configmaps?fieldSelector=data.a%3Db"), 400, "BadRequest",
            "\"data.a\" is not a known field selector");

        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/api/v1/nodes?fieldSelector=spec.unschedulable%3Dtrue,metadata.name%3Dn1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/api/v1/events?fieldSelector=involvedObject.kind%3DPod,reason!%3DKilling")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _client.GetAsync("/apis/apps/v1/deployments?fieldSelector=metadata.namespace%3Ddefault")).StatusCode);
    }

    [Fact]
    public async Task A_field_given_twice_is_refused_when_strict_warned_about_otherwise_and_the_last_value_counts()
    {
        const string body = """
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"twice","name":"dupe"},"data":{"a":"1","a":"2"},"dta":{}}
            """;
        // kubectl's default (--validate=strict): the apiserver's strict decoding error.
        await AssertStatus(await _client.PostAsync("/api/v1/namespaces/default/configmaps?fieldValidation=Strict", Body(body)), 400, "BadRequest",
            "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: duplicate field \"metadata.name\", " +
            "duplicate field \"data.a\", unknown field \"dta\"");

        var warned = await _client.PostAsync("/api/v1/namespaces/default/configmaps", Body(body));
        Assert.Equal(HttpStatusCode.Created, warned.StatusCode);
        Assert.Equal(["299 - \"duplicate field \\\"metadata.name\\\"\"", "299 - \"duplicate field \\\"data.a\\\"\"", "299 - \"unknown field \\\"dta\\\"\""],
            warned.Headers.GetValues("Warning"));
        var created = await Json(warned);
        Assert.Equal("dupe", created["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("2", created["data"]!["a"]!.GetValue<string>());

        var ignored = await _client.PostAsync("/api/v1/namespaces/default/configmaps?fieldValidation=Ignore",
            Body("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","name":"ignored"}}"""));
        Assert.Equal(HttpStatusCode.Created, ignored.StatusCode);
        Assert.False(ignored.Headers.Contains("Warning"));

        // A patch naming a field twice is applied, last value first, and never crashes the server.
        var patch = new HttpRequestMessage(HttpMethod.Patch, "/api/v1/namespaces/default/configmaps/dupe")
        {
            Content = Body("""{"data":{"b":"1","b":"3"}}""", "application/merge-patch+json"),
        };
        var patched = await _client.SendAsync(patch);
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        Assert.Equal("3", (await Json(patched))["data"]!["b"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_body_without_apiVersion_and_kind_takes_them_from_the_url_as_the_official_clients_expect()
    {
        var created = await _client.PostAsync("/api/v1/namespaces/default/configmaps", Body("""{"metadata":{"name":"typeless"},"data":{"a":"b"}}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await Json(created);
        Assert.Equal(("v1", "ConfigMap"), (body["apiVersion"]!.GetValue<string>(), body["kind"]!.GetValue<string>()));

        var deployment = await _client.PostAsync("/apis/apps/v1/namespaces/default/deployments", Body("""
            {"kind":"","metadata":{"name":"typeless"},"spec":{"selector":{"matchLabels":{"a":"b"}},
             "template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}
            """));
        Assert.Equal(HttpStatusCode.Created, deployment.StatusCode);
        Assert.Equal("apps/v1", (await Json(deployment))["apiVersion"]!.GetValue<string>());

        // A type that is given must still be the URL's.
        await AssertStatus(await _client.PostAsync("/api/v1/namespaces/default/configmaps", Body("""{"kind":"Secret","metadata":{"name":"x"}}""")),
            400, "BadRequest", "the kind in the data (Secret) does not match the expected kind (ConfigMap)");
    }

    [Fact]
    public async Task Deleting_a_service_or_service_account_answers_the_object_and_a_config_map_a_status()
    {
        foreach (var (path, body, kind) in new[]
                 {
                     ("/api/v1/namespaces/default/services", """{"metadata":{"name":"gone"},"spec":{"ports":[{"port":80}]}}""", "Service"),
                     ("/api/v1/namespaces/default/serviceaccounts", """{"metadata":{"name":"gone"}}""", "ServiceAccount"),
                     ("/api/v1/namespaces/default/configmaps", """{"metadata":{"name":"gone"}}""", "Status"),
                 })
        {
            Assert.Equal(HttpStatusCode.Created, (await _client.PostAsync(path, Body(body))).StatusCode);
            var deleted = await _client.DeleteAsync(path + "/gone");
            Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
            var answer = await Json(deleted);
            Assert.Equal(kind, answer["kind"]!.GetValue<string>());
            if (kind != "Status") Assert.Equal("gone", answer["metadata"]!["name"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Yaml_bodies_are_accepted()
    {
        var created = await _client.PostAsync("/api/v1/namespaces/default/configmaps",
            Body("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  port: \"80\"\n", "application/yaml"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("80", (await Json(created))["data"]!["port"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_watch_streams_changes_as_json_lines()
    {
        var list = await Json(await _client.GetAsync("/api/v1/namespaces/default/configmaps?watch=False"));
        Assert.Equal("ConfigMapList", list["kind"]!.GetValue<string>());
        var rv = list["metadata"]!["resourceVersion"]!.GetValue<string>();
        // Booleans as apimachinery reads them: the Python client sends "True".
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/namespaces/default/configmaps?watch=True&resourceVersion={rv}&timeoutSeconds=20");
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        await _client.PostAsync("/api/v1/namespaces/default/configmaps", Body("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"watched"}}"""));
        var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        var ev = JsonNode.Parse(line!)!;
        Assert.Equal("ADDED", ev["type"]!.GetValue<string>());
        Assert.Equal("watched", ev["object"]!["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_invalid_resource_version_is_a_400()
    {
        using var response = await _client.GetAsync("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=-5", HttpCompletionOption.ResponseHeadersRead);
        await AssertStatus(response, 400, "BadRequest");
    }

    [Fact]
    public async Task A_watch_from_a_compacted_resource_version_gets_an_ERROR_event_with_410_Expired()
    {
        for (var i = 0; i < ApiServerFixtureHolder.WatchWindow + 5; i++)
            await _client.PostAsync("/api/v1/namespaces/default/configmaps", Body($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"fill-{{{i}}}"}}"""));

        using var response = await _client.GetAsync("/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=1", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ev = JsonNode.Parse((await new StreamReader(await response.Content.ReadAsStreamAsync()).ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)))!)!;
        Assert.Equal("ERROR", ev["type"]!.GetValue<string>());
        Assert.Equal(410, ev["object"]!["code"]!.GetValue<int>());
        Assert.Equal("Expired", ev["object"]!["reason"]!.GetValue<string>());
        Assert.StartsWith("too old resource version: 1 (", ev["object"]!["message"]!.GetValue<string>());
    }
}

/// <summary>One API server for all tests of the class.</summary>
public sealed class ApiServerFixtureHolder : IAsyncLifetime
{
    public const int WatchWindow = 50;

    public ApiServerFixture Fixture { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Fixture = new ApiServerFixture(WatchWindow);
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => Fixture.DisposeAsync().AsTask();
}
