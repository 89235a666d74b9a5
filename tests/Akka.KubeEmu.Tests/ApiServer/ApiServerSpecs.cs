using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Host.ApiServer.Authentication;
using Akka.KubeEmu.Tests.ApiServer.WritePath;
using Xunit;
using static Akka.KubeEmu.Tests.ApiServer.Http;
using static Akka.KubeEmu.Tests.ApiServer.WritePath.WriteRules;

namespace Akka.KubeEmu.Tests.ApiServer;

public sealed class ApiServerSpecs : IClassFixture<ApiServerFixtureHolder>
{
    private readonly ApiServerFixture _fixture;
    private readonly HttpClient _client;
    private readonly HttpClient _anonymous;

    public ApiServerSpecs(ApiServerFixtureHolder holder)
    {
        _fixture = holder.Fixture;
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

    /// <summary>The groups a typical Helm chart's output needs, each resource with its kind and scope as `kubectl api-resources` shows them.</summary>
    [Theory]
    [InlineData("/apis/policy/v1", "poddisruptionbudgets", "PodDisruptionBudget", true)]
    [InlineData("/apis/networking.k8s.io/v1", "ingresses", "Ingress", true)]
    [InlineData("/apis/networking.k8s.io/v1", "ingressclasses", "IngressClass", false)]
    [InlineData("/apis/networking.k8s.io/v1", "networkpolicies", "NetworkPolicy", true)]
    [InlineData("/apis/scheduling.k8s.io/v1", "priorityclasses", "PriorityClass", false)]
    [InlineData("/apis/node.k8s.io/v1", "runtimeclasses", "RuntimeClass", false)]
    [InlineData("/apis/admissionregistration.k8s.io/v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", false)]
    [InlineData("/apis/autoscaling/v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true)]
    [InlineData("/apis/discovery.k8s.io/v1", "endpointslices", "EndpointSlice", true)]
    [InlineData("/apis/storage.k8s.io/v1", "storageclasses", "StorageClass", false)]
    [InlineData("/api/v1", "resourcequotas", "ResourceQuota", true)]
    [InlineData("/api/v1", "limitranges", "LimitRange", true)]
    [InlineData("/apis/rbac.authorization.k8s.io/v1", "clusterroles", "ClusterRole", false)]
    [InlineData("/apis/apiextensions.k8s.io/v1", "customresourcedefinitions", "CustomResourceDefinition", false)]
    public async Task The_groups_charts_use_are_served_with_their_kinds_and_scopes(string groupVersion, string resource, string kind, bool namespaced)
    {
        var list = await Ok(await _client.GetAsync(groupVersion));
        var served = list["resources"]!.AsArray().SingleOrDefault(r => r!["name"]!.GetValue<string>() == resource);
        Assert.True(served is not null, $"{groupVersion} does not serve {resource}");
        Assert.Equal((kind, namespaced), (served["kind"]!.GetValue<string>(), served["namespaced"]!.GetValue<bool>()));
        await Ok(await _client.GetAsync($"{groupVersion}/{resource}"));
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

    private const string ConfigMaps = "/api/v1/namespaces/default/configmaps";

    private const string PatchTypes =
        "application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml";

    /// <summary>Requests the apiserver refuses, with what a client reads from the Status: code, reason, message.</summary>
    private static readonly Dictionary<string, RefusedWrite> RefusedRows = new()
    {
        ["create: a body of another group's version"] = Refused([],
            Post(ConfigMaps, """{"apiVersion":"apps/v1","kind":"ConfigMap","metadata":{"name":"x"}}"""),
            "the API version in the data (apps/v1) does not match the expected API version (v1)", 400, "BadRequest"),
        ["create: a kind other than the URL's"] = Refused([],
            Post(ConfigMaps, """{"kind":"Secret","metadata":{"name":"x"}}"""),
            "ConfigMap in version \"v1\" cannot be handled as a ConfigMap: the kind in the data (Secret) does not match the expected kind (ConfigMap)",
            400, "BadRequest"),
        ["create: a namespace other than the URL's"] = Refused([],
            Post("/api/v1/namespaces/other/configmaps", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x","namespace":"default"}}"""),
            "the namespace of the provided object does not match the namespace sent on the request", 400, "BadRequest"),
        ["create: in a namespace that does not exist"] = Refused([],
            Post("/api/v1/namespaces/nowhere/configmaps", """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}"""),
            "namespaces \"nowhere\" not found", 404, "NotFound"),
        ["create: a name taken"] = Refused([Post(ConfigMaps, """{"metadata":{"name":"taken"}}""")],
            Post(ConfigMaps, """{"metadata":{"name":"taken"}}"""),
            "configmaps \"taken\" already exists", 409, "AlreadyExists"),
        ["create: a body in a media type the apiserver does not decode"] = Refused([],
            new WriteStep(HttpMethod.Post, ConfigMaps, "{}", "text/plain"),
            "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf",
            415, "UnsupportedMediaType"),
        ["create: POST to an object's path"] = Refused([],
            Post($"{ConfigMaps}/x", "{}"), "the server does not allow this method on the requested resource", 405, "MethodNotAllowed"),
        ["update: a name other than the URL's"] = Refused([],
            Put($"{ConfigMaps}/other", """{"metadata":{"name":"x"}}"""),
            "the name of the object (x) does not match the name on the URL (other)", 400, "BadRequest"),
        ["update: a stale resourceVersion"] = Refused(
            [Post(ConfigMaps, """{"metadata":{"name":"stale"}}"""), MergePatch($"{ConfigMaps}/stale", """{"data":{"a":"1"}}""")],
            Put($"{ConfigMaps}/stale", """{"metadata":{"name":"stale","resourceVersion":"1"}}"""),
            "Operation cannot be fulfilled on configmaps \"stale\": the object has been modified; please apply your changes to the latest version and try again",
            409, "Conflict"),
        ["update: PUT to a collection"] = Refused([],
            Put(ConfigMaps, "{}"), "the server does not allow this method on the requested resource", 405, "MethodNotAllowed"),
        ["patch: a media type that is no patch type, before the object is looked up"] = Refused([],
            new WriteStep(HttpMethod.Patch, $"{ConfigMaps}/absent", "{}", "text/plain"),
            $"the body of the request was in an unknown format - accepted media types include: {PatchTypes}", 415, "UnsupportedMediaType"),
        ["patch: plain JSON is no patch type either"] = Refused([Post(ConfigMaps, """{"metadata":{"name":"json-patched"}}""")],
            new WriteStep(HttpMethod.Patch, $"{ConfigMaps}/json-patched", "{}", "application/json"),
            $"the body of the request was in an unknown format - accepted media types include: {PatchTypes}", 415, "UnsupportedMediaType"),
        ["patch: an object that does not exist"] = Refused([],
            MergePatch($"{ConfigMaps}/absent", "{}"), "configmaps \"absent\" not found", 404, "NotFound"),
        ["get: an object that does not exist"] = Refused([],
            Get($"{ConfigMaps}/absent"), "configmaps \"absent\" not found", 404, "NotFound"),
        ["get: a subresource the kind does not have"] = Refused([],
            Get($"{ConfigMaps}/absent/status"), "the server could not find the requested resource", 404, "NotFound"),
        ["get: a resource the group does not serve"] = Refused([],
            Get("/api/v1/widgets"), "the server could not find the requested resource", 404, "NotFound"),
        ["get: a group that is not served"] = Refused([],
            Get("/apis/nogroup.example.com/v1/things"), "the server could not find the requested resource", 404, "NotFound"),
        ["delete: an object that does not exist"] = Refused([],
            Delete($"{ConfigMaps}/absent"), "configmaps \"absent\" not found", 404, "NotFound"),
        ["list: a field selector on a field pods cannot select on"] = Refused([],
            Get("/api/v1/namespaces/default/pods?fieldSelector=spec.nodeName%3Dn1,foo%3Dbar"), "field label not supported: foo", 400, "BadRequest"),
        ["watch: a field selector on a field pods cannot select on"] = Refused([],
            Get("/api/v1/pods?watch=true&fieldSelector=spec.host%3Dn1"), "field label not supported: spec.host", 400, "BadRequest"),
        ["list: a field selector on a kind that selects on metadata only"] = Refused([],
            Get("/apis/apps/v1/deployments?fieldSelector=spec.replicas%3D3"),
            "\"spec.replicas\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"", 400, "BadRequest"),
        ["deletecollection: a field selector on a field config maps cannot select on"] = Refused([],
            Delete($"{ConfigMaps}?fieldSelector=data.a%3Db"),
            "\"data.a\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"", 400, "BadRequest"),
    };

    public static TheoryData<string> Refusals => new(RefusedRows.Keys);

    [Theory, MemberData(nameof(Refusals))]
    public Task Refused_requests_answer_the_apiservers_status(string row) => WriteRules.Run(_client, RefusedRows[row]);

    [Theory]
    [InlineData("/api/v1/nodes?fieldSelector=spec.unschedulable%3Dtrue,metadata.name%3Dn1")]
    [InlineData("/api/v1/events?fieldSelector=involvedObject.kind%3DPod,reason!%3DKilling")]
    [InlineData("/apis/apps/v1/deployments?fieldSelector=metadata.namespace%3Ddefault")]
    [InlineData("/api/v1/pods?fieldSelector=spec.nodeName%3Dn1,status.phase!%3DRunning")]
    public async Task Field_selectors_on_the_fields_a_kind_selects_on_are_served(string path) =>
        await Ok(await _client.GetAsync(path));

    /// <summary>Bodies that are no object at all: a 400 (worded by the .NET parser, not Go's), and the server goes on.</summary>
    [Fact]
    public async Task Bodies_that_are_not_objects_are_answered_with_a_status_never_a_crash()
    {
        await AssertStatus(await _client.PostAsync(ConfigMaps, Body("{not json")), 400, "BadRequest");
        await AssertStatus(await _client.PostAsync(ConfigMaps, Body("""["a list"]""")), 400, "BadRequest");
        await AssertStatus(await _client.GetAsync($"{ConfigMaps}?labelSelector=a%20in%20(b"), 400, "BadRequest");

        var huge = new string('x', 3 * 1024 * 1024 + 10);
        await AssertStatus(await _client.PostAsync(ConfigMaps,
            Body($$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"huge"},"data":{"a":"{{{huge}}}"}}""")), 413, "RequestEntityTooLarge",
            "Request entity too large: limit is 3145728");

        var afterwards = await _client.GetAsync("/api/v1/namespaces");
        Assert.Equal(HttpStatusCode.OK, afterwards.StatusCode);
    }

    /// <summary>
    /// A generateName prefix is checked by the name's rule before the Store adds the random suffix
    /// (the apiserver lists the generated name's error too, with a suffix no test can know).
    /// </summary>
    [Fact]
    public async Task A_generate_name_prefix_the_name_rule_refuses_is_a_422_and_stores_nothing()
    {
        var message = await Failure(await _client.PostAsync(ConfigMaps, Body("""{"metadata":{"generateName":"Bad_"}}""")), 422, "Invalid");
        Assert.StartsWith("ConfigMap \"Bad_", message);
        Assert.Contains("metadata.generateName: Invalid value: \"Bad_\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters", message);
        Assert.DoesNotContain((await Json(await _client.GetAsync(ConfigMaps)))["items"]!.AsArray(),
            i => i!["metadata"]!["name"]!.GetValue<string>().StartsWith("Bad_", StringComparison.Ordinal));
        await Ok(await _client.PostAsync(ConfigMaps, Body("""{"metadata":{"generateName":"good-"}}""")));
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

    /// <summary>The official clients' usual idiom: a typed model without apiVersion/kind. Whatever is missing or empty comes from the URL.</summary>
    [Theory]
    [InlineData("/api/v1/namespaces/default/configmaps", """{"metadata":{"name":"typeless"},"data":{"a":"b"}}""", "v1", "ConfigMap")]
    [InlineData("/api/v1/namespaces/default/configmaps", """{"apiVersion":"v1","metadata":{"name":"kindless"}}""", "v1", "ConfigMap")]
    [InlineData("/api/v1/namespaces/default/configmaps", """{"kind":"ConfigMap","metadata":{"name":"versionless"}}""", "v1", "ConfigMap")]
    [InlineData("/api/v1/namespaces", """{"metadata":{"name":"typeless-ns"}}""", "v1", "Namespace")]
    [InlineData("/apis/apps/v1/namespaces/default/deployments", """
        {"kind":"","metadata":{"name":"typeless"},"spec":{"selector":{"matchLabels":{"a":"b"}},
         "template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}
        """, "apps/v1", "Deployment")]
    [InlineData("/apis/rbac.authorization.k8s.io/v1/clusterroles", """{"metadata":{"name":"typeless"},"rules":[]}""", "rbac.authorization.k8s.io/v1", "ClusterRole")]
    public async Task A_body_without_apiVersion_or_kind_takes_them_from_the_url_as_the_official_clients_expect(string collection, string body, string apiVersion, string kind)
    {
        var created = await _client.PostAsync(collection, Body(body));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var answer = await Json(created);
        Assert.Equal((apiVersion, kind), (answer["apiVersion"]!.GetValue<string>(), answer["kind"]!.GetValue<string>()));

        // An update of the answer stripped of both is the same idiom.
        answer.Remove("apiVersion");
        answer.Remove("kind");
        var name = answer["metadata"]!["name"]!.GetValue<string>();
        var updated = await Ok(await _client.PutAsync($"{collection}/{name}", Body(answer.ToJsonString())));
        Assert.Equal((apiVersion, kind), (updated["apiVersion"]!.GetValue<string>(), updated["kind"]!.GetValue<string>()));
    }

    /// <summary>
    /// A kind's collection, a body to create there, and what its DELETE answers: the object of
    /// <paramref name="Kind"/>, or (a lower-case resource) a Success Status whose details name it.
    /// </summary>
    public sealed record DeleteAnswer(string Collection, string Body, string Kind, string? StatusGroup = null, string Query = "");

    /// <summary>
    /// The registries built with ReturnDeletedObject answer the deleted object, every other one a
    /// Success Status; an object a finalizer still holds answers itself.
    /// </summary>
    private static readonly Dictionary<string, DeleteAnswer> DeleteRows = new()
    {
        ["service"] = new("/api/v1/namespaces/default/services", """{"metadata":{"name":"gone-svc"},"spec":{"ports":[{"port":80}]}}""", "Service"),
        ["service account"] = new("/api/v1/namespaces/default/serviceaccounts", """{"metadata":{"name":"gone-sa"}}""", "ServiceAccount"),
        ["persistent volume claim"] = new("/api/v1/namespaces/default/persistentvolumeclaims",
            """{"metadata":{"name":"gone-pvc"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}""", "PersistentVolumeClaim"),
        ["persistent volume"] = new("/api/v1/persistentvolumes",
            """{"metadata":{"name":"gone-pv"},"spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],"hostPath":{"path":"/tmp/gone"}}}""", "PersistentVolume"),
        ["pod, without grace"] = new("/api/v1/namespaces/default/pods",
            """{"metadata":{"name":"gone-pod"},"spec":{"containers":[{"name":"c","image":"nginx"}]}}""", "Pod", Query: "?gracePeriodSeconds=0"),
        ["CSI driver"] = new("/apis/storage.k8s.io/v1/csidrivers", """{"metadata":{"name":"gone.example.com"},"spec":{}}""", "CSIDriver"),
        ["resource quota"] = new("/api/v1/namespaces/default/resourcequotas", """{"metadata":{"name":"gone-rq"},"spec":{"hard":{"pods":"10"}}}""", "ResourceQuota"),
        ["namespace"] = new("/api/v1/namespaces", """{"metadata":{"name":"gone-ns"}}""", "Namespace"),
        ["storage class"] = new("/apis/storage.k8s.io/v1/storageclasses", """{"metadata":{"name":"gone-sc"},"provisioner":"example.com/gone"}""", "StorageClass"),
        ["config map"] = new("/api/v1/namespaces/default/configmaps", """{"metadata":{"name":"gone-cm"}}""", "configmaps"),
        ["secret"] = new("/api/v1/namespaces/default/secrets", """{"metadata":{"name":"gone-secret"}}""", "secrets"),
        ["deployment"] = new("/apis/apps/v1/namespaces/default/deployments", """
            {"metadata":{"name":"gone-deploy"},"spec":{"selector":{"matchLabels":{"a":"b"}},
             "template":{"metadata":{"labels":{"a":"b"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}
            """, "deployments", "apps"),
        ["role"] = new("/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", """{"metadata":{"name":"gone-role"},"rules":[]}""",
            "roles", "rbac.authorization.k8s.io"),
        ["config map a finalizer holds"] = new("/api/v1/namespaces/default/configmaps",
            """{"metadata":{"name":"held-cm","finalizers":["example.com/hold"]}}""", "ConfigMap"),
    };

    public static TheoryData<string> DeleteKinds => new(DeleteRows.Keys);

    [Theory, MemberData(nameof(DeleteKinds))]
    public async Task A_delete_answers_the_object_or_a_success_status_as_the_kinds_registry_does(string row)
    {
        var (collection, body, kind, group, query) = DeleteRows[row];
        var name = (await Ok(await _client.PostAsync(collection, Body(body))))["metadata"]!["name"]!.GetValue<string>();
        var answer = await Ok(await _client.DeleteAsync($"{collection}/{name}{query}"));
        if (char.IsUpper(kind[0]))
        {
            Assert.Equal((kind, name), (answer["kind"]!.GetValue<string>(), answer["metadata"]!["name"]!.GetValue<string>()));
            return;
        }
        // The details name the resource (not the kind) and its group, left out for the core group.
        var details = answer["details"]!.AsObject();
        Assert.Equal(("Status", "Success", name, kind, group),
            (answer["kind"]!.GetValue<string>(), answer["status"]!.GetValue<string>(), details["name"]!.GetValue<string>(),
             details["kind"]!.GetValue<string>(), details.TryGetPropertyValue("group", out var g) ? g?.GetValue<string>() : null));
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

    /// <summary>
    /// Boolean query parameters as apimachinery converts them (Convert_Slice_string_To_bool): only
    /// "0" and "false" in any case are false, any other value (the Python client's "True", an empty
    /// one) is true. Shown with watch: a stream of events, or a list.
    /// </summary>
    [Theory]
    [InlineData("watch=true", true)]
    [InlineData("watch=True", true)]
    [InlineData("watch=TRUE", true)]
    [InlineData("watch=1", true)]
    [InlineData("watch=yes", true)]
    [InlineData("watch=", true)]
    [InlineData("watch", true)]
    [InlineData("watch=false", false)]
    [InlineData("watch=False", false)]
    [InlineData("watch=FALSE", false)]
    [InlineData("watch=0", false)]
    [InlineData("", false)]
    public async Task Boolean_query_parameters_are_false_only_for_0_and_false_in_any_case(string query, bool watch)
    {
        // Namespaces exist from the start: a watch without a resourceVersion begins with them as ADDED events.
        using var response = await _client.GetAsync($"/api/v1/namespaces?{query}&timeoutSeconds=5", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        if (watch)
        {
            var first = JsonNode.Parse((await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)))!)!;
            Assert.Equal(("ADDED", "Namespace"), (first["type"]?.GetValue<string>(), first["object"]?["kind"]?.GetValue<string>()));
        }
        else
        {
            var list = JsonNode.Parse(await reader.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10)))!;
            Assert.Equal("NamespaceList", list["kind"]?.GetValue<string>());
        }
    }

    /// <summary>
    /// RBAC's Forbidden as the apiserver words it (forbiddenMessage): the resource qualified by its
    /// group, the object's name when there is one, the subresource, the verb, the namespace or the
    /// cluster scope; a non-resource path by its path. The user here is bound to nothing.
    /// </summary>
    private static readonly Dictionary<string, RefusedWrite> ForbiddenRows = new()
    {
        ["list in a namespace"] = Forbidden(Get("/api/v1/namespaces/default/pods"),
            "pods is forbidden: User \"carol\" cannot list resource \"pods\" in API group \"\" in the namespace \"default\""),
        ["list across namespaces"] = Forbidden(Get("/api/v1/pods"),
            "pods is forbidden: User \"carol\" cannot list resource \"pods\" in API group \"\" at the cluster scope"),
        ["get a named object"] = Forbidden(Get("/api/v1/namespaces/default/pods/web"),
            "pods \"web\" is forbidden: User \"carol\" cannot get resource \"pods\" in API group \"\" in the namespace \"default\""),
        ["get a subresource"] = Forbidden(Get("/api/v1/namespaces/default/pods/web/log"),
            "pods \"web\" is forbidden: User \"carol\" cannot get resource \"pods/log\" in API group \"\" in the namespace \"default\""),
        ["list a cluster-scoped kind"] = Forbidden(Get("/api/v1/nodes"),
            "nodes is forbidden: User \"carol\" cannot list resource \"nodes\" in API group \"\" at the cluster scope"),
        ["watch in a group"] = Forbidden(Get("/apis/apps/v1/namespaces/default/deployments?watch=true"),
            "deployments.apps is forbidden: User \"carol\" cannot watch resource \"deployments\" in API group \"apps\" in the namespace \"default\""),
        ["create"] = Forbidden(Post("/api/v1/namespaces/default/configmaps", """{"metadata":{"name":"x"}}"""),
            "configmaps is forbidden: User \"carol\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"default\""),
        ["patch"] = Forbidden(MergePatch("/api/v1/namespaces/default/configmaps/x", "{}"),
            "configmaps \"x\" is forbidden: User \"carol\" cannot patch resource \"configmaps\" in API group \"\" in the namespace \"default\""),
        ["update a group's subresource"] = Forbidden(Put("/apis/apps/v1/namespaces/default/deployments/web/scale", "{}"),
            "deployments.apps \"web\" is forbidden: User \"carol\" cannot update resource \"deployments/scale\" in API group \"apps\" in the namespace \"default\""),
        ["delete a collection"] = Forbidden(Delete("/api/v1/namespaces/default/configmaps"),
            "configmaps is forbidden: User \"carol\" cannot deletecollection resource \"configmaps\" in API group \"\" in the namespace \"default\""),
        ["a non-resource path"] = Forbidden(Get("/metrics"), "forbidden: User \"carol\" cannot get path \"/metrics\""),
    };

    private static RefusedWrite Forbidden(WriteStep request, string message) => Refused([], request, message, 403, "Forbidden");

    public static TheoryData<string> ForbiddenRequests => new(ForbiddenRows.Keys);

    [Theory, MemberData(nameof(ForbiddenRequests))]
    public async Task A_user_without_bindings_is_forbidden_in_the_apiservers_words(string row)
    {
        using var carol = _fixture.As(JsonWebToken.Sign(TokenClaims.User("carol", [], DateTimeOffset.UtcNow), _fixture.SigningKey));
        await WriteRules.Run(carol, ForbiddenRows[row]);
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
