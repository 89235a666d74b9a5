using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Xunit;
using static Akka.KubeEmu.Tests.ApiServer.Http;

namespace Akka.KubeEmu.Tests.ApiServer;

/// <summary>
/// Server-side apply through HTTP and the official C# client: create on first apply, merge,
/// 409 conflicts with their causes, force, the status subresource, and the option checks
/// (fieldManager required, force only for apply, no managedFields in a configuration).
/// </summary>
public sealed class ServerSideApplyApiSpecs(ApiServerFixtureHolder holder) : IClassFixture<ApiServerFixtureHolder>
{
    private const string Apply = "application/apply-patch+yaml";
    private readonly HttpClient _client = holder.Fixture.Client;

    private static V1Patch ApplyPatch(string yaml) => new(yaml, V1Patch.PatchType.ApplyPatch);

    [Fact]
    public async Task The_official_client_applies_creates_then_conflicts_then_forces()
    {
        using var client = holder.Fixture.OfficialClient();
        // The C# client sends an apply configuration as JSON (which is YAML too).
        var first = await client.CoreV1.PatchNamespacedConfigMapWithHttpMessagesAsync(ApplyPatch("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},"data":{"color":"blue","size":"L"}}
            """), "settings", "default", fieldManager: "operator-a");
        Assert.Equal(HttpStatusCode.Created, first.Response.StatusCode);
        var entry = Assert.Single(first.Body.Metadata.ManagedFields);
        Assert.Equal(("operator-a", "Apply"), (entry.Manager, entry.Operation));

        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.PatchNamespacedConfigMapAsync(ApplyPatch("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},"data":{"color":"red","shape":"round"}}
            """), "settings", "default", fieldManager: "operator-b"));
        Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);
        var status = JsonNode.Parse(conflict.Response.Content)!;
        Assert.Equal("Apply failed with 1 conflict: conflict with \"operator-a\": .data.color", (string?)status["message"]);
        Assert.Equal("FieldManagerConflict", (string?)status["details"]!["causes"]![0]!["reason"]);
        Assert.Equal(".data.color", (string?)status["details"]!["causes"]![0]!["field"]);

        var forced = await client.CoreV1.PatchNamespacedConfigMapAsync(ApplyPatch("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},"data":{"color":"red","shape":"round"}}
            """), "settings", "default", fieldManager: "operator-b", force: true);
        Assert.Equal(new Dictionary<string, string> { ["color"] = "red", ["shape"] = "round", ["size"] = "L" }, forced.Data);
        Assert.Equal(["operator-a", "operator-b"], forced.Metadata.ManagedFields.Select(e => e.Manager).Order());

        // operator-a no longer applies size: it goes, since nobody else owns it.
        var pruned = await client.CoreV1.PatchNamespacedConfigMapAsync(ApplyPatch("""
            {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"settings"},"data":{}}
            """), "settings", "default", fieldManager: "operator-a");
        Assert.Equal(new Dictionary<string, string> { ["color"] = "red", ["shape"] = "round" }, pruned.Data);
    }

    [Fact]
    public async Task Every_write_records_its_manager_and_the_user_agent_stands_in_for_a_missing_one()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/namespaces/default/configmaps")
        {
            Content = Body("""{"metadata":{"name":"agent"},"data":{"a":"1"}}"""),
        };
        request.Headers.UserAgent.ParseAdd("my-tool/1.2.3");
        var created = await Ok(await _client.SendAsync(request));
        Assert.Equal("my-tool", (string?)created["metadata"]!["managedFields"]![0]!["manager"]);

        var patched = await Ok(await _client.Patch("/api/v1/namespaces/default/configmaps/agent?fieldManager=kubectl-edit", """{"data":{"b":"2"}}""", "application/merge-patch+json"));
        var entries = patched["metadata"]!["managedFields"]!.AsArray();
        Assert.Equal(["kubectl-edit", "my-tool"], entries.Select(e => (string?)e!["manager"]).Order());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"f:data":{"f:b":{}}}"""), entries.Single(e => (string?)e!["manager"] == "kubectl-edit")!["fieldsV1"]));
    }

    [Fact]
    public async Task A_status_apply_owns_status_fields_only()
    {
        await Ok(await _client.PostAsync("/api/v1/namespaces/default/services",
            Body("""{"metadata":{"name":"lb"},"spec":{"type":"ClusterIP","ports":[{"port":80}]}}""")));
        var applied = await Ok(await _client.Patch("/api/v1/namespaces/default/services/lb/status?fieldManager=lb-controller",
            """{"apiVersion":"v1","kind":"Service","metadata":{"name":"lb"},"status":{"loadBalancer":{"ingress":[{"ip":"127.0.255.200"}]}}}""", Apply));
        Assert.Equal("127.0.255.200", (string?)applied["status"]!["loadBalancer"]!["ingress"]![0]!["ip"]);
        var entry = applied["metadata"]!["managedFields"]!.AsArray().Single(e => (string?)e!["manager"] == "lb-controller")!;
        Assert.Equal(("Apply", "status"), ((string?)entry["operation"], (string?)entry["subresource"]));
        Assert.Equal(["f:status"], entry["fieldsV1"]!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task An_applied_scale_owns_the_parents_replicas_with_subresource_scale()
    {
        await Ok(await _client.PostAsync("/apis/apps/v1/namespaces/default/deployments", Body("""
            {"metadata":{"name":"scaled"},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"s"}},
             "template":{"metadata":{"labels":{"app":"s"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}
            """)));
        // The creator owns replicas: the scaler forces them over.
        Assert.StartsWith("Apply failed with 1 conflict",
            await Failure(await _client.Patch("/apis/apps/v1/namespaces/default/deployments/scaled/scale?fieldManager=autoscaler",
                """{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"scaled"},"spec":{"replicas":4}}""", Apply), 409, "Conflict"));
        var scale = await Ok(await _client.Patch("/apis/apps/v1/namespaces/default/deployments/scaled/scale?fieldManager=autoscaler&force=true",
            """{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"scaled"},"spec":{"replicas":4}}""", Apply));
        Assert.Equal(("Scale", 4), ((string?)scale["kind"], (int)scale["spec"]!["replicas"]!));

        var parent = await Ok(await _client.GetAsync("/apis/apps/v1/namespaces/default/deployments/scaled"));
        var entry = parent["metadata"]!["managedFields"]!.AsArray().Single(e => (string?)e!["manager"] == "autoscaler")!;
        Assert.Equal(("Apply", "scale"), ((string?)entry["operation"], (string?)entry["subresource"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"f:spec":{"f:replicas":{}}}"""), entry["fieldsV1"]), entry["fieldsV1"]!.ToJsonString());
        // Replicas are the scaler's now: applying another value through the parent conflicts with it.
        Assert.StartsWith("Apply failed with 1 conflict: conflict with \"autoscaler\" with subresource \"scale\": .spec.replicas",
            await Failure(await _client.Patch("/apis/apps/v1/namespaces/default/deployments/scaled?fieldManager=kubectl",
                """{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"scaled"},"spec":{"replicas":2}}""", Apply), 409, "Conflict"));
    }

    /// <summary>force is a boolean as apimachinery reads one: the Python client's "True" forces, only "0"/"false" in any case do not.</summary>
    [Theory]
    [InlineData("force=true", true)]
    [InlineData("force=True", true)]
    [InlineData("force=1", true)]
    [InlineData("force=false", false)]
    [InlineData("force=FALSE", false)]
    [InlineData("force=0", false)]
    public async Task Force_takes_over_a_conflicting_field_unless_it_reads_false(string query, bool forced)
    {
        var name = $"force-{Guid.NewGuid():N}"[..24];
        var path = $"/api/v1/namespaces/default/configmaps/{name}";
        string Config(string owner) => $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"{{{name}}}"},"data":{"owner":"{{{owner}}}"}}""";
        await Ok(await _client.Patch($"{path}?fieldManager=first", Config("first"), Apply));

        var second = await _client.Patch($"{path}?fieldManager=second&{query}", Config("second"), Apply);
        if (forced) Assert.Equal("second", (string?)(await Ok(second))["data"]!["owner"]);
        else Assert.Equal("Apply failed with 1 conflict: conflict with \"first\": .data.owner", await Failure(second, 409, "Conflict"));
    }

    [Theory]
    [InlineData("/api/v1/namespaces/default/configmaps/opts", Apply, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"opts"}}""",
        422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch")]
    [InlineData("/api/v1/namespaces/default/configmaps/opts?force=true", "application/merge-patch+json", """{"data":{}}""",
        422, "Invalid", "PatchOptions.meta.k8s.io \"\" is invalid: force: Forbidden: may not be specified for non-apply patch")]
    [InlineData("/api/v1/namespaces/default/configmaps/opts?fieldManager=m", Apply, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"opts","managedFields":[]}}""",
        400, "BadRequest", "metadata.managedFields must be nil")]
    [InlineData("/api/v1/namespaces/default/configmaps/opts?fieldManager=m", Apply, """{"apiVersion":"v2","kind":"ConfigMap","metadata":{"name":"opts"}}""",
        400, "BadRequest", "Incorrect version specified in apply patch. Specified patch version: v2, expected: v1")]
    [InlineData("/api/v1/namespaces/default/configmaps/opts?fieldManager=m", Apply, """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"other"}}""",
        400, "BadRequest", "the name of the object (other) does not match the name on the URL (opts)")]
    public async Task Apply_options_and_configurations_the_apiserver_refuses(string path, string type, string body, int code, string reason, string message)
    {
        Assert.Equal(message, await Failure(await _client.Patch(path, body, type), code, reason));
    }
}
