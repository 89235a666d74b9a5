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

    [Fact]
    public async Task Validation_rules_refuse_what_the_CSharp_client_writes_with_the_apiservers_422()
    {
        const string group = "cel.example.com";
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(Cluster.KubeconfigPath));
        var spec = new V1JSONSchemaProps
        {
            Type = "object",
            Properties = new Dictionary<string, V1JSONSchemaProps>
            {
                ["replicas"] = new() { Type = "integer" },
                ["maxReplicas"] = new() { Type = "integer" },
            },
            XKubernetesValidations = [new V1ValidationRule { Rule = "self.replicas <= self.maxReplicas", Message = "replicas may not exceed maxReplicas" }],
        };
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(new V1CustomResourceDefinition
        {
            Metadata = new V1ObjectMeta { Name = $"scalers.{group}" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = group,
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames { Plural = "scalers", Kind = "Scaler" },
                Versions = [new V1CustomResourceDefinitionVersion
                {
                    Name = "v1", Served = true, Storage = true,
                    Schema = new V1CustomResourceValidation { OpenAPIV3Schema = new V1JSONSchemaProps { Type = "object", Properties = new Dictionary<string, V1JSONSchemaProps> { ["spec"] = spec } } },
                }],
            },
        });
        var kubectl = await fixture.Namespace("cel-rules");
        await Eventually.Until(async () => await kubectl.Run("get", "scalers"), r => r.ExitCode == 0, TimeSpan.FromSeconds(5), "scalers served");

        object Scaler(string name, int replicas) => new { apiVersion = $"{group}/v1", kind = "Scaler", metadata = new { name }, spec = new { replicas, maxReplicas = 3 } };
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Scaler("fits", 2), group, "v1", "cel-rules", "scalers");
        var refused = await Assert.ThrowsAsync<k8s.Autorest.HttpOperationException>(() =>
            client.CustomObjects.CreateNamespacedCustomObjectAsync(Scaler("too-many", 5), group, "v1", "cel-rules", "scalers"));
        Assert.Equal(System.Net.HttpStatusCode.UnprocessableEntity, refused.Response.StatusCode);
        var status = JsonSerializer.Deserialize<V1Status>(refused.Response.Content)!;
        Assert.Equal(("Invalid", $"Scaler.{group} \"too-many\" is invalid: spec: Invalid value: \"object\": replicas may not exceed maxReplicas"), (status.Reason, status.Message));
        var scaled = await kubectl.Run("patch", "scaler", "fits", "--type=merge", "-p", """{"spec":{"replicas":4}}""");
        Assert.Contains("spec: Invalid value: \"object\": replicas may not exceed maxReplicas", scaled.Stderr);
        (await Cluster.Kubectl.Run("delete", "crd", $"scalers.{group}")).Ok();
    }

    private static Task<string> StatusReplicas(Kubectl kubectl, string name, string expected) =>
        Eventually.Until(async () => (await kubectl.Run("get", "crontab", name, "-o", "jsonpath={.status.replicas}")).Ok().Stdout.Trim(),
            s => s == expected, TimeSpan.FromSeconds(10), $"status.replicas of {name} {expected}");
}
