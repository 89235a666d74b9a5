using System.Globalization;
using Akka.KubeEmu.Actors.Resources;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.ResourceQuota;

/// <summary>
/// The quota evaluators of pkg/quota/v1/evaluator/core, reduced to what the emulator counts:
/// pods (those not Succeeded or Failed) and their cpu/memory requests and limits, and object counts.
/// </summary>
public static class QuotaUsage
{
    /// <summary>The resources whose usage is computed from the namespace's pods.</summary>
    public static bool IsPodResource(string name) =>
        name is "pods" or "count/pods" or "cpu" or "memory" or "requests.cpu" or "requests.memory" or "limits.cpu" or "limits.memory";

    /// <summary>The usage of <paramref name="name"/> by <paramref name="pods"/>, as a canonical quantity.</summary>
    public static string OfPods(string name, IReadOnlyList<V1Pod> pods)
    {
        var counted = pods.Where(IsCounted).ToList();
        return name switch
        {
            "pods" or "count/pods" => counted.Count.ToString(CultureInfo.InvariantCulture),
            "cpu" or "requests.cpu" => Cpu(counted.Sum(p => PodRequests.Of(p).MilliCpu)),
            "memory" or "requests.memory" => Memory(counted.Sum(p => PodRequests.Of(p).Memory)),
            "limits.cpu" => Cpu(counted.Sum(p => Limits(p).MilliCpu)),
            "limits.memory" => Memory(counted.Sum(p => Limits(p).Memory)),
            _ => "0",
        };
    }

    /// <summary>QuotaV1Pod: a pod in a terminal phase no longer uses its quota.</summary>
    public static bool IsCounted(V1Pod pod) => pod.Status?.Phase is not ("Succeeded" or "Failed");

    private static ResourceRequests Limits(V1Pod pod) =>
        (pod.Spec?.Containers ?? []).Aggregate(default(ResourceRequests), (sum, c) => sum + ResourceRequests.FromList(c.Resources?.Limits));

    private static string Cpu(long milli) =>
        new ResourceQuantity(milli / 1000m, 0, ResourceQuantity.SuffixFormat.DecimalSI).CanonicalizeString();

    private static string Memory(long bytes) =>
        new ResourceQuantity(bytes, 0, ResourceQuantity.SuffixFormat.BinarySI).CanonicalizeString();
}
