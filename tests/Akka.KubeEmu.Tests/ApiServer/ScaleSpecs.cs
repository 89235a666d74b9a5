using System.Text.Json.Nodes;
using Xunit;
using static Akka.KubeEmu.Tests.ApiServer.Http;

namespace Akka.KubeEmu.Tests.ApiServer;

/// <summary>The scale subresource as `kubectl scale` and `kubectl get --raw .../scale` use it.</summary>
public sealed class ScaleSpecs(ApiServerFixtureHolder holder) : IClassFixture<ApiServerFixtureHolder>
{
    private readonly HttpClient _client = holder.Fixture.Client;

    private const string Deployments = "/apis/apps/v1/namespaces/default/deployments";

    private static string Workload(string kind, string name, int replicas, string selector = """{"matchLabels":{"app":"nginx"}}""") => """
        {"apiVersion":"API","kind":"KIND","metadata":{"name":"NAME"},
         "spec":{"replicas":REPLICAS,"selector":SELECTOR,"serviceName":"web",
                 "template":{"metadata":{"labels":{"app":"nginx","tier":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.14.2"}]}}}}
        """.Replace("API", kind == "ReplicationController" ? "v1" : "apps/v1").Replace("KIND", kind).Replace("NAME", name)
        .Replace("REPLICAS", replicas.ToString()).Replace("SELECTOR", selector)
        .Replace("\"serviceName\":\"web\",", kind == "StatefulSet" ? "\"serviceName\":\"web\"," : "");

    private async Task<JsonObject> Create(string collection, string body) => await Ok(await _client.PostAsync(collection, Body(body)));

    [Fact]
    public async Task Discovery_lists_the_scale_subresources_as_autoscaling_v1_Scale()
    {
        var apps = await Json(await _client.GetAsync("/apis/apps/v1"));
        foreach (var name in new[] { "deployments/scale", "replicasets/scale", "statefulsets/scale" })
        {
            var scale = apps["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == name)!;
            Assert.Equal(("autoscaling", "v1", "Scale"), (scale["group"]!.GetValue<string>(), scale["version"]!.GetValue<string>(), scale["kind"]!.GetValue<string>()));
            Assert.Equal(["get", "patch", "update"], scale["verbs"]!.AsArray().Select(v => v!.GetValue<string>()));
        }
        var core = await Json(await _client.GetAsync("/api/v1"));
        Assert.Contains(core["resources"]!.AsArray(), r => r!["name"]!.GetValue<string>() == "replicationcontrollers/scale" && r["group"]!.GetValue<string>() == "autoscaling");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/apis");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
        var aggregated = await Json(await _client.SendAsync(request));
        var deployments = aggregated["items"]!.AsArray().Single(i => i!["metadata"]!["name"]!.GetValue<string>() == "apps")!["versions"]![0]!["resources"]!
            .AsArray().Single(r => r!["resource"]!.GetValue<string>() == "deployments")!;
        Assert.Equal("""{"group":"","version":"","kind":"Deployment"}""", deployments["responseKind"]!.ToJsonString());
        var sub = deployments["subresources"]!.AsArray().Single(s => s!["subresource"]!.GetValue<string>() == "scale")!;
        Assert.Equal("""{"subresource":"scale","responseKind":{"group":"autoscaling","version":"v1","kind":"Scale"},"verbs":["get","patch","update"]}""", sub.ToJsonString());
    }

    [Fact]
    public async Task Get_scale_answers_the_parents_identity_desired_and_observed_replicas_and_selector()
    {
        var deployment = await Create(Deployments, Workload("Deployment", "get-scale", 3,
            """{"matchLabels":{"app":"nginx"},"matchExpressions":[{"key":"tier","operator":"In","values":["web","api"]}]}"""));
        var scale = await Ok(await _client.GetAsync($"{Deployments}/get-scale/scale"));
        var meta = deployment["metadata"]!;
        var expected = new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = new JsonObject
            {
                ["name"] = "get-scale", ["namespace"] = "default", ["uid"] = meta["uid"]!.DeepClone(),
                ["resourceVersion"] = meta["resourceVersion"]!.DeepClone(), ["creationTimestamp"] = meta["creationTimestamp"]!.DeepClone(),
            },
            ["spec"] = new JsonObject { ["replicas"] = 3 },
            ["status"] = new JsonObject { ["replicas"] = 0, ["selector"] = "app=nginx,tier in (api,web)" },
        };
        Assert.Equal(expected.ToJsonString(), scale.ToJsonString());
    }

    [Fact]
    public async Task A_merge_patch_of_scale_changes_only_spec_replicas_through_the_normal_update()
    {
        var created = await Create(Deployments, Workload("Deployment", "merge-scale", 3));
        var scale = await Ok(await _client.Patch($"{Deployments}/merge-scale/scale", """{"spec":{"replicas":5}}""", "application/merge-patch+json"));
        Assert.Equal(5, scale["spec"]!["replicas"]!.GetValue<int>());

        var deployment = await Ok(await _client.GetAsync($"{Deployments}/merge-scale"));
        Assert.Equal(5, deployment["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(2, deployment["metadata"]!["generation"]!.GetValue<int>());
        Assert.Equal(scale["metadata"]!["resourceVersion"]!.GetValue<string>(), deployment["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.True(JsonNode.DeepEquals(created["spec"]!["template"], deployment["spec"]!["template"]));
    }

    [Fact]
    public async Task Json_patches_and_strategic_merge_patches_of_scale_work_for_replica_sets_and_stateful_sets()
    {
        await Create("/apis/apps/v1/namespaces/default/replicasets", Workload("ReplicaSet", "json-scale", 3));
        var rs = await Ok(await _client.Patch("/apis/apps/v1/namespaces/default/replicasets/json-scale/scale",
            """[{"op":"replace","path":"/spec/replicas","value":2}]""", "application/json-patch+json"));
        Assert.Equal(2, rs["spec"]!["replicas"]!.GetValue<int>());

        await Create("/apis/apps/v1/namespaces/default/statefulsets", Workload("StatefulSet", "smp-scale", 1));
        var sts = await Ok(await _client.Patch("/apis/apps/v1/namespaces/default/statefulsets/smp-scale/scale",
            """{"spec":{"replicas":4}}""", "application/strategic-merge-patch+json"));
        Assert.Equal(4, sts["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(4, (await Ok(await _client.GetAsync("/apis/apps/v1/namespaces/default/statefulsets/smp-scale")))["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task Put_scale_honours_its_resource_version_as_a_precondition()
    {
        await Create(Deployments, Workload("Deployment", "put-scale", 3));
        var scale = await Ok(await _client.GetAsync($"{Deployments}/put-scale/scale"));
        scale["spec"]!["replicas"] = 4;
        var updated = await Ok(await _client.PutAsync($"{Deployments}/put-scale/scale", Body(scale.ToJsonString())));
        Assert.Equal(4, updated["spec"]!["replicas"]!.GetValue<int>());

        scale["spec"]!["replicas"] = 6;
        Assert.Equal("Operation cannot be fulfilled on deployments.apps \"put-scale\": the object has been modified; please apply your changes to the latest version and try again",
            await Failure(await _client.PutAsync($"{Deployments}/put-scale/scale", Body(scale.ToJsonString())), 409, "Conflict"));
        Assert.Equal(4, (await Ok(await _client.GetAsync($"{Deployments}/put-scale")))["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task Negative_replicas_are_refused_as_an_invalid_Scale_and_nothing_changes()
    {
        await Create(Deployments, Workload("Deployment", "negative-scale", 3));
        const string expected = "Scale.autoscaling \"negative-scale\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0";
        var put = await _client.PutAsync($"{Deployments}/negative-scale/scale",
            Body("""{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"negative-scale"},"spec":{"replicas":-1}}"""));
        var status = await Json(put);
        Assert.Equal((422, expected, "autoscaling", "Scale"), ((int)put.StatusCode, status["message"]!.GetValue<string>(),
            status["details"]!["group"]!.GetValue<string>(), status["details"]!["kind"]!.GetValue<string>()));
        Assert.Equal(expected, await Failure(await _client.Patch($"{Deployments}/negative-scale/scale", """{"spec":{"replicas":-1}}""", "application/merge-patch+json"), 422, "Invalid"));
        var deployment = await Ok(await _client.GetAsync($"{Deployments}/negative-scale"));
        Assert.Equal((3, 1), (deployment["spec"]!["replicas"]!.GetValue<int>(), deployment["metadata"]!["generation"]!.GetValue<int>()));
    }

    [Fact]
    public async Task The_scale_of_a_missing_parent_is_404_and_kinds_without_scale_have_none()
    {
        Assert.Equal("deployments.apps \"nowhere\" not found", await Failure(await _client.GetAsync($"{Deployments}/nowhere/scale"), 404, "NotFound"));
        Assert.Equal("deployments.apps \"nowhere\" not found", await Failure(await _client.PutAsync($"{Deployments}/nowhere/scale",
            Body("""{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"nowhere"},"spec":{"replicas":1}}""")), 404, "NotFound"));
        Assert.Equal("replicationcontrollers \"nowhere\" not found", await Failure(await _client.Patch("/api/v1/namespaces/default/replicationcontrollers/nowhere/scale",
            """{"spec":{"replicas":1}}""", "application/merge-patch+json"), 404, "NotFound"));
        await Failure(await _client.GetAsync("/apis/apps/v1/namespaces/default/daemonsets/any/scale"), 404, "NotFound");
    }

    [Fact]
    public async Task A_put_scale_whose_name_or_kind_is_not_the_urls_is_a_bad_request_before_any_lookup()
    {
        Assert.Equal("the name of the object (other) does not match the name on the URL (nowhere)", await Failure(await _client.PutAsync($"{Deployments}/nowhere/scale",
            Body("""{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"other"},"spec":{"replicas":1}}""")), 400, "BadRequest"));
        Assert.Equal("the API version in the data (apps/v1) does not match the expected API version (autoscaling/v1)", await Failure(await _client.PutAsync($"{Deployments}/nowhere/scale",
            Body("""{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"nowhere"}}""")), 400, "BadRequest"));
    }

    [Fact]
    public async Task A_replication_controller_scaled_to_zero_shows_an_empty_scale_spec_and_its_set_selector()
    {
        await Create("/api/v1/namespaces/default/replicationcontrollers", Workload("ReplicationController", "rc-scale", 2, """{"app":"nginx"}"""));
        var scale = await Ok(await _client.Patch("/api/v1/namespaces/default/replicationcontrollers/rc-scale/scale",
            """{"spec":{"replicas":0}}""", "application/merge-patch+json"));
        Assert.Equal("""{"spec":{},"status":{"replicas":0,"selector":"app=nginx"}}""",
            new JsonObject { ["spec"] = scale["spec"]!.DeepClone(), ["status"] = scale["status"]!.DeepClone() }.ToJsonString());
        var rc = await Ok(await _client.GetAsync("/api/v1/namespaces/default/replicationcontrollers/rc-scale"));
        Assert.Equal((0, 2), (rc["spec"]!["replicas"]!.GetValue<int>(), rc["metadata"]!["generation"]!.GetValue<int>()));
    }
}
