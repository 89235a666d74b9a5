using Akka.KubeEmu.Actors.Controllers.ResourceQuota;
using k8s.Models;
using Xunit;

namespace Akka.KubeEmu.Tests.Controllers.ResourceQuota;

/// <summary>The resource quota controller against a real Store: status.hard mirrors the spec, status.used counts pods, their requests and objects.</summary>
public sealed class ResourceQuotaControllerSpecs : ControllerSpecBase
{
    public ResourceQuotaControllerSpecs()
    {
        CreateNamespace("default");
    }

    private void CreateQuota(Dictionary<string, string> hard) => _ = Await(Api.Create(new V1ResourceQuota
    {
        ApiVersion = "v1", Kind = "ResourceQuota",
        Metadata = new V1ObjectMeta { Name = "quota", NamespaceProperty = "default" },
        Spec = new V1ResourceQuotaSpec { Hard = hard.ToDictionary(p => p.Key, p => new ResourceQuantity(p.Value)) },
    })).Object;

    private void CreatePod(string name, string cpu, string memory) => _ = Await(Api.Create(new V1Pod
    {
        ApiVersion = "v1", Kind = "Pod",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new V1PodSpec
        {
            Containers = [new V1Container
            {
                Name = "c", Image = "nginx",
                Resources = new V1ResourceRequirements
                {
                    Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory) },
                    Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new(memory) },
                },
            }],
        },
    })).Object;

    private string Used()
    {
        var quota = Await(Api.Get<V1ResourceQuota>("default", "quota")).Object;
        return quota.Status?.Used is { } used ? string.Join(" ", used.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")) : "";
    }

    private void WaitForUsed(string expected) =>
        Assert.True(Eventually(() => Used() == expected, Budget, $"used {expected}", TimeSpan.FromMilliseconds(10)));

    [Fact]
    public void Used_counts_the_pods_of_the_namespace_and_their_requests_and_follows_them()
    {
        StartController(ResourceQuotaController.Props);
        CreatePod("a", "250m", "128Mi");
        CreateQuota(new() { ["pods"] = "10", ["requests.cpu"] = "2", ["limits.memory"] = "1Gi", ["configmaps"] = "5" });
        WaitForUsed("configmaps=0 limits.memory=128Mi pods=1 requests.cpu=250m");

        CreatePod("b", "500m", "128Mi");
        WaitForUsed("configmaps=0 limits.memory=256Mi pods=2 requests.cpu=750m");

        // A finished pod no longer uses its quota.
        SetPhase("a", "Succeeded");
        WaitForUsed("configmaps=0 limits.memory=128Mi pods=1 requests.cpu=500m");
        var quota = Await(Api.Get<V1ResourceQuota>("default", "quota")).Object;
        Assert.Equal("10", quota.Status.Hard["pods"].ToString());
    }
}
