using System.Text.Json.Nodes;
using Xunit;
using static Akka.KubeEmu.Tests.ApiServer.Http;

namespace Akka.KubeEmu.Tests.ApiServer;

/// <summary>
/// Workloads through the HTTP API, with the requests kubectl sends for `get rc`, `set image`,
/// `rollout pause|resume|restart`, `edit`, `patch --type=json` and `annotate`.
/// </summary>
public sealed class WorkloadApiSpecs(ApiServerFixtureHolder holder) : IClassFixture<ApiServerFixtureHolder>
{
    private readonly HttpClient _client = holder.Fixture.Client;

    private const string Deployments = "/apis/apps/v1/namespaces/default/deployments";
    private const string Rcs = "/api/v1/namespaces/default/replicationcontrollers";
    private const string StrategicMerge = "application/strategic-merge-patch+json";

    private static string Deployment(string name, string strategy = "") => """
        {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"NAME"},
         "spec":{"replicas":3,"selector":{"matchLabels":{"app":"nginx"}},STRATEGY
                 "template":{"metadata":{"labels":{"app":"nginx"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.14.2"},{"name":"log","image":"busybox"}]}}}}
        """.Replace("NAME", name).Replace("STRATEGY", strategy);

    [Fact]
    public async Task A_replication_controller_is_created_defaulted_and_listed_as_kubectl_get_rc_shows_it()
    {
        var rc = await Ok(await _client.PostAsync(Rcs, Body("""
            {"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"nginx"},
             "spec":{"template":{"metadata":{"labels":{"app":"nginx"}},"spec":{"containers":[{"name":"nginx","image":"nginx"}]}}}}
            """)));
        Assert.Equal(("""{"app":"nginx"}""", """{"app":"nginx"}""", 1, 1, """{"replicas":0}"""),
            (rc["spec"]!["selector"]!.ToJsonString(), rc["metadata"]!["labels"]!.ToJsonString(), rc["spec"]!["replicas"]!.GetValue<int>(),
             rc["metadata"]!["generation"]!.GetValue<int>(), rc["status"]!.ToJsonString()));

        using var request = new HttpRequestMessage(HttpMethod.Get, Rcs);
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        var table = await Ok(await _client.SendAsync(request));
        Assert.Equal(["Name", "Desired", "Current", "Ready", "Age", "Containers", "Images", "Selector"],
            table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        var cells = table["rows"]!.AsArray().Single(r => r!["cells"]![0]!.GetValue<string>() == "nginx")!["cells"]!.AsArray();
        Assert.Equal(["nginx", "1", "0", "0", "nginx", "nginx", "app=nginx"], cells.Where((_, i) => i != 4).Select(c => c!.ToString()));
    }

    [Fact]
    public async Task Invalid_workloads_are_answered_with_422_and_nothing_is_stored()
    {
        var refused = await _client.PostAsync(Deployments, Body(Deployment("no-progress", "\"strategy\":{\"rollingUpdate\":{\"maxSurge\":0,\"maxUnavailable\":0}},")));
        Assert.Equal("Deployment.apps \"no-progress\" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}: may not be 0 when `maxSurge` is 0",
            await Failure(refused, 422, "Invalid"));
        await Failure(await _client.GetAsync($"{Deployments}/no-progress"), 404, "NotFound");

        Assert.Equal("ReplicationController \"negative\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0",
            await Failure(await _client.PostAsync(Rcs, Body("""
                {"apiVersion":"v1","kind":"ReplicationController","metadata":{"name":"negative"},
                 "spec":{"replicas":-1,"template":{"metadata":{"labels":{"app":"nginx"}},"spec":{"containers":[{"name":"nginx","image":"nginx"}]}}}}
                """)), 422, "Invalid"));
        await Failure(await _client.GetAsync($"{Rcs}/negative"), 404, "NotFound");

        await Ok(await _client.PostAsync(Deployments, Body(Deployment("fixed-selector"))));
        Assert.Equal("Deployment.apps \"fixed-selector\" is invalid: [spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"nginx\"}: `selector` does not match template `labels`, spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable]",
            await Failure(await _client.Patch($"{Deployments}/fixed-selector", """{"spec":{"selector":{"matchLabels":{"app":"web"}}}}""", "application/merge-patch+json"), 422, "Invalid"));
    }

    [Fact]
    public async Task Set_image_rollout_edit_json_patch_and_annotate_change_the_deployment_as_kubectl_expects()
    {
        var path = $"{Deployments}/rollout";
        await Ok(await _client.PostAsync(Deployments, Body(Deployment("rollout"))));

        // kubectl set image deployment/rollout nginx=nginx:1.9.1
        var d = await Ok(await _client.Patch(path,
            """{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"},{"name":"log"}],"containers":[{"image":"nginx:1.9.1","name":"nginx"}]}}}}""", StrategicMerge));
        Assert.Equal(["nginx:1.9.1", "busybox"], Images(d));
        Assert.Equal(2, Generation(d));

        // kubectl rollout pause, then resume
        d = await Ok(await _client.Patch(path, """{"spec":{"paused":true}}""", StrategicMerge));
        Assert.True(d["spec"]!["paused"]!.GetValue<bool>());
        d = await Ok(await _client.Patch(path, """{"spec":{"paused":null}}""", StrategicMerge));
        Assert.Null(d["spec"]!["paused"]);
        Assert.Equal(4, Generation(d));

        // kubectl rollout restart
        d = await Ok(await _client.Patch(path,
            """{"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-22T12:00:00Z"}}}}}""", StrategicMerge));
        Assert.Equal("2026-11-22T12:00:00Z", d["spec"]!["template"]!["metadata"]!["annotations"]!["kubectl.kubernetes.io/restartedAt"]!.GetValue<string>());
        Assert.Equal(["app"], d["spec"]!["template"]!["metadata"]!["labels"]!.AsObject().Select(p => p.Key));

        // kubectl edit (EDITOR='sed -i s/1.9.1/1.16.1/') sends a two-way strategic merge patch
        d = await Ok(await _client.Patch(path,
            """{"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"nginx"},{"name":"log"}],"containers":[{"image":"nginx:1.16.1","name":"nginx"}]}}}}""", StrategicMerge));
        Assert.Equal(["nginx:1.16.1", "busybox"], Images(d));

        // kubectl patch --type=json
        d = await Ok(await _client.Patch(path,
            """[{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:1.17"}]""", "application/json-patch+json"));
        Assert.Equal(["nginx:1.17", "busybox"], Images(d));
        Assert.Equal(7, Generation(d));

        // kubectl annotate deployment/rollout kubernetes.io/change-cause=...
        d = await Ok(await _client.Patch(path, """{"metadata":{"annotations":{"kubernetes.io/change-cause":"image 1.17"}}}""", "application/merge-patch+json"));
        Assert.Equal("image 1.17", d["metadata"]!["annotations"]!["kubernetes.io/change-cause"]!.GetValue<string>());
        Assert.Equal(["nginx:1.17", "busybox"], Images(d));
        // A Deployment's annotations are copied to its ReplicaSets: changing them is a new generation
        // (labels are not).
        Assert.Equal(8, Generation(d));
        d = await Ok(await _client.Patch(path, """{"metadata":{"labels":{"tier":"web"}}}""", "application/merge-patch+json"));
        Assert.Equal(8, Generation(d));
    }

    private static IEnumerable<string> Images(JsonObject d) =>
        d["spec"]!["template"]!["spec"]!["containers"]!.AsArray().Select(c => c!["image"]!.GetValue<string>());

    private static int Generation(JsonObject d) => d["metadata"]!["generation"]!.GetValue<int>();
}
