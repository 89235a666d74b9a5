using System.Net;
using k8s;
using k8s.Autorest;
using Xunit;
using static Akka.KubeEmu.Tests.ApiServer.Http;

namespace Akka.KubeEmu.Tests.ApiServer;

/// <summary>
/// resourceVersion, resourceVersionMatch and continue as kube-apiserver v1.32 serves them, through
/// HTTP and the official C# client: the options validated (422), paged lists as one snapshot,
/// exact lists from history, and 410 Expired with an inconsistent continue token once the history
/// is compacted (`POST /kubeemu/v1/compact`, what `kubeemu compact` calls).
/// </summary>
public sealed class ListSemanticsApiSpecs(ApiServerFixtureHolder holder) : IClassFixture<ApiServerFixtureHolder>
{
    private readonly HttpClient _client = holder.Fixture.Client;

    private async Task NamespaceWith(string ns, params string[] configMaps)
    {
        await Ok(await _client.PostAsync("/api/v1/namespaces", Body($$$"""{"metadata":{"name":"{{{ns}}}"}}""")));
        foreach (var name in configMaps)
            await Ok(await _client.PostAsync($"/api/v1/namespaces/{ns}/configmaps", Body($$$"""{"metadata":{"name":"{{{name}}}"}}""")));
    }

    [Theory]
    [InlineData("resourceVersionMatch=Exact", "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided")]
    [InlineData("resourceVersionMatch=Exact&resourceVersion=0", "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"")]
    [InlineData("resourceVersionMatch=Newest&resourceVersion=5", "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Unsupported value: \"Newest\": supported values: \"Exact\", \"NotOlderThan\", \"\"")]
    [InlineData("resourceVersionMatch=NotOlderThan&resourceVersion=5&continue=abc", "ListOptions.meta.k8s.io \"\" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided")]
    [InlineData("sendInitialEvents=true", "ListOptions.meta.k8s.io \"\" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list")]
    public async Task List_options_the_apiserver_refuses_are_422(string query, string message)
    {
        var response = await _client.GetAsync($"/api/v1/configmaps?{query}");
        Assert.Equal(message, await Failure(response, 422, "Invalid"));
    }

    [Fact]
    public async Task A_resource_version_with_a_continue_token_or_a_bad_token_is_400()
    {
        await NamespaceWith("tokens", "a", "b");
        var first = await Ok(await _client.GetAsync("/api/v1/namespaces/tokens/configmaps?limit=1"));
        var token = first["metadata"]!["continue"]!.GetValue<string>();
        Assert.Equal("specifying resource version is not allowed when using continue",
            await Failure(await _client.GetAsync($"/api/v1/namespaces/tokens/configmaps?limit=1&continue={token}&resourceVersion=3"), 400, "BadRequest"));
        Assert.StartsWith("invalid continue token: continue key is not valid",
            await Failure(await _client.GetAsync("/api/v1/namespaces/tokens/configmaps?limit=1&continue=notatoken"), 400, "BadRequest"));
    }

    [Fact]
    public async Task The_official_client_pages_one_snapshot_reads_history_exactly_and_gets_410_after_a_compaction()
    {
        await NamespaceWith("paged", "a", "b", "c", "d");
        using var client = holder.Fixture.OfficialClient();

        var first = await client.CoreV1.ListNamespacedConfigMapAsync("paged", limit: 2);
        Assert.Equal(["a", "b"], first.Items.Select(i => i.Metadata.Name));
        Assert.Equal(2, first.Metadata.RemainingItemCount);
        await client.CoreV1.DeleteNamespacedConfigMapAsync("d", "paged");
        await client.CoreV1.CreateNamespacedConfigMapAsync(new k8s.Models.V1ConfigMap { Metadata = new() { Name = "bb" } }, "paged");

        var second = await client.CoreV1.ListNamespacedConfigMapAsync("paged", limit: 2, continueParameter: first.Metadata.ContinueProperty);
        Assert.Equal(["c", "d"], second.Items.Select(i => i.Metadata.Name));
        Assert.Equal(first.Metadata.ResourceVersion, second.Metadata.ResourceVersion);

        var exact = await client.CoreV1.ListNamespacedConfigMapAsync("paged", resourceVersion: first.Metadata.ResourceVersion, resourceVersionMatch: "Exact");
        Assert.Equal(["a", "b", "c", "d"], exact.Items.Select(i => i.Metadata.Name));

        var third = await client.CoreV1.ListNamespacedConfigMapAsync("paged", limit: 1, continueParameter: first.Metadata.ContinueProperty);
        var compacted = await _client.PostAsync("/kubeemu/v1/compact", null);
        Assert.Equal(HttpStatusCode.OK, compacted.StatusCode);

        var expired = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CoreV1.ListNamespacedConfigMapAsync("paged", limit: 1, continueParameter: third.Metadata.ContinueProperty));
        Assert.Equal(HttpStatusCode.Gone, expired.Response.StatusCode);
        var status = System.Text.Json.Nodes.JsonNode.Parse(expired.Response.Content)!;
        Assert.Equal("Expired", status["reason"]!.GetValue<string>());
        var inconsistent = status["metadata"]!["continue"]!.GetValue<string>();

        // The rest, inconsistently: the present state after "c".
        var rest = await client.CoreV1.ListNamespacedConfigMapAsync("paged", continueParameter: inconsistent);
        Assert.Equal([], rest.Items.Select(i => i.Metadata.Name));
        var all = await client.CoreV1.ListNamespacedConfigMapAsync("paged");
        Assert.Equal(["a", "b", "bb", "c"], all.Items.Select(i => i.Metadata.Name));

        var old = await Assert.ThrowsAsync<HttpOperationException>(() =>
            client.CoreV1.ListNamespacedConfigMapAsync("paged", resourceVersion: first.Metadata.ResourceVersion, resourceVersionMatch: "Exact"));
        Assert.Equal(HttpStatusCode.Gone, old.Response.StatusCode);
        Assert.Contains("The resourceVersion for the provided list is too old.", old.Response.Content);
    }
}
