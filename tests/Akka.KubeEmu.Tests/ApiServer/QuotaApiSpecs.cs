using Xunit;
using static Akka.KubeEmu.Tests.ApiServer.Http;

namespace Akka.KubeEmu.Tests.ApiServer;

/// <summary>Core v1 ResourceQuotas and LimitRanges: served with their short names, validated and defaulted as kube-apiserver does.</summary>
public sealed class QuotaApiSpecs(ApiServerFixtureHolder holder) : IClassFixture<ApiServerFixtureHolder>
{
    private readonly HttpClient _client = holder.Fixture.Client;

    private const string Quotas = "/api/v1/namespaces/default/resourcequotas";
    private const string LimitRanges = "/api/v1/namespaces/default/limitranges";

    private static string Quota(string name, string spec) =>
        $$"""{"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"{{name}}"},"spec":{{spec}}}""";

    private static string LimitRange(string name, string limits) =>
        $$"""{"apiVersion":"v1","kind":"LimitRange","metadata":{"name":"{{name}}"},"spec":{"limits":""" + limits + "}}";

    [Fact]
    public async Task Discovery_serves_quota_and_limits_short_names_and_the_quota_status()
    {
        var names = (await Json(await _client.GetAsync("/api/v1")))["resources"]!.AsArray()
            .ToDictionary(r => r!["name"]!.GetValue<string>(), r => r!);
        Assert.Equal("""["quota"]""", names["resourcequotas"]["shortNames"]!.ToJsonString());
        Assert.Equal("""["limits"]""", names["limitranges"]["shortNames"]!.ToJsonString());
        Assert.Contains("resourcequotas/status", names.Keys);
    }

    [Theory]
    [InlineData("""{"hard":{"pods":"-1"}}""", "spec.hard[pods]: Invalid value: \"-1\": must be greater than or equal to 0")]
    [InlineData("""{"hard":{"pods":"1500m"}}""", "spec.hard[pods]: Invalid value: \"1500m\": must be an integer")]
    [InlineData("""{"hard":{"gpus":"1"}}""", "spec.hard[gpus]: Invalid value: \"gpus\": must be a standard resource for quota")]
    [InlineData("""{"hard":{"pods":"1"},"scopes":["Sometimes"]}""",
        "spec.scopes[0]: Unsupported value: \"Sometimes\": supported values: \"BestEffort\", \"CrossNamespacePodAffinity\", \"NotBestEffort\", \"NotTerminating\", \"PriorityClass\", \"Terminating\"")]
    public async Task Bad_quotas_get_kubernetes_validation_messages(string spec, string expected)
    {
        var message = await Failure(await _client.PostAsync(Quotas, Body(Quota("bad", spec))), 422, "Invalid");
        Assert.Equal($"ResourceQuota \"bad\" is invalid: {expected}", message);
    }

    [Fact]
    public async Task A_new_quota_starts_with_an_empty_status_and_object_counts_are_accepted()
    {
        var created = await Ok(await _client.PostAsync(Quotas, Body(Quota("counts", """{"hard":{"pods":"10","count/deployments.apps":"2","requests.cpu":"2"}}"""))));
        Assert.Equal("{}", created["status"]!.ToJsonString());
    }

    [Fact]
    public async Task A_container_limit_range_defaults_default_from_max_and_default_request_from_default()
    {
        var created = await Ok(await _client.PostAsync(LimitRanges, Body(LimitRange("defaults", """[{"type":"Container","max":{"cpu":"1"},"min":{"memory":"64Mi"}}]"""))));
        var item = created["spec"]!["limits"]![0]!;
        Assert.Equal("""{"cpu":"1"}""", item["default"]!.ToJsonString());
        Assert.Equal("""{"cpu":"1","memory":"64Mi"}""", item["defaultRequest"]!.ToJsonString());
    }

    [Theory]
    [InlineData("""[{"type":"Node"}]""", "spec.limits[0].type: Unsupported value: \"Node\": supported values: \"Container\", \"PersistentVolumeClaim\", \"Pod\"")]
    [InlineData("""[{"type":"Container","min":{"cpu":"2"},"max":{"cpu":"1"}}]""",
        "[spec.limits[0].min[cpu]: Invalid value: 2: min value 2 is greater than max value 1, spec.limits[0].defaultRequest[cpu]: Invalid value: 1: min value 2 is greater than default request value 1, spec.limits[0].default[cpu]: Invalid value: 2: min value 2 is greater than default value 1]")]
    [InlineData("""[{"type":"Pod","default":{"cpu":"1"}}]""", "spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'")]
    public async Task Bad_limit_ranges_get_kubernetes_validation_messages(string limits, string expected)
    {
        var message = await Failure(await _client.PostAsync(LimitRanges, Body(LimitRange("bad", limits))), 422, "Invalid");
        Assert.Equal($"LimitRange \"bad\" is invalid: {expected}", message);
    }
    [Fact]
    public async Task A_pod_gets_its_missing_requests_and_limits_from_the_namespace_limit_range_and_is_held_to_its_max()
    {
        await Ok(await _client.PostAsync("/api/v1/namespaces", Body("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"limited"}}""")));
        await Ok(await _client.PostAsync("/api/v1/namespaces/limited/limitranges", Body("""
            {"apiVersion":"v1","kind":"LimitRange","metadata":{"name":"defaults"},
             "spec":{"limits":[{"type":"Container","default":{"cpu":"500m","memory":"256Mi"},"defaultRequest":{"cpu":"100m"},"max":{"cpu":"1"}}]}}
            """)));
        var pod = await Ok(await _client.PostAsync("/api/v1/namespaces/limited/pods", Body("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web"},
             "spec":{"containers":[{"name":"web","image":"nginx","resources":{"requests":{"memory":"64Mi"}}}]}}
            """)));
        var resources = pod["spec"]!["containers"]![0]!["resources"]!;
        Assert.Equal("""{"cpu":"500m","memory":"256Mi"}""", resources["limits"]!.ToJsonString());
        Assert.Equal("""{"memory":"64Mi","cpu":"100m"}""", resources["requests"]!.ToJsonString());
        Assert.Equal("LimitRanger plugin set: cpu request for container web; cpu, memory limit for container web",
            pod["metadata"]!["annotations"]!["kubernetes.io/limit-ranger"]!.GetValue<string>());
        Assert.Equal("Burstable", pod["status"]!["qosClass"]!.GetValue<string>());

        var message = await Failure(await _client.PostAsync("/api/v1/namespaces/limited/pods", Body("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"big"},
             "spec":{"containers":[{"name":"big","image":"nginx","resources":{"limits":{"cpu":"2"}}}]}}
            """)), 403, "Forbidden");
        Assert.Equal("pods \"big\" is forbidden: maximum cpu usage per Container is 1, but limit is 2", message);
    }
    [Fact]
    public async Task Creates_beyond_a_quota_are_refused_with_the_quota_plugins_403_and_admitted_usage_is_recorded_at_once()
    {
        await Ok(await _client.PostAsync("/api/v1/namespaces", Body("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"quota-enforced"}}""")));
        const string ns = "/api/v1/namespaces/quota-enforced";
        await Ok(await _client.PostAsync($"{ns}/resourcequotas", Body(Quota("small", """{"hard":{"pods":"2","requests.cpu":"1"}}"""))));
        static string Pod(string name, string cpu) =>
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"," +
            "\"resources\":{\"requests\":{\"cpu\":\"" + cpu + "\"}}}]}}";

        // Until the quota controller has filled in status.hard, the plugin cannot tell.
        var unknown = await Failure(await _client.PostAsync($"{ns}/pods", Body(Pod("early", "100m"))), 403, "Forbidden");
        Assert.Equal("pods \"early\" is forbidden: status unknown for quota: small, resources: pods,requests.cpu", unknown);
        await Ok(await _client.Patch($"{ns}/resourcequotas/small/status", """{"status":{"hard":{"pods":"2","requests.cpu":"1"},"used":{"pods":"0","requests.cpu":"0"}}}""",
            "application/merge-patch+json"));

        await Ok(await _client.PostAsync($"{ns}/pods", Body(Pod("a", "600m"))));
        var cpu = await Failure(await _client.PostAsync($"{ns}/pods", Body(Pod("b", "500m"))), 403, "Forbidden");
        Assert.Equal("pods \"b\" is forbidden: exceeded quota: small, requested: requests.cpu=500m, used: requests.cpu=600m, limited: requests.cpu=1", cpu);
        await Ok(await _client.PostAsync($"{ns}/pods", Body(Pod("c", "400m"))));
        var pods = await Failure(await _client.PostAsync($"{ns}/pods", Body(Pod("d", "0"))), 403, "Forbidden");
        Assert.Equal("pods \"d\" is forbidden: exceeded quota: small, requested: pods=1, used: pods=2, limited: pods=2", pods);

        var quota = await Ok(await _client.GetAsync($"{ns}/resourcequotas/small"));
        Assert.Equal("""{"pods":"2","requests.cpu":"1"}""", quota["status"]!["used"]!.ToJsonString());
    }
}
