using System.Text.Json.Nodes;
using Xunit;
using static Akka.KubeEmu.Tests.ApiServer.Http;

namespace Akka.KubeEmu.Tests.ApiServer;

/// <summary>
/// POST pods/NAME/eviction as kube-apiserver's eviction.go answers it (its eviction_test.go cases):
/// the specs play the disruption controller's part by writing the budgets' status themselves.
/// </summary>
public sealed class EvictionSpecs(ApiServerFixtureHolder holder) : IClassFixture<ApiServerFixtureHolder>
{
    private readonly HttpClient _client = holder.Fixture.Client;
    private readonly string _ns = "evict-" + Guid.NewGuid().ToString("N")[..8];

    private string Pods => $"/api/v1/namespaces/{_ns}/pods";
    private string Budgets => $"/apis/policy/v1/namespaces/{_ns}/poddisruptionbudgets";

    private async Task Namespace() =>
        await Ok(await _client.PostAsync("/api/v1/namespaces", Body("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"NS"}}""".Replace("NS", _ns))));

    /// <summary>A pod of app=web in the given phase, Ready or not (the kubelet's part).</summary>
    private async Task Pod(string name, string phase = "Running", bool ready = true, string app = "web")
    {
        await Ok(await _client.PostAsync(Pods, Body("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"NAME","labels":{"app":"APP"}},
             "spec":{"containers":[{"name":"c","image":"nginx"}]}}
            """.Replace("NAME", name).Replace("APP", app))));
        if (phase == "Pending") return;
        var pod = await Ok(await _client.GetAsync($"{Pods}/{name}"));
        pod["status"] = new JsonObject
        {
            ["phase"] = phase,
            ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = ready ? "True" : "False" }),
        };
        await Ok(await _client.PutAsync($"{Pods}/{name}/status", Body(pod.ToJsonString())));
    }

    /// <summary>A budget over app=web, with the status the disruption controller would have written.</summary>
    private async Task<JsonObject> Budget(string name, int allowed, int current = 3, int desired = 3, string extraSpec = "", int? observedGeneration = 1)
    {
        await Ok(await _client.PostAsync(Budgets, Body("""
            {"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"NAME"},
             "spec":{"minAvailable":DESIRED,"selector":{"matchLabels":{"app":"web"}}EXTRA}}
            """.Replace("NAME", name).Replace("DESIRED", desired.ToString()).Replace("EXTRA", extraSpec))));
        var pdb = await Ok(await _client.GetAsync($"{Budgets}/{name}"));
        pdb["status"] = new JsonObject
        {
            ["disruptionsAllowed"] = allowed, ["currentHealthy"] = current, ["desiredHealthy"] = desired, ["expectedPods"] = current,
            ["observedGeneration"] = observedGeneration,
        };
        return await Ok(await _client.PutAsync($"{Budgets}/{name}/status", Body(pdb.ToJsonString())));
    }

    private Task<HttpResponseMessage> Evict(string pod, string deleteOptions = "", string version = "policy/v1", string query = "") =>
        _client.PostAsync($"{Pods}/{pod}/eviction{query}", Body("""
            {"apiVersion":"VERSION","kind":"Eviction","metadata":{"name":"POD","namespace":"NS"}DELETE_OPTS}
            """.Replace("VERSION", version).Replace("POD", pod).Replace("NS", _ns)
            .Replace("DELETE_OPTS", deleteOptions.Length > 0 ? ",\"deleteOptions\":" + deleteOptions : "")));

    /// <summary>The eviction went through: 201 and a Success Status (the answer's text otherwise).</summary>
    private static async Task Created(Task<HttpResponseMessage> eviction)
    {
        var response = await eviction;
        Assert.True((int)response.StatusCode == 201, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task Refused(Task<HttpResponseMessage> eviction) =>
        Assert.Equal("Cannot evict pod as it would violate the pod's disruption budget.", await Failure(await eviction, 429, "TooManyRequests"));

    private async Task<bool> Gone(string pod)
    {
        var r = await _client.GetAsync($"{Pods}/{pod}");
        if ((int)r.StatusCode == 404) return true;
        return (await Json(r))["metadata"]!["deletionTimestamp"] is not null;
    }

    [Fact]
    public async Task A_pod_without_a_budget_is_evicted_with_a_Success_status()
    {
        await Namespace();
        await Pod("free", app: "other");
        var response = await Evict("free");
        var status = await Ok(response);
        Assert.Equal(201, (int)response.StatusCode);
        Assert.Equal("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Success","code":201}""", status.ToJsonString());
        Assert.True(await Gone("free"));
    }

    [Fact]
    public async Task A_budget_without_disruptions_left_refuses_with_429_and_names_what_it_needs()
    {
        await Namespace();
        await Pod("web-1");
        await Budget("web-pdb", allowed: 0, current: 3, desired: 3);
        var response = await Evict("web-1");
        var status = await Json(response);
        Assert.Equal(429, (int)response.StatusCode);
        Assert.Equal("""
            {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Cannot evict pod as it would violate the pod\u0027s disruption budget.","reason":"TooManyRequests","details":{"causes":[{"reason":"DisruptionBudget","message":"The disruption budget web-pdb needs 3 healthy pods and has 3 currently"}]},"code":429}
            """.Trim(), status.ToJsonString());
        Assert.False(await Gone("web-1"));
    }

    [Fact]
    public async Task An_allowed_eviction_takes_one_disruption_from_the_budget_and_notes_the_pod()
    {
        await Namespace();
        await Pod("web-1");
        await Budget("web-pdb", allowed: 1, current: 3, desired: 2);
        await Created(Evict("web-1"));
        Assert.True(await Gone("web-1"));

        var pdb = await Ok(await _client.GetAsync($"{Budgets}/web-pdb"));
        Assert.Equal(0, pdb["status"]!["disruptionsAllowed"]!.GetValue<int>());
        Assert.NotNull(pdb["status"]!["disruptedPods"]!["web-1"]);
        var condition = pdb["status"]!["conditions"]!.AsArray().Single()!;
        Assert.Equal(("DisruptionAllowed", "False", "InsufficientPods"),
            (condition["type"]!.GetValue<string>(), condition["status"]!.GetValue<string>(), condition["reason"]!.GetValue<string>()));

        // The next one is refused: the budget is used up.
        await Pod("web-2");
        await Refused(Evict("web-2"));
    }

    [Fact]
    public async Task Two_budgets_over_one_pod_are_a_500_the_eviction_subresource_does_not_support()
    {
        await Namespace();
        await Pod("web-1");
        await Budget("one", allowed: 5);
        await Budget("two", allowed: 5);
        var response = await Evict("web-1");
        var status = await Json(response);
        Assert.Equal(500, (int)response.StatusCode);
        Assert.Equal("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.", status["message"]!.GetValue<string>());
        Assert.Equal("Failure", status["status"]!.GetValue<string>());
        Assert.False(await Gone("web-1"));
    }

    [Theory]
    [InlineData("Pending")]
    [InlineData("Succeeded")]
    [InlineData("Failed")]
    public async Task A_pod_that_is_not_running_is_evicted_whatever_its_budget_says(string phase)
    {
        await Namespace();
        await Pod("web-1", phase);
        await Budget("web-pdb", allowed: 0);
        await Created(Evict("web-1"));
        Assert.True(await Gone("web-1"));
    }

    [Fact]
    public async Task An_unready_pod_goes_without_taking_from_a_healthy_budget_but_not_from_an_unhealthy_one()
    {
        await Namespace();
        await Pod("web-1", ready: false);
        await Budget("web-pdb", allowed: 0, current: 3, desired: 3);
        await Created(Evict("web-1"));
        var pdb = await Ok(await _client.GetAsync($"{Budgets}/web-pdb"));
        Assert.Null(pdb["status"]!["disruptedPods"]);

        await Pod("web-2", ready: false);
        await _client.DeleteAsync($"{Budgets}/web-pdb");
        await Budget("unhealthy", allowed: 0, current: 1, desired: 3);
        await Refused(Evict("web-2"));
    }

    [Fact]
    public async Task AlwaysAllow_lets_an_unready_pod_go_even_when_the_budget_is_short()
    {
        await Namespace();
        await Pod("web-1", ready: false);
        await Budget("web-pdb", allowed: 0, current: 1, desired: 3, extraSpec: ",\"unhealthyPodEvictionPolicy\":\"AlwaysAllow\"");
        await Created(Evict("web-1"));
        Assert.True(await Gone("web-1"));
    }

    [Fact]
    public async Task A_budget_the_controller_has_not_seen_yet_asks_the_client_to_come_back()
    {
        await Namespace();
        await Pod("web-1");
        await Budget("fresh", allowed: 5, observedGeneration: null);
        var status = await Json(await Evict("web-1"));
        Assert.Equal(429, status["code"]!.GetValue<int>());
        Assert.Equal("The disruption budget fresh is still being processed by the server.",
            status["details"]!["causes"]![0]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_dry_run_eviction_changes_nothing()
    {
        await Namespace();
        await Pod("web-1");
        var before = await Budget("web-pdb", allowed: 1, current: 3, desired: 2);
        await Created(Evict("web-1", query: "?dryRun=All"));
        await Created(Evict("web-1", deleteOptions: """{"dryRun":["All"]}"""));
        Assert.False(await Gone("web-1"));
        var after = await Ok(await _client.GetAsync($"{Budgets}/web-pdb"));
        Assert.Equal(before["metadata"]!["resourceVersion"]!.GetValue<string>(), after["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_deprecated_v1beta1_body_is_accepted_and_a_mismatched_name_is_a_400()
    {
        await Namespace();
        await Pod("web-1", app: "other");
        var mismatch = await _client.PostAsync($"{Pods}/web-1/eviction", Body("""
            {"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"someone-else"}}
            """));
        Assert.Equal("name in URL does not match name in Eviction object", await Failure(mismatch, 400, "BadRequest"));
        await Created(Evict("web-1", version: "policy/v1beta1"));
    }

    [Fact]
    public async Task Evicting_a_pod_that_does_not_exist_is_a_404_with_details()
    {
        await Namespace();
        var response = await Evict("nobody");
        Assert.Equal("pods \"nobody\" not found", await Failure(response, 404, "NotFound"));
        var status = await Json(await Evict("nobody"));
        Assert.Equal("""{"name":"nobody","kind":"pods"}""", status["details"]!.ToJsonString());
    }

    [Fact]
    public async Task The_eviction_marks_the_pod_with_DisruptionTarget_before_deleting_it()
    {
        await Namespace();
        // A finalizer keeps the pod visible after the delete, as a bound pod terminating would be.
        await Ok(await _client.PostAsync(Pods, Body("""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"kept","labels":{"app":"other"},"finalizers":["example.com/keep"]},
             "spec":{"containers":[{"name":"c","image":"nginx"}]}}
            """)));
        var pod = await Ok(await _client.GetAsync($"{Pods}/kept"));
        pod["status"] = new JsonObject { ["phase"] = "Running" };
        await Ok(await _client.PutAsync($"{Pods}/kept/status", Body(pod.ToJsonString())));

        await Created(Evict("kept"));
        var evicted = await Ok(await _client.GetAsync($"{Pods}/kept"));
        Assert.NotNull(evicted["metadata"]!["deletionTimestamp"]);
        var condition = evicted["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "DisruptionTarget")!;
        Assert.Equal(("True", "EvictionByEvictionAPI", "Eviction API: evicting"),
            (condition["status"]!.GetValue<string>(), condition["reason"]!.GetValue<string>(), condition["message"]!.GetValue<string>()));
        await _client.Patch($"{Pods}/kept", """{"metadata":{"finalizers":null}}""", "application/merge-patch+json");
    }
}
