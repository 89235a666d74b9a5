using System.Net;
using Akka.KubeEmu.IntegrationTests.Support;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>
/// Issue E7 with the official C# client against a running cluster, as an operator author uses it:
/// CRUD with optimistic concurrency, a watch with bookmarks, server-side apply and its conflict, and
/// another user's Forbidden; and the same stock-client checks with the official Python and
/// JavaScript clients (scripts under Clients/).
/// </summary>
[Collection("shared cluster")]
public sealed class OfficialClientSpecs(SharedCluster fixture)
{
    private KubeEmuCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task Crud_watch_with_bookmarks_server_side_apply_and_forbidden_through_the_official_client()
    {
        await fixture.Namespace("csharp");
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Cluster.KubeconfigPath));

        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "crud" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, "csharp");
        created.Data["a"] = "2";
        var updated = await client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "crud", "csharp");
        Assert.NotEqual(created.Metadata.ResourceVersion, updated.Metadata.ResourceVersion);
        var stale = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.ReplaceNamespacedConfigMapAsync(created, "crud", "csharp"));
        Assert.Equal(HttpStatusCode.Conflict, stale.Response.StatusCode);

        // A WatchList (sendInitialEvents) sends the current objects, then the initial-events-end bookmark,
        // then the changes: the official client's typed events, as a reflector consumes them.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = new List<(WatchEventType Type, string? Name)>();
        var initialStateSent = new TaskCompletionSource();
        var watching = Task.Run(async () =>
        {
            var watch = client.CoreV1.ListNamespacedConfigMapWithHttpMessagesAsync("csharp", watch: true, allowWatchBookmarks: true,
                sendInitialEvents: true, resourceVersionMatch: "NotOlderThan", timeoutSeconds: 15, cancellationToken: stop.Token);
            await foreach (var (type, item) in watch.WatchAsync<V1ConfigMap, V1ConfigMapList>(cancellationToken: stop.Token))
            {
                lock (events) events.Add((type, item.Metadata?.Name));
                if (type == WatchEventType.Bookmark) initialStateSent.TrySetResult();
                if (type == WatchEventType.Deleted) return;
            }
        }, stop.Token);
        await initialStateSent.Task.WaitAsync(stop.Token);
        await client.CoreV1.DeleteNamespacedConfigMapAsync("crud", "csharp");
        await watching;
        lock (events)
        {
            var bookmark = events.FindIndex(e => e.Type == WatchEventType.Bookmark);
            Assert.InRange(events.IndexOf((WatchEventType.Added, "crud")), 0, bookmark - 1);
            Assert.Equal((WatchEventType.Deleted, "crud"), events[^1]);
        }

        // Server-side apply: created by the first applier, a conflict for the second, taken over with force.
        const string Applied = """{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"applied"},"data":{"owner":"first"}}""";
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(Applied, V1Patch.PatchType.ApplyPatch), "applied", "csharp", fieldManager: "first");
        var conflict = await Assert.ThrowsAsync<HttpOperationException>(() => client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch(Applied.Replace("first\"}", "second\"}"), V1Patch.PatchType.ApplyPatch), "applied", "csharp", fieldManager: "second"));
        Assert.Equal(HttpStatusCode.Conflict, conflict.Response.StatusCode);
        Assert.Contains("Apply failed with 1 conflict: conflict with \\\"first\\\": .data.owner", conflict.Response.Content);
        var forced = await client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch(Applied.Replace("first\"}", "second\"}"), V1Patch.PatchType.ApplyPatch), "applied", "csharp", fieldManager: "second", force: true);
        Assert.Equal("second", forced.Data["owner"]);
        Assert.Equal("second", Assert.Single(forced.Metadata.ManagedFields).Manager);

        // Another user, with no binding: Forbidden, worded as the apiserver words it.
        using var bob = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(await Cluster.KubeconfigFor("bob")));
        var forbidden = await Assert.ThrowsAsync<HttpOperationException>(() => bob.CoreV1.ListNamespacedConfigMapAsync("csharp"));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Response.StatusCode);
        Assert.Contains("configmaps is forbidden: User \\\"bob\\\" cannot list resource \\\"configmaps\\\" in API group \\\"\\\" in the namespace \\\"csharp\\\"", forbidden.Response.Content);
    }

    /// <summary>
    /// The stock-client breakages issue E7 names, with Debian's python3-kubernetes (scripts/test
    /// installs it): one line per check, shown when any fails.
    /// </summary>
    [Fact]
    public async Task The_python_client_passes_the_stock_client_checks()
    {
        await fixture.Namespace("python");
        // Debian's package is for Debian's interpreter, not one a version manager put first on PATH.
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        await RunChecks("python client", python, "python_client_checks.py", "--namespace", "python");
    }

    /// <summary>The same checks with @kubernetes/client-node (scripts/test installs it with npm and names its node_modules).</summary>
    [Fact]
    public async Task The_javascript_client_passes_the_stock_client_checks()
    {
        var modules = Environment.GetEnvironmentVariable("KUBEEMU_TEST_NODE_MODULES") is { Length: > 0 } m
            ? m
            : throw new InvalidOperationException("KUBEEMU_TEST_NODE_MODULES is not set: run the suite with scripts/test, which installs @kubernetes/client-node");
        await fixture.Namespace("javascript");
        await RunChecks("javascript client", "node", "javascript_client_checks.mjs", "--namespace", "javascript", "--modules", modules);
    }

    private async Task RunChecks(string client, string interpreter, string script, params string[] args)
    {
        var run = await KubeEmuCluster.Run(interpreter, TimeSpan.FromSeconds(60),
            [Path.Combine(AppContext.BaseDirectory, "Clients", script), "--kubeconfig", Cluster.KubeconfigPath, .. args]);
        Assert.True(run.ExitCode == 0, $"{client} checks failed ({run.ExitCode}):\n{run.Stdout}\n{run.Stderr}");
        Assert.Contains($"{client}: 9 checks, 0 failing", run.Stdout);
    }
}
