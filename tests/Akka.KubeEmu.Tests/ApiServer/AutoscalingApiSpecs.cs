using Xunit;
using static Akka.KubeEmu.Tests.ApiServer.Http;

namespace Akka.KubeEmu.Tests.ApiServer;

/// <summary>
/// HorizontalPodAutoscalers: autoscaling/v2 stored, autoscaling/v1 served from the same objects
/// (what `kubectl autoscale` creates), validated and defaulted as kube-apiserver does.
/// </summary>
public sealed class AutoscalingApiSpecs(ApiServerFixtureHolder holder) : IClassFixture<ApiServerFixtureHolder>
{
    private readonly HttpClient _client = holder.Fixture.Client;

    private const string V2 = "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers";
    private const string V1 = "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers";

    private static string V1Hpa(string name, string spec) =>
        $$"""{"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"{{name}}"},"spec":{{spec}}}""";

    private static string V2Hpa(string name, string spec) =>
        $$"""{"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"{{name}}"},"spec":{{spec}}}""";

    private const string Target = "\"scaleTargetRef\":{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"name\":\"web\"}";

    /// <summary>A spec targeting Deployment web, with <paramref name="rest"/> after the reference.</summary>
    private static string Spec(string rest) => "{" + Target + "," + rest + "}";

    [Fact]
    public async Task Discovery_lists_autoscaling_v2_then_v1_and_prefers_v2()
    {
        var group = await Json(await _client.GetAsync("/apis/autoscaling"));
        Assert.Equal("""[{"groupVersion":"autoscaling/v2","version":"v2"},{"groupVersion":"autoscaling/v1","version":"v1"}]""", group["versions"]!.ToJsonString());
        Assert.Equal("autoscaling/v2", group["preferredVersion"]!["groupVersion"]!.GetValue<string>());
        foreach (var version in new[] { "v1", "v2" })
        {
            var resources = (await Json(await _client.GetAsync($"/apis/autoscaling/{version}")))["resources"]!.AsArray();
            Assert.Equal(["horizontalpodautoscalers", "horizontalpodautoscalers/status"], resources.Select(r => r!["name"]!.GetValue<string>()));
            Assert.Equal("""["hpa"]""", resources[0]!["shortNames"]!.ToJsonString());
            Assert.Equal("""["all"]""", resources[0]!["categories"]!.ToJsonString());
        }
    }

    [Fact]
    public async Task An_autoscaling_v1_hpa_like_kubectl_autoscale_creates_reads_back_in_both_versions()
    {
        var created = await Ok(await _client.PostAsync(V1, Body(V1Hpa("web", Spec("\"minReplicas\":1,\"maxReplicas\":5,\"targetCPUUtilizationPercentage\":80")))));
        Assert.Equal("autoscaling/v1", created["apiVersion"]!.GetValue<string>());
        Assert.Equal(80, created["spec"]!["targetCPUUtilizationPercentage"]!.GetValue<int>());
        Assert.Equal("""{"currentReplicas":0,"desiredReplicas":0}""", created["status"]!.ToJsonString());

        var v2 = await Ok(await _client.GetAsync($"{V2}/web"));
        Assert.Equal("autoscaling/v2", v2["apiVersion"]!.GetValue<string>());
        Assert.Equal("""[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":80}}}]""", v2["spec"]!["metrics"]!.ToJsonString());
        Assert.Equal("""{"desiredReplicas":0}""", v2["status"]!.ToJsonString());
    }

    [Fact]
    public async Task What_v1_cannot_say_travels_in_annotations_and_survives_a_v1_update()
    {
        await Ok(await _client.PostAsync(V2, Body(V2Hpa("multi", Spec("""
            "maxReplicas":4,"metrics":[
              {"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":60}}},
              {"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"500Mi"}}}],
             "behavior":{"scaleDown":{"stabilizationWindowSeconds":60}}
            """)))));
        var v1 = await Ok(await _client.GetAsync($"{V1}/multi"));
        Assert.Equal(60, v1["spec"]!["targetCPUUtilizationPercentage"]!.GetValue<int>());
        var annotations = v1["metadata"]!["annotations"]!;
        Assert.Equal("""[{"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"500Mi"}}}]""",
            annotations["autoscaling.alpha.kubernetes.io/metrics"]!.GetValue<string>());
        Assert.Contains("\"stabilizationWindowSeconds\":60", annotations["autoscaling.alpha.kubernetes.io/behavior"]!.GetValue<string>());

        // A v1 client changes maxReplicas with a read-modify-write: the memory metric and the behavior stay.
        v1["spec"]!["maxReplicas"] = 6;
        await Ok(await _client.PutAsync($"{V1}/multi", Body(v1.ToJsonString())));
        var v2 = await Ok(await _client.GetAsync($"{V2}/multi"));
        Assert.Equal(6, v2["spec"]!["maxReplicas"]!.GetValue<int>());
        Assert.Equal(2, v2["spec"]!["metrics"]!.AsArray().Count);
        Assert.Equal(60, v2["spec"]!["behavior"]!["scaleDown"]!["stabilizationWindowSeconds"]!.GetValue<int>());
        Assert.Null(v2["metadata"]!["annotations"]);
    }

    [Fact]
    public async Task A_v2_hpa_is_defaulted_to_one_replica_a_cpu_target_and_full_behavior_rules()
    {
        var created = await Ok(await _client.PostAsync(V2, Body(V2Hpa("defaults", Spec("\"maxReplicas\":3,\"behavior\":{\"scaleUp\":{\"selectPolicy\":\"Min\"}}")))));
        var spec = created["spec"]!;
        Assert.Equal(1, spec["minReplicas"]!.GetValue<int>());
        Assert.Equal("""[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":80}}}]""", spec["metrics"]!.ToJsonString());
        Assert.Equal("""{"selectPolicy":"Min","stabilizationWindowSeconds":0,"policies":[{"type":"Pods","value":4,"periodSeconds":15},{"type":"Percent","value":100,"periodSeconds":15}]}""",
            spec["behavior"]!["scaleUp"]!.ToJsonString());
        Assert.Equal("""{"stabilizationWindowSeconds":300,"selectPolicy":"Max","policies":[{"type":"Percent","value":100,"periodSeconds":15}]}""",
            spec["behavior"]!["scaleDown"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""{"scaleTargetRef":{"kind":"Deployment","name":"web"},"maxReplicas":0}""", 
        // minReplicas defaults to 1 first, so the bound against it fails too.
        "[spec.maxReplicas: Invalid value: 0: must be greater than 0, spec.maxReplicas: Invalid value: 0: must be greater than or equal to `minReplicas`]")]
    [InlineData("""{"scaleTargetRef":{"kind":"Deployment","name":"web"},"minReplicas":5,"maxReplicas":2}""", "spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`")]
    [InlineData("""{"scaleTargetRef":{"kind":"Deployment","name":"web"},"minReplicas":0,"maxReplicas":2}""", "spec.minReplicas: Invalid value: 0: must be greater than or equal to 1")]
    [InlineData("""{"scaleTargetRef":{"name":"web"},"maxReplicas":2}""", "spec.scaleTargetRef.kind: Required value")]
    [InlineData("""{"scaleTargetRef":{"kind":"Deployment","name":"a/b"},"maxReplicas":2}""", "spec.scaleTargetRef.name: Invalid value: \"a/b\": may not contain '/'")]
    [InlineData("""{"scaleTargetRef":{"kind":"Deployment","name":"web"},"maxReplicas":2,"metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":0}}}]}""",
        "spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0")]
    [InlineData("""{"scaleTargetRef":{"kind":"Deployment","name":"web"},"maxReplicas":2,"metrics":[{"type":"Pods"}]}""",
        "spec.metrics[0].pods: Required value: must populate information for the given metric source")]
    [InlineData("""{"scaleTargetRef":{"kind":"Deployment","name":"web"},"maxReplicas":2,"metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Percent"}}}]}""",
        "[spec.metrics[0].resource.target.type: Invalid value: \"Percent\": must be either Utilization, Value, or AverageValue, spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization]")]
    public async Task Bad_v2_hpas_get_kubernetes_validation_messages(string spec, string expected)
    {
        var message = await Failure(await _client.PostAsync(V2, Body(V2Hpa("bad", spec))), 422, "Invalid");
        Assert.Equal($"HorizontalPodAutoscaler.autoscaling \"bad\" is invalid: {expected}", message);
    }

    [Fact]
    public async Task A_bad_v1_hpa_is_reported_on_the_converted_fields_as_kube_apiserver_reports_it()
    {
        var message = await Failure(await _client.PostAsync(V1, Body(V1Hpa("badv1", Spec("\"maxReplicas\":2,\"targetCPUUtilizationPercentage\":0")))), 422, "Invalid");
        Assert.Equal("HorizontalPodAutoscaler.autoscaling \"badv1\" is invalid: spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0", message);
    }

    [Fact]
    public async Task A_status_write_through_v1_keeps_the_v2_spec()
    {
        await Ok(await _client.PostAsync(V2, Body(V2Hpa("status", Spec("\"maxReplicas\":3")))));
        var status = await Ok(await _client.Patch($"{V1}/status/status", """{"status":{"currentReplicas":2,"desiredReplicas":3,"currentCPUUtilizationPercentage":41}}""",
            "application/merge-patch+json"));
        Assert.Equal(41, status["status"]!["currentCPUUtilizationPercentage"]!.GetValue<int>());
        var v2 = await Ok(await _client.GetAsync($"{V2}/status"));
        Assert.Equal(2, v2["status"]!["currentReplicas"]!.GetValue<int>());
        Assert.Equal(41, v2["status"]!["currentMetrics"]![0]!["resource"]!["current"]!["averageUtilization"]!.GetValue<int>());
        Assert.Equal(3, v2["spec"]!["maxReplicas"]!.GetValue<int>());
    }
}
