using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.ApiServer;

/// <summary>
/// dryRun=All through the official C# client: the answer is what the write would store, but nothing
/// is stored, so no resourceVersion is consumed (a created object has none, a changed one keeps the
/// stored one) and later reads see the object as it was.
/// </summary>
public sealed class DryRunSpecs(ApiServerFixtureHolder holder) : IClassFixture<ApiServerFixtureHolder>
{
    private const string Namespace = "default";

    private static V1ConfigMap ConfigMap(string name, string value) =>
        new() { Metadata = new V1ObjectMeta { Name = name }, Data = new Dictionary<string, string> { ["a"] = value } };

    [Fact]
    public async Task A_dry_run_create_answers_the_object_without_a_resource_version_and_stores_nothing()
    {
        using var client = holder.Fixture.OfficialClient();
        var answer = await client.CoreV1.CreateNamespacedConfigMapWithHttpMessagesAsync(ConfigMap("dry-create", "1"), Namespace, dryRun: "All");

        Assert.Equal(HttpStatusCode.Created, answer.Response.StatusCode);
        Assert.Null(answer.Body.Metadata.ResourceVersion);
        Assert.NotNull(answer.Body.Metadata.Uid);
        Assert.NotNull(answer.Body.Metadata.CreationTimestamp);
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedConfigMapAsync("dry-create", Namespace));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
    }

    [Fact]
    public async Task A_dry_run_apply_that_would_create_answers_without_a_resource_version()
    {
        using var client = holder.Fixture.OfficialClient();
        var patch = new V1Patch("""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dry-apply"},"data":{"a":"1"}}""", V1Patch.PatchType.ApplyPatch);
        var answer = await client.CoreV1.PatchNamespacedConfigMapAsync(patch, "dry-apply", Namespace, dryRun: "All", fieldManager: "dry");

        Assert.Null(answer.Metadata.ResourceVersion);
        Assert.Equal("1", answer.Data["a"]);
        var missing = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReadNamespacedConfigMapAsync("dry-apply", Namespace));
        Assert.Equal(HttpStatusCode.NotFound, missing.Response.StatusCode);
    }

    [Fact]
    public async Task Dry_run_updates_patches_and_deletes_answer_the_stored_resource_version_and_change_nothing()
    {
        using var client = holder.Fixture.OfficialClient();
        var stored = await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("dry-change", "1"), Namespace);
        var rv = stored.Metadata.ResourceVersion;

        stored.Data["a"] = "2";
        var replaced = await client.CoreV1.ReplaceNamespacedConfigMapAsync(stored, "dry-change", Namespace, dryRun: "All");
        var patched = await client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch("""{"data":{"a":"3"}}""", V1Patch.PatchType.MergePatch), "dry-change", Namespace, dryRun: "All");
        await client.CoreV1.DeleteNamespacedConfigMapAsync("dry-change", Namespace, dryRun: "All");

        Assert.Equal(("2", rv), (replaced.Data["a"], replaced.Metadata.ResourceVersion));
        Assert.Equal(("3", rv), (patched.Data["a"], patched.Metadata.ResourceVersion));
        var after = await client.CoreV1.ReadNamespacedConfigMapAsync("dry-change", Namespace);
        Assert.Equal(("1", rv), (after.Data["a"], after.Metadata.ResourceVersion));
    }

    [Fact]
    public async Task A_success_status_of_the_core_group_names_no_group()
    {
        using var client = holder.Fixture.OfficialClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(ConfigMap("deleted-status", "1"), Namespace);
        using var response = await holder.Fixture.Client.DeleteAsync($"/api/v1/namespaces/{Namespace}/configmaps/deleted-status");

        var details = (await Http.Ok(response))["details"]!.AsObject();
        Assert.Equal(["name", "kind", "uid"], details.Select(p => p.Key));
        Assert.Equal(("deleted-status", "configmaps"), (details["name"]!.GetValue<string>(), details["kind"]!.GetValue<string>()));
    }
}
