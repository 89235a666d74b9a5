using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Resources;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Scheduling;

/// <summary>
/// A pod as the scheduler sees it (framework.PodInfo): the informer's object (shared, never
/// changed) plus what is computed once from it: requests, host ports, priority and its parsed
/// pod affinity terms.
/// </summary>
public sealed class PodInfo
{
    private static readonly IReadOnlyList<AffinityTerm> NoTerms = [];
    private static readonly IReadOnlyList<WeightedAffinityTerm> NoWeightedTerms = [];

    private PodInfo(V1Pod pod)
    {
        Pod = pod;
        Requests = PodRequests.Of(pod);
        NonZeroRequests = new ResourceRequests(
            Requests.MilliCpu == 0 ? DefaultMilliCpuRequest : Requests.MilliCpu,
            Requests.Memory == 0 ? DefaultMemoryRequest : Requests.Memory,
            Requests.EphemeralStorage);
        HostPorts = Ports(pod.Spec);
        var affinity = pod.Spec?.Affinity;
        var ns = pod.Metadata.NamespaceProperty ?? "";
        RequiredAffinity = AffinityTerm.Parse(affinity?.PodAffinity?.RequiredDuringSchedulingIgnoredDuringExecution, ns) ?? NoTerms;
        RequiredAntiAffinity = AffinityTerm.Parse(affinity?.PodAntiAffinity?.RequiredDuringSchedulingIgnoredDuringExecution, ns) ?? NoTerms;
        PreferredAffinity = WeightedAffinityTerm.Parse(affinity?.PodAffinity?.PreferredDuringSchedulingIgnoredDuringExecution, ns) ?? NoWeightedTerms;
        PreferredAntiAffinity = WeightedAffinityTerm.Parse(affinity?.PodAntiAffinity?.PreferredDuringSchedulingIgnoredDuringExecution, ns) ?? NoWeightedTerms;
    }

    /// <summary>schedutil.DefaultMilliCPURequest / DefaultMemoryRequest: what scoring counts for a pod that asks nothing.</summary>
    public const long DefaultMilliCpuRequest = 100;
    public const long DefaultMemoryRequest = 200L * 1024 * 1024;

    public V1Pod Pod { get; }
    public ResourceRequests Requests { get; }
    public ResourceRequests NonZeroRequests { get; }
    public IReadOnlyList<HostPort> HostPorts { get; }
    public IReadOnlyList<AffinityTerm> RequiredAffinity { get; }
    public IReadOnlyList<AffinityTerm> RequiredAntiAffinity { get; }
    public IReadOnlyList<WeightedAffinityTerm> PreferredAffinity { get; }
    public IReadOnlyList<WeightedAffinityTerm> PreferredAntiAffinity { get; }
    public bool HasAffinity => RequiredAffinity.Count + RequiredAntiAffinity.Count + PreferredAffinity.Count + PreferredAntiAffinity.Count > 0;
    public string Namespace => Pod.Metadata.NamespaceProperty ?? "";
    public string Name => Pod.Metadata.Name ?? "";
    public string Key => KubeModels.Key(Pod);
    public string? NodeName => Pod.Spec?.NodeName is { Length: > 0 } n ? n : null;
    public IDictionary<string, string> Labels => Pod.Metadata.Labels ?? Empty;

    /// <summary>corev1helpers.PodPriority: spec.priority, 0 when unset.</summary>
    public int Priority => Pod.Spec?.Priority ?? 0;

    public bool PreemptsOthers => Pod.Spec?.PreemptionPolicy != "Never";

    /// <summary>When the pod started on its node, or was created (GetPodStartTime), for choosing among victims.</summary>
    public DateTime StartTime => Pod.Status?.StartTime ?? Pod.Metadata.CreationTimestamp ?? DateTime.MinValue;

    private static readonly Dictionary<string, string> Empty = [];

    public static PodInfo From(V1Pod pod) => new(pod);

    /// <summary>Pending, unassigned, ours, and not being deleted or finished.</summary>
    public bool NeedsScheduling =>
        NodeName is null
        && (Pod.Spec?.SchedulerName ?? Scheduler.SchedulerName) == Scheduler.SchedulerName
        && Pod.Metadata.DeletionTimestamp is null
        && Pod.Status?.Phase is not ("Succeeded" or "Failed")
        && Pod.Spec?.SchedulingGates is not { Count: > 0 };

    /// <summary>Bound pods that still hold their node's resources.</summary>
    public bool HoldsResources => NodeName is not null && Pod.Status?.Phase is not ("Succeeded" or "Failed");

    // The regular containers' and the sidecars' hostPorts (schedutil.GetHostPorts).
    private static IReadOnlyList<HostPort> Ports(V1PodSpec? spec)
    {
        List<HostPort>? ports = null;
        var containers = (spec?.Containers ?? []).Concat((spec?.InitContainers ?? []).Where(c => c.RestartPolicy == "Always"));
        foreach (var c in containers)
            foreach (var p in c.Ports ?? [])
                if (p.HostPort is > 0 and var hostPort)
                    (ports ??= []).Add(new HostPort(string.IsNullOrEmpty(p.HostIP) ? HostPort.AnyIp : p.HostIP, p.Protocol ?? "TCP", hostPort));
        return ports ?? (IReadOnlyList<HostPort>)[];
    }
}
