using System.Globalization;
using Akka.KubeEmu.Actors.Controllers.ReplicaSet;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Job;

/// <summary>The labels, annotations and finalizer of batch/v1, and what the Job controller asks of a pod.</summary>
public static class JobPods
{
    public const string TrackingFinalizer = "batch.kubernetes.io/job-tracking";
    public const string ControllerUidLabel = "batch.kubernetes.io/controller-uid";
    public const string JobNameLabel = "batch.kubernetes.io/job-name";
    public const string LegacyControllerUidLabel = "controller-uid";
    public const string LegacyJobNameLabel = "job-name";
    public const string CompletionIndexAnnotation = "batch.kubernetes.io/job-completion-index";
    public const string IndexFailureCountAnnotation = "batch.kubernetes.io/job-index-failure-count";
    public const string IndexIgnoredFailureCountAnnotation = "batch.kubernetes.io/job-index-ignored-failure-count";
    public const string CompletionIndexEnv = "JOB_COMPLETION_INDEX";

    public static bool HasTrackingFinalizer(V1Pod pod) => pod.Metadata?.Finalizers?.Contains(TrackingFinalizer) == true;

    public static bool IsTerminal(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";

    public static bool IsActive(V1Pod pod) => PodStates.IsActive(pod);

    /// <summary>
    /// Being deleted and not finished: the kubelet is still stopping it. A pod that was never bound
    /// will never be stopped by a kubelet (Kubernetes' pod GC marks such pods Failed): not counted.
    /// </summary>
    public static bool IsTerminating(V1Pod pod) =>
        pod.Metadata?.DeletionTimestamp is not null && !IsTerminal(pod) && !string.IsNullOrEmpty(pod.Spec?.NodeName);

    /// <summary>isPodFailed: Failed, or deleted before it succeeded (unless a pod failure policy or podReplacementPolicy Failed waits for the phase).</summary>
    public static bool IsFailed(V1Pod pod, V1Job job)
    {
        if (job.Spec?.PodReplacementPolicy == "Failed" || job.Spec?.PodFailurePolicy is not null) return pod.Status?.Phase == "Failed";
        if (pod.Status?.Phase == "Failed") return true;
        return pod.Metadata?.DeletionTimestamp is not null && pod.Status?.Phase != "Succeeded";
    }

    /// <summary>getCompletionIndex: the index of an Indexed Job's pod, or null when missing or out of range.</summary>
    public static int? CompletionIndex(V1Pod pod, int completions)
    {
        string? text = null;
        if (pod.Metadata?.Annotations?.TryGetValue(CompletionIndexAnnotation, out var a) == true) text = a;
        else if (pod.Metadata?.Labels?.TryGetValue(CompletionIndexAnnotation, out var l) == true) text = l;
        if (text is null || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index)) return null;
        return index < completions ? index : null;
    }

    public static int IndexFailureCount(V1Pod pod) =>
        pod.Metadata?.Annotations?.TryGetValue(IndexFailureCountAnnotation, out var text) == true
        && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;

    /// <summary>getFinishedTime: the last container's finishedAt, else the deletion, else now.</summary>
    public static DateTimeOffset FinishedAt(V1Pod pod, DateTimeOffset now)
    {
        DateTimeOffset? last = null;
        foreach (var status in (pod.Status?.ContainerStatuses ?? []).Concat(pod.Status?.InitContainerStatuses ?? []))
            if (PodStates.Utc(status.State?.Terminated?.FinishedAt) is { } at && (last is null || at > last))
                last = at;
        return last ?? PodStates.Utc(pod.Metadata?.DeletionTimestamp) ?? now;
    }

    /// <summary>The restarts of every container of a pod still running or pending (pastBackoffLimitOnFailure).</summary>
    public static int Restarts(V1Pod pod) =>
        pod.Status?.Phase is "Running" or "Pending"
            ? (pod.Status.ContainerStatuses ?? []).Sum(c => c.RestartCount) + (pod.Status.InitContainerStatuses ?? []).Sum(c => c.RestartCount)
            : 0;
}
