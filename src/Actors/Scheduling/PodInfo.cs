using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Resources;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Scheduling;

/// <summary>A pod as the scheduler sees it: the informer's object (shared, never changed) plus its computed requests.</summary>
public sealed class PodInfo
{
    private PodInfo(V1Pod pod)
    {
        Pod = pod;
        Requests = PodRequests.Of(pod);
    }

    public V1Pod Pod { get; }
    public ResourceRequests Requests { get; }
    public string Namespace => Pod.Metadata.NamespaceProperty ?? "";
    public string Name => Pod.Metadata.Name ?? "";
    public string Key => KubeModels.Key(Pod);
    public string? NodeName => Pod.Spec?.NodeName is { Length: > 0 } n ? n : null;

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
}
