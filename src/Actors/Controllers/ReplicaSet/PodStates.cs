using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.ReplicaSet;

/// <summary>What workload controllers ask of a pod (pkg/api/v1/pod's IsPodReady/IsPodAvailable, pkg/controller's IsPodActive).</summary>
public static class PodStates
{
    /// <summary>Not Succeeded, not Failed, not being deleted: a pod that counts as a replica.</summary>
    public static bool IsActive(V1Pod pod) =>
        pod.Status?.Phase is not ("Succeeded" or "Failed") && pod.Metadata?.DeletionTimestamp is null;

    public static V1PodCondition? ReadyCondition(V1Pod pod) =>
        pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");

    public static bool IsReady(V1Pod pod) => ReadyCondition(pod)?.Status == "True";

    /// <summary>Ready, and for longer than <paramref name="minReadySeconds"/> by the Ready condition's lastTransitionTime.</summary>
    public static bool IsAvailable(V1Pod pod, int minReadySeconds, DateTimeOffset now)
    {
        if (!IsReady(pod)) return false;
        if (minReadySeconds == 0) return true;
        return Utc(ReadyCondition(pod)!.LastTransitionTime) is { } since && since + TimeSpan.FromSeconds(minReadySeconds) < now;
    }

    /// <summary>When the pod became ready (null when it is not, or the time is unknown).</summary>
    public static DateTimeOffset? ReadySince(V1Pod pod) =>
        IsReady(pod) ? Utc(ReadyCondition(pod)!.LastTransitionTime) : null;

    /// <summary>The highest restartCount of the pod's containers.</summary>
    public static int MaxContainerRestarts(V1Pod pod) =>
        pod.Status?.ContainerStatuses?.Select(c => c.RestartCount).DefaultIfEmpty(0).Max() ?? 0;

    /// <summary>A model timestamp (decoded as UTC, or unspecified) as an instant.</summary>
    public static DateTimeOffset? Utc(DateTime? time) => time switch
    {
        null => null,
        { Kind: DateTimeKind.Local } t => new DateTimeOffset(t.ToUniversalTime(), TimeSpan.Zero),
        { } t => new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc), TimeSpan.Zero),
    };
}
