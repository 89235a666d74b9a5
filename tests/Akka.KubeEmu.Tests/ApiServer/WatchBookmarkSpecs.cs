using k8s;
using System.Text.Json.Nodes;
using Xunit;
using static Akka.KubeEmu.Tests.ApiServer.Http;

namespace Akka.KubeEmu.Tests.ApiServer;

/// <summary>
/// BOOKMARK events as kube-apiserver 1.32 sends them: on request (allowWatchBookmarks) before a
/// watch's timeout, and the WatchList stream (sendInitialEvents) ending its initial state with the
/// `k8s.io/initial-events-end` bookmark; the options validated as apimachinery does.
/// </summary>
public sealed class WatchBookmarkSpecs(ApiServerFixtureHolder holder) : IClassFixture<ApiServerFixtureHolder>
{
    private readonly HttpClient _client = holder.Fixture.Client;

    private async Task<JsonObject> CreateConfigMap(string ns, string name) =>
        await Ok(await _client.PostAsync($"/api/v1/namespaces/{ns}/configmaps", Body($$$"""{"metadata":{"name":"{{{name}}}"}}""")));

    private async Task Namespace(string name) =>
        await Ok(await _client.PostAsync("/api/v1/namespaces", Body($$$"""{"metadata":{"name":"{{{name}}}"}}""")));

    private async Task<StreamReader> Watch(string query)
    {
        var response = await _client.SendAsync(new HttpRequestMessage(HttpMethod.Get, query), HttpCompletionOption.ResponseHeadersRead);
        // The body is read for the message only on failure: read eagerly, it would consume the stream.
        if (!response.IsSuccessStatusCode) Assert.Fail($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return new StreamReader(await response.Content.ReadAsStreamAsync());
    }

    private static async Task<JsonObject> Next(StreamReader reader) =>
        JsonNode.Parse((await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)))!)!.AsObject();

    private static string Rv(JsonObject obj) => obj["metadata"]!["resourceVersion"]!.GetValue<string>();

    [Fact]
    public async Task A_watch_list_sends_the_current_objects_then_the_initial_events_end_bookmark_then_changes()
    {
        await Namespace("watch-list");
        await CreateConfigMap("watch-list", "a");
        var b = await CreateConfigMap("watch-list", "b");

        using var reader = await Watch("/api/v1/namespaces/watch-list/configmaps?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&timeoutSeconds=30");
        var initial = new[] { await Next(reader), await Next(reader) };
        Assert.Equal(["ADDED a", "ADDED b"], initial.Select(e => $"{e["type"]} {e["object"]!["metadata"]!["name"]}").Order());
        var end = await Next(reader);
        Assert.Equal("BOOKMARK", end["type"]!.GetValue<string>());
        var bookmark = end["object"]!.AsObject();
        Assert.Equal(("ConfigMap", "v1"), (bookmark["kind"]!.GetValue<string>(), bookmark["apiVersion"]!.GetValue<string>()));
        Assert.Equal("true", bookmark["metadata"]!["annotations"]!["k8s.io/initial-events-end"]!.GetValue<string>());
        Assert.True(long.Parse(Rv(bookmark)) >= long.Parse(Rv(b)));

        await CreateConfigMap("watch-list", "c");
        var later = await Next(reader);
        Assert.Equal(("ADDED", "c"), (later["type"]!.GetValue<string>(), later["object"]!["metadata"]!["name"]!.GetValue<string>()));
        Assert.True(long.Parse(Rv(later["object"]!.AsObject())) > long.Parse(Rv(bookmark)));
    }

    [Fact]
    public async Task A_quiet_watch_that_allows_bookmarks_gets_one_before_its_timeout_past_changes_elsewhere()
    {
        await Namespace("quiet");
        await Namespace("busy");
        var list = await Ok(await _client.GetAsync("/api/v1/namespaces/quiet/configmaps"));
        // A change after the list that the watch does not select (made first: the bookmark is due 2 s after the watch starts).
        var elsewhere = await CreateConfigMap("busy", "noise");
        using var reader = await Watch($"/api/v1/namespaces/quiet/configmaps?watch=true&allowWatchBookmarks=true&timeoutSeconds=4&resourceVersion={Rv(list)}");

        // 2 s before the 4 s timeout, a bookmark at the latest change, though none concerned this watch.
        var ev = await Next(reader);
        Assert.Equal("BOOKMARK", ev["type"]!.GetValue<string>());
        Assert.Equal(Rv(elsewhere), Rv(ev["object"]!.AsObject()));
        Assert.Null(ev["object"]!["metadata"]!["annotations"]);
        Assert.Null(await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Without_allowWatchBookmarks_a_watch_gets_no_bookmark()
    {
        var list = await Ok(await _client.GetAsync("/api/v1/namespaces/default/configmaps"));
        using var reader = await Watch($"/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=3&resourceVersion={Rv(list)}");
        Assert.Null(await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task The_official_csharp_client_receives_the_bookmark_of_a_quiet_watch_as_a_typed_event()
    {
        var fixture = holder.Fixture;
        var ca = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
        ca.ImportFromPemFile(fixture.CaPath);
        using var client = new k8s.Kubernetes(new k8s.KubernetesClientConfiguration { Host = fixture.Address, AccessToken = ApiServerFixture.Token, SslCaCerts = ca });
        await Namespace("typed");
        var list = await client.CoreV1.ListNamespacedConfigMapAsync("typed");

        var events = new System.Collections.Concurrent.ConcurrentQueue<(k8s.WatchEventType Type, string? ResourceVersion)>();
        var closed = new TaskCompletionSource();
        using var response = await client.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync("typed", watch: true, allowWatchBookmarks: true,
            resourceVersion: list.Metadata.ResourceVersion, timeoutSeconds: 3);
        using var watcher = k8s.WatcherExt.Watch<k8s.Models.V1ConfigMap, k8s.Models.V1ConfigMapList>(response,
            (type, item) => events.Enqueue((type, item.Metadata?.ResourceVersion)), onError: _ => { }, onClosed: () => closed.TrySetResult());
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(15));

        var bookmark = Assert.Single(events);
        Assert.Equal(k8s.WatchEventType.Bookmark, bookmark.Type);
        Assert.True(long.Parse(bookmark.ResourceVersion!) >= long.Parse(list.Metadata.ResourceVersion));
    }

    [Theory]
    [InlineData("sendInitialEvents=true", "resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan")]
    [InlineData("resourceVersionMatch=NotOlderThan", "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided")]
    [InlineData("sendInitialEvents=true&resourceVersionMatch=Exact",
        "[resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan, resourceVersionMatch: Unsupported value: \"Exact\": supported values: \"NotOlderThan\"]")]
    public async Task Watch_list_options_out_of_place_are_422_as_from_the_apiserver(string query, string message)
    {
        var response = await _client.GetAsync($"/api/v1/namespaces/default/configmaps?watch=true&{query}");
        Assert.Equal($"ListOptions.meta.k8s.io \"\" is invalid: {message}", await Failure(response, 422, "Invalid"));
    }
}
