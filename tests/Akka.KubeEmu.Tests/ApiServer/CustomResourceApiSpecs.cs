using System.Text.Json.Nodes;
using Xunit;
using static Akka.KubeEmu.Tests.ApiServer.Http;

namespace Akka.KubeEmu.Tests.ApiServer;

/// <summary>
/// CustomResourceDefinitions through the in-process API server: each spec defines its own group
/// (*.kubeemu.test), since the served custom resources are the process's.
/// </summary>
public sealed class CustomResourceApiSpecs : IClassFixture<ApiServerFixtureHolder>
{
    private readonly HttpClient _client;

    public CustomResourceApiSpecs(ApiServerFixtureHolder holder) => _client = holder.Fixture.Client;

    private static string Definition(string group, string scope = "Namespaced", string extraVersion = "", string validations = "") => """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.@@0@@"},
         "spec":{"group":"@@1@@","scope":"@@2@@","names":{"plural":"widgets","kind":"Widget","shortNames":["wd"]},
          "versions":[@@3@@{"name":"v1","served":true,"storage":true,
            "schema":{"openAPIV3Schema":{"type":"object","properties":{
              "spec":{"type":"object","required":["size"]@@4@@,"properties":{"size":{"type":"integer","minimum":1,"default":1},"color":{"type":"string","default":"blue"}}},
              "status":{"type":"object","properties":{"replicas":{"type":"integer"}}}}}},
            "subresources":{"status":{},"scale":{"specReplicasPath":".spec.size","statusReplicasPath":".status.replicas"}},
            "additionalPrinterColumns":[{"name":"Size","type":"integer","jsonPath":".spec.size"}]}]}}
        """.Replace("@@0@@", group).Replace("@@1@@", group).Replace("@@2@@", scope).Replace("@@3@@", extraVersion).Replace("@@4@@", validations);

    private async Task Define(string group, string scope = "Namespaced", string extraVersion = "", string validations = "")
    {
        var crd = await Ok(await _client.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", Body(Definition(group, scope, extraVersion, validations))));
        var conditions = crd["status"]!["conditions"]!.AsArray().ToDictionary(c => c!["type"]!.GetValue<string>(), c => c!["status"]!.GetValue<string>());
        Assert.Equal("True", conditions["Established"]);
        Assert.Equal("True", conditions["NamesAccepted"]);
    }

    private static string Widget(string group, string name, string spec = """{"size":2}""", string version = "v1") =>
        """{"apiVersion":"@@0@@/@@1@@","kind":"Widget","metadata":{"name":"@@2@@","labels":{"tier":"@@3@@"}},"spec":@@4@@}""".Replace("@@0@@", group).Replace("@@1@@", version).Replace("@@2@@", name).Replace("@@3@@", name).Replace("@@4@@", spec);

    [Fact]
    public async Task A_definition_is_established_and_its_resource_appears_in_discovery()
    {
        const string group = "discovery.kubeemu.test";
        await Define(group);
        var resources = await Json(await _client.GetAsync($"/apis/{group}/v1"));
        Assert.Equal(["widgets", "widgets/scale", "widgets/status"], resources["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
        var groups = await Json(await _client.GetAsync("/apis"));
        Assert.Contains(groups["groups"]!.AsArray(), g => g!["name"]!.GetValue<string>() == group);
        var openapi = await Json(await _client.GetAsync($"/openapi/v3/apis/{group}/v1"));
        Assert.NotNull(openapi["components"]!["schemas"]!["test.kubeemu.discovery.v1.Widget"]!["properties"]!["spec"]);
    }

    [Fact]
    public async Task A_definition_whose_name_is_not_plural_dot_group_is_refused_with_422()
    {
        var body = Definition("naming.kubeemu.test").Replace("\"name\":\"widgets.naming.kubeemu.test\"", "\"name\":\"gadgets.naming.kubeemu.test\"");
        var message = await Failure(await _client.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", Body(body)), 422, "Invalid");
        Assert.Equal("CustomResourceDefinition.apiextensions.k8s.io \"gadgets.naming.kubeemu.test\" is invalid: metadata.name: Invalid value: \"gadgets.naming.kubeemu.test\": must be spec.names.plural+\".\"+spec.group", message);
    }

    [Fact]
    public async Task Custom_objects_are_defaulted_pruned_validated_listed_by_label_and_conflict_like_built_ins()
    {
        const string group = "crud.kubeemu.test";
        await Define(group);
        var path = $"/apis/{group}/v1/namespaces/default/widgets";
        var created = await Ok(await _client.PostAsync(path, Body(Widget(group, "a", """{"size":2,"unknown":true}"""))));
        Assert.Equal("""{"size":2,"color":"blue"}""", created["spec"]!.ToJsonString());
        Assert.Equal(1, created["metadata"]!["generation"]!.GetValue<int>());
        await Ok(await _client.PostAsync(path, Body(Widget(group, "b"))));

        var invalid = await Failure(await _client.PostAsync(path, Body(Widget(group, "c", """{"size":"big"}"""))), 422, "Invalid");
        Assert.Equal($"Widget.{group} \"c\" is invalid: spec.size: Invalid value: \"string\": spec.size in body must be of type integer: \"string\"", invalid);
        await Failure(await _client.PostAsync(path, Body(Widget(group, "a"))), 409, "AlreadyExists");
        Assert.Equal($"widgets.{group} \"nope\" not found", await Failure(await _client.GetAsync(path + "/nope"), 404, "NotFound"));

        var list = await Ok(await _client.GetAsync(path + "?labelSelector=tier%3Db"));
        Assert.Equal(("WidgetList", "b"), (list["kind"]!.GetValue<string>(), list["items"]!.AsArray().Single()!["metadata"]!["name"]!.GetValue<string>()));
        var byName = await Ok(await _client.GetAsync($"/apis/{group}/v1/widgets?fieldSelector=metadata.name%3Da"));
        Assert.Single(byName["items"]!.AsArray());

        var stale = created.DeepClone().AsObject();
        stale["spec"]!["size"] = 3;
        await Ok(await _client.PutAsync(path + "/a", Body(stale.ToJsonString())));
        await Failure(await _client.PutAsync(path + "/a", Body(stale.ToJsonString())), 409, "Conflict");

        await Ok(await _client.DeleteAsync(path + "/b"));
        await Failure(await _client.GetAsync(path + "/b"), 404, "NotFound");
    }

    [Fact]
    public async Task Patches_merge_and_json_apply_but_strategic_merge_is_refused_with_415()
    {
        const string group = "patch.kubeemu.test";
        await Define(group);
        var path = $"/apis/{group}/v1/namespaces/default/widgets";
        await Ok(await _client.PostAsync(path, Body(Widget(group, "p"))));
        var merged = await Ok(await _client.Patch(path + "/p", """{"spec":{"color":"red"}}""", "application/merge-patch+json"));
        Assert.Equal("red", merged["spec"]!["color"]!.GetValue<string>());
        Assert.Equal(2, merged["metadata"]!["generation"]!.GetValue<int>());
        var patched = await Ok(await _client.Patch(path + "/p", """[{"op":"replace","path":"/spec/size","value":5}]""", "application/json-patch+json"));
        Assert.Equal(5, patched["spec"]!["size"]!.GetValue<int>());
        var refused = await Failure(await _client.Patch(path + "/p", """{"spec":{"size":6}}""", "application/strategic-merge-patch+json"), 415, "UnsupportedMediaType");
        Assert.Equal("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml", refused);
        await Failure(await _client.Patch(path + "/p", """{"spec":{"size":0}}""", "application/merge-patch+json"), 422, "Invalid");
    }

    [Fact]
    public async Task Custom_objects_take_server_side_apply_by_their_schema()
    {
        const string group = "apply.kubeemu.test";
        await Define(group);
        var path = $"/apis/{group}/v1/namespaces/default/widgets";
        var created = await Ok(await _client.Patch(path + "/a?fieldManager=operator", Widget(group, "a", """{"size":3}"""), "application/apply-patch+yaml"));
        Assert.Equal((3, "blue"), (created["spec"]!["size"]!.GetValue<int>(), created["spec"]!["color"]!.GetValue<string>()));
        var owned = created["metadata"]!["managedFields"]![0]!["fieldsV1"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"f:metadata":{"f:labels":{"f:tier":{}}},"f:spec":{"f:size":{}}}"""), owned), owned.ToJsonString());

        var conflict = await Failure(await _client.Patch(path + "/a?fieldManager=other", Widget(group, "a", """{"size":4}"""), "application/apply-patch+yaml"), 409, "Conflict");
        Assert.Equal("Apply failed with 1 conflict: conflict with \"operator\": .spec.size", conflict);
    }

    [Fact]
    public async Task Status_and_scale_subresources_write_only_their_part()
    {
        const string group = "status.kubeemu.test";
        await Define(group);
        var path = $"/apis/{group}/v1/namespaces/default/widgets";
        var created = await Ok(await _client.PostAsync(path, Body(Widget(group, "s").Replace("\"spec\":", "\"status\":{\"replicas\":7},\"spec\":"))));
        Assert.Null(created["status"]);

        var status = await Ok(await _client.Patch(path + "/s/status", """{"status":{"replicas":2},"spec":{"size":9}}""", "application/merge-patch+json"));
        Assert.Equal((2, 2, 1), (status["status"]!["replicas"]!.GetValue<int>(), status["spec"]!["size"]!.GetValue<int>(), status["metadata"]!["generation"]!.GetValue<int>()));
        var main = await Ok(await _client.Patch(path + "/s", """{"status":{"replicas":5}}""", "application/merge-patch+json"));
        Assert.Equal(2, main["status"]!["replicas"]!.GetValue<int>());

        var scale = await Ok(await _client.GetAsync(path + "/s/scale"));
        Assert.Equal(("Scale", 2, 2), (scale["kind"]!.GetValue<string>(), scale["spec"]!["replicas"]!.GetValue<int>(), scale["status"]!["replicas"]!.GetValue<int>()));
        await Ok(await _client.Patch(path + "/s/scale", """{"spec":{"replicas":4}}""", "application/merge-patch+json"));
        var scaled = await Ok(await _client.GetAsync(path + "/s"));
        Assert.Equal((4, 2), (scaled["spec"]!["size"]!.GetValue<int>(), scaled["metadata"]!["generation"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_status_write_is_pruned_of_fields_the_schema_does_not_describe_with_a_warning()
    {
        const string group = "statusprune.kubeemu.test";
        await Define(group);
        var path = $"/apis/{group}/v1/namespaces/default/widgets";
        await Ok(await _client.PostAsync(path, Body(Widget(group, "p"))));

        var response = await _client.Patch(path + "/p/status", """{"status":{"replicas":3,"phase":"Ready"}}""", "application/merge-patch+json");
        var written = await Ok(response);

        Assert.Equal("""{"replicas":3}""", written["status"]!.ToJsonString());
        Assert.Contains("299 - \"unknown field \\\"status.phase\\\"\"", response.Headers.GetValues("Warning"));
        var stored = await Ok(await _client.GetAsync(path + "/p"));
        Assert.Equal("""{"replicas":3}""", stored["status"]!.ToJsonString());
    }

    [Fact]
    public async Task Cluster_scoped_objects_and_a_second_served_version_share_one_storage()
    {
        const string group = "scope.kubeemu.test";
        await Define(group, scope: "Cluster", extraVersion: """{"name":"v1beta1","served":true,"storage":false,"schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}},""");
        await Ok(await _client.PostAsync($"/apis/{group}/v1beta1/widgets", Body(Widget(group, "old", version: "v1beta1"))));
        var asV1 = await Ok(await _client.GetAsync($"/apis/{group}/v1/widgets/old"));
        Assert.Equal($"{group}/v1", asV1["apiVersion"]!.GetValue<string>());
        Assert.Null(asV1["metadata"]!["namespace"]);
        var asBeta = await Ok(await _client.GetAsync($"/apis/{group}/v1beta1/widgets"));
        Assert.Equal($"{group}/v1beta1", asBeta["items"]![0]!["apiVersion"]!.GetValue<string>());
        await Failure(await _client.GetAsync($"/apis/{group}/v1/namespaces/default/widgets"), 404, "NotFound");
    }

    [Fact]
    public async Task Validation_rules_refuse_a_write_with_422_and_a_rule_that_does_not_compile_refuses_the_definition()
    {
        const string group = "cel.kubeemu.test";
        await Define(group, validations: ""","x-kubernetes-validations":[{"rule":"self.size < 100","message":"too big"},{"rule":"self.color == oldSelf.color","message":"color is immutable"}]""");
        var created = await _client.PostAsync($"/apis/{group}/v1/namespaces/default/widgets", Body(Widget(group, "w")));
        await Ok(created);
        Assert.False(created.Headers.Contains("Warning"));

        var big = await Failure(await _client.PostAsync($"/apis/{group}/v1/namespaces/default/widgets", Body(Widget(group, "big", """{"size":200}"""))), 422, "Invalid");
        Assert.Equal($"Widget.{group} \"big\" is invalid: spec: Invalid value: \"object\": too big", big);

        var recolored = await Failure(await _client.PatchAsync($"/apis/{group}/v1/namespaces/default/widgets/w",
            Body("""{"spec":{"color":"red"}}""", "application/merge-patch+json")), 422, "Invalid");
        Assert.Equal($"Widget.{group} \"w\" is invalid: spec: Invalid value: \"object\": color is immutable", recolored);

        var body = Definition("broken.kubeemu.test", validations: ""","x-kubernetes-validations":[{"rule":"self.size <"}]""");
        var refused = await Failure(await _client.PostAsync("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", Body(body)), 422, "Invalid");
        Assert.StartsWith("CustomResourceDefinition.apiextensions.k8s.io \"widgets.broken.kubeemu.test\" is invalid: " +
            "spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Invalid value: apiextensions.ValidationRule{Rule:\"self.size <\"", refused);
        Assert.Contains("compilation failed: ERROR: <input>:1:12: Syntax error:", refused);
    }

    [Fact]
    public async Task Deleting_a_definition_marks_it_terminating_with_the_cleanup_finalizer()
    {
        const string group = "delete.kubeemu.test";
        await Define(group);
        var deleted = await Ok(await _client.DeleteAsync($"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.{group}"));
        Assert.Equal("""["customresourcecleanup.apiextensions.k8s.io"]""", deleted["metadata"]!["finalizers"]!.ToJsonString());
        Assert.Contains(deleted["status"]!["conditions"]!.AsArray(), c => c!["type"]!.GetValue<string>() == "Terminating" && c["status"]!.GetValue<string>() == "True");
        var refused = await Failure(await _client.PostAsync($"/apis/{group}/v1/namespaces/default/widgets", Body(Widget(group, "late"))), 405, "MethodNotAllowed");
        Assert.Equal("create not allowed while custom resource definition is terminating", refused);
    }
}
