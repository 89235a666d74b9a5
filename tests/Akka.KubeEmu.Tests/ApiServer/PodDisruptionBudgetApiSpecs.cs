using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Printers;
using Akka.KubeEmu.Actors.Api.Resources;
using Xunit;
using static Akka.KubeEmu.Tests.ApiServer.Http;

namespace Akka.KubeEmu.Tests.ApiServer;

/// <summary>policy/v1 PodDisruptionBudgets as `kubectl create pdb`, `get pdb` and `apply` meet them.</summary>
public sealed class PodDisruptionBudgetApiSpecs(ApiServerFixtureHolder holder) : IClassFixture<ApiServerFixtureHolder>
{
    private readonly HttpClient _client = holder.Fixture.Client;

    private const string Budgets = "/apis/policy/v1/namespaces/default/poddisruptionbudgets";

    private static string Pdb(string name, string spec) =>
        $$"""{"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"{{name}}"},"spec":{{spec}}}""";

    [Fact]
    public async Task Discovery_serves_poddisruptionbudgets_in_policy_v1_with_short_name_pdb_and_status()
    {
        var policy = await Json(await _client.GetAsync("/apis/policy/v1"));
        var names = policy["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToArray();
        Assert.Equal(["poddisruptionbudgets", "poddisruptionbudgets/status"], names);
        var pdb = policy["resources"]![0]!;
        Assert.Equal("""["pdb"]""", pdb["shortNames"]!.ToJsonString());
        Assert.True(pdb["namespaced"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_new_budget_starts_with_zero_counters_and_generation_one()
    {
        var created = await Ok(await _client.PostAsync(Budgets, Body(Pdb("zero", """{"minAvailable":2,"selector":{"matchLabels":{"app":"zero"}}}"""))));
        Assert.Equal("""{"disruptionsAllowed":0,"currentHealthy":0,"desiredHealthy":0,"expectedPods":0}""", created["status"]!.ToJsonString());
        Assert.Equal(1, created["metadata"]!["generation"]!.GetValue<int>());

        // A spec change bumps the generation; a status write keeps the spec (and the spec write the status).
        var changed = await Ok(await _client.Patch($"{Budgets}/zero", """{"spec":{"minAvailable":1}}""", "application/merge-patch+json"));
        Assert.Equal(2, changed["metadata"]!["generation"]!.GetValue<int>());
        var status = await Ok(await _client.Patch($"{Budgets}/zero/status", """{"status":{"observedGeneration":2,"disruptionsAllowed":1}}""", "application/merge-patch+json"));
        Assert.Equal(1, status["status"]!["disruptionsAllowed"]!.GetValue<int>());
        var spec = await Ok(await _client.Patch($"{Budgets}/zero", """{"spec":{"minAvailable":2},"status":{"disruptionsAllowed":9}}""", "application/merge-patch+json"));
        Assert.Equal(1, spec["status"]!["disruptionsAllowed"]!.GetValue<int>());
    }

    [Fact]
    public async Task Both_minAvailable_and_maxUnavailable_are_refused_with_kubernetes_message()
    {
        var message = await Failure(await _client.PostAsync(Budgets, Body(Pdb("both", """{"minAvailable":1,"maxUnavailable":1,"selector":{"matchLabels":{"app":"x"}}}"""))),
            422, "Invalid");
        Assert.StartsWith("PodDisruptionBudget.policy \"both\" is invalid: spec: Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(0x", message);
        Assert.EndsWith("UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(nil)}: minAvailable and maxUnavailable cannot be both set", message);
    }

    [Theory]
    [InlineData("""{"minAvailable":"120%"}""", "spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"120%\"}: must not be greater than 100%")]
    [InlineData("""{"maxUnavailable":-1}""", "spec.maxUnavailable: Invalid value: -1: must be greater than or equal to 0")]
    [InlineData("""{"maxUnavailable":"half"}""", "spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"half\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")]
    [InlineData("""{"minAvailable":1,"unhealthyPodEvictionPolicy":"Sometimes"}""", "spec.unhealthyPodEvictionPolicy: Unsupported value: \"Sometimes\": supported values: \"AlwaysAllow\", \"IfHealthyBudget\"")]
    [InlineData("""{"minAvailable":1,"selector":{"matchExpressions":[{"key":"app","operator":"In"}]}}""", "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'")]
    public async Task Bad_budgets_get_kubernetes_validation_messages(string spec, string expected)
    {
        var message = await Failure(await _client.PostAsync(Budgets, Body(Pdb("bad", spec))), 422, "Invalid");
        Assert.Equal($"PodDisruptionBudget.policy \"bad\" is invalid: {expected}", message);
    }

    [Fact]
    public async Task A_negative_counter_in_a_status_write_is_refused()
    {
        await Ok(await _client.PostAsync(Budgets, Body(Pdb("counters", """{"minAvailable":1,"selector":{"matchLabels":{"app":"c"}}}"""))));
        var message = await Failure(await _client.Patch($"{Budgets}/counters/status", """{"status":{"disruptionsAllowed":-1}}""", "application/merge-patch+json"),
            422, "Invalid");
        Assert.Equal("PodDisruptionBudget.policy \"counters\" is invalid: status.disruptionsAllowed: Invalid value: -1: must be greater than or equal to 0", message);
    }

    [Fact]
    public void Kubectl_get_pdb_shows_min_available_max_unavailable_and_allowed_disruptions()
    {
        var now = DateTimeOffset.Parse("2026-11-22T12:10:00Z");
        var table = TableConvertor.ToTable(ResourceCatalog.PodDisruptionBudgets,
        [
            JsonNode.Parse("""{"metadata":{"name":"web","creationTimestamp":"2026-11-22T12:00:00Z"},"spec":{"minAvailable":2},"status":{"disruptionsAllowed":1}}""")!.AsObject(),
            JsonNode.Parse("""{"metadata":{"name":"db","creationTimestamp":"2026-11-22T12:09:00Z"},"spec":{"maxUnavailable":"25%"},"status":{"disruptionsAllowed":0}}""")!.AsObject(),
        ], now);
        Assert.Equal(["Name", "Min Available", "Max Unavailable", "Allowed Disruptions", "Age"],
            table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        var rows = table["rows"]!.AsArray().Select(r => string.Join(" ", r!["cells"]!.AsArray().Select(c => c!.ToString()))).ToArray();
        Assert.Equal(["web 2 N/A 1 10m", "db N/A 25% 0 60s"], rows);
    }
}
