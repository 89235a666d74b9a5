using Akka.KubeEmu.Actors.Api.Selectors;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.ReplicaSet;

/// <summary>The ReplicaSet controller's calculateStatus and its condition helpers (replica_set_utils.go).</summary>
public static class ReplicaStatuses
{
    public const string ReplicaFailure = "ReplicaFailure";

    /// <summary>
    /// The status for the <paramref name="pods"/> the owner controls (active ones): replicas, pods whose
    /// labels carry all of the template's (fullyLabeled), ready, and ready for minReadySeconds
    /// (available). A failed manage adds ReplicaFailure (FailedCreate when pods were missing,
    /// FailedDelete when there were too many) unless one is already there; a successful one removes it.
    /// observedGeneration is left as it was: it is set when the status is written.
    /// </summary>
    public static ReplicaStatus Calculate(ReplicaStatus current, V1PodTemplateSpec? template, int replicas, int minReadySeconds,
        IReadOnlyList<V1Pod> pods, Exception? manageError, DateTimeOffset now)
    {
        var templateLabels = LabelSelectors.FromSet(template?.Metadata?.Labels);
        int fullyLabeled = 0, ready = 0, available = 0;
        foreach (var pod in pods)
        {
            if (templateLabels.Matches(pod.Metadata?.Labels)) fullyLabeled++;
            if (!PodStates.IsReady(pod)) continue;
            ready++;
            if (PodStates.IsAvailable(pod, minReadySeconds, now)) available++;
        }

        var conditions = current.Conditions;
        var failure = conditions.FirstOrDefault(c => c.Type == ReplicaFailure);
        if (manageError is not null && failure is null)
        {
            var diff = pods.Count - replicas;
            var reason = diff < 0 ? "FailedCreate" : diff > 0 ? "FailedDelete" : "";
            // metav1.Now() is marshalled to whole seconds.
            var at = new DateTime(now.UtcDateTime.Ticks - now.UtcDateTime.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
            conditions = SetCondition(conditions, new ReplicaCondition(ReplicaFailure, "True", reason, manageError.Message, at));
        }
        else if (manageError is null && failure is not null)
        {
            conditions = conditions.Where(c => c.Type != ReplicaFailure).ToArray();
        }

        return current with
        {
            Replicas = pods.Count,
            FullyLabeledReplicas = fullyLabeled,
            ReadyReplicas = ready,
            AvailableReplicas = available,
            Conditions = conditions,
        };
    }

    /// <summary>Adds or replaces a condition; one with the same status and reason is kept as it is.</summary>
    public static IReadOnlyList<ReplicaCondition> SetCondition(IReadOnlyList<ReplicaCondition> conditions, ReplicaCondition condition)
    {
        var existing = conditions.FirstOrDefault(c => c.Type == condition.Type);
        if (existing is not null && existing.Status == condition.Status && existing.Reason == condition.Reason) return conditions;
        return conditions.Where(c => c.Type != condition.Type).Append(condition).ToArray();
    }
}
