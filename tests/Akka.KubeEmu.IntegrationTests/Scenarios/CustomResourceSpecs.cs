using System.Text.Json;
using Akka.KubeEmu.IntegrationTests.Support;
using k8s;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.IntegrationTests.Scenarios;

/// <summary>
/// Issue E7: the CronTab CustomResourceDefinition of the Kubernetes docs, used with kubectl v1.32 and
/// with the official C# client as a tiny operator (watch the custom kind, write its status).
/// </summary>
[Collection("shared cluster")]
public sealed class CustomResourceSpecs(SharedCluster fixture)
{
    private const string Group = "stable.example.com";
    private static readonly string Examples = Path.Combine(AppContext.BaseDirectory, "config", "examples", "crd");
    private KubeEmuCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task A_CronTab_definition_serves_its_kind_to_kubectl_and_to_an_operator_written_with_the_CSharp_client()
    {
        (await Cluster.Kubectl.Run("apply", "-f", Path.Combine(Examples, "crontab-crd.yaml"))).Ok();
        var resources = await Eventually.Until(async () => (await Cluster.Kubectl.Run("api-resources", "--api-group", Group)).Ok().Stdout,
            s => s.Contains("crontabs"), TimeSpan.FromSeconds(5), "crontabs in kubectl api-resources");
        Assert.Equal(["crontabs", "ct", $"{Group}/v1", "true", "CronTab"],
            resources.Split('\n').Single(l => l.StartsWith("crontabs", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries));

        var kubectl = await fixture.Namespace("crontabs");
        (await kubectl.Run("apply", "-f", Path.Combine(Examples, "my-crontab.yaml"))).Ok();
        var table = TableOutput.Parse((await kubectl.Run("get", "crontabs")).Ok().Stdout);
        Assert.Equal(["NAME", "SPEC", "REPLICAS", "AGE"], table.Headers);
        Assert.Equal(("* * * * */5", "1"), (table.Row("my-new-cron-object")["SPEC"], table.Row("my-new-cron-object")["REPLICAS"]));

        var invalid = await kubectl.Run("apply", "-f", Path.Combine(Examples, "invalid-crontab.yaml"));
        Assert.NotEqual(0, invalid.ExitCode);
        Assert.Contains("The CronTab \"my-invalid-cron-object\" is invalid", invalid.Stderr);
        Assert.Contains("spec.replicas: Invalid value: 15: spec.replicas in body should be less than or equal to 10", invalid.Stderr);
        var refused = await kubectl.Run("patch", "crontab", "my-new-cron-object", "-p", """{"spec":{"image":"other"}}""");
        Assert.Contains("application/strategic-merge-patch+json is not supported", refused.Stderr);

        // The operator: watches CronTabs and reports spec.replicas in status.replicas, through /status.
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Cluster.KubeconfigPath));
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var operatorLoop = Task.Run(async () =>
        {
            var watch = client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync(Group, "v1", "crontabs", "crontabs", watch: true, cancellationToken: stop.Token);
            await foreach (var (type, crontab) in watch.WatchAsync<JsonElement, object>(cancellationToken: stop.Token))
            {
                if (type is not (WatchEventType.Added or WatchEventType.Modified)) continue;
                var wanted = crontab.GetProperty("spec").TryGetProperty("replicas", out var r) ? r.GetInt32() : 0;
                var reported = crontab.TryGetProperty("status", out var s) && s.TryGetProperty("replicas", out var sr) ? sr.GetInt32() : -1;
                if (wanted == reported) continue;
                await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
                    new V1Patch(new { status = new { replicas = wanted } }, V1Patch.PatchType.MergePatch),
                    Group, "v1", "crontabs", "crontabs", crontab.GetProperty("metadata").GetProperty("name").GetString(), cancellationToken: stop.Token);
            }
        }, stop.Token);

        await client.CustomObjects.CreateNamespacedCustomObjectAsync(new
        {
            apiVersion = $"{Group}/v1",
            kind = "CronTab",
            metadata = new { name = "from-csharp" },
            spec = new { cronSpec = "*/5 * * * *", image = "csharp", replicas = 2 },
        }, Group, "v1", "crontabs", "crontabs");
        await StatusReplicas(kubectl, "from-csharp", "2");
        (await kubectl.Run("scale", "crontab", "from-csharp", "--replicas=4")).Ok();
        await StatusReplicas(kubectl, "from-csharp", "4");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => operatorLoop);

        // Deleting the definition deletes its objects, and the kind leaves discovery.
        (await Cluster.Kubectl.Run("delete", "crd", $"crontabs.{Group}")).Ok();
        await Eventually.Until(async () => (await Cluster.Kubectl.Run("api-resources", "--api-group", Group)).Ok().Stdout,
            s => !s.Contains("crontabs"), TimeSpan.FromSeconds(10), "crontabs gone from kubectl api-resources");
        Assert.Contains("doesn't have a resource type", (await kubectl.Run("get", "crontabs")).Stderr);
    }

    private static Task<string> StatusReplicas(Kubectl kubectl, string name, string expected) =>
        Eventually.Until(async () => (await kubectl.Run("get", "crontab", name, "-o", "jsonpath={.status.replicas}")).Ok().Stdout.Trim(),
            s => s == expected, TimeSpan.FromSeconds(10), $"status.replicas of {name} {expected}");
}
