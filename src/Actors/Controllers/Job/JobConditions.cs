using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.Job;

/// <summary>The conditions of batch/v1 Jobs with the reasons and messages of Kubernetes 1.32.</summary>
public static class JobConditions
{
    public const string Complete = "Complete";
    public const string Failed = "Failed";
    public const string FailureTarget = "FailureTarget";
    public const string SuccessCriteriaMet = "SuccessCriteriaMet";
    public const string Suspended = "Suspended";

    public const string BackoffLimitExceeded = "BackoffLimitExceeded";
    public const string BackoffLimitExceededMessage = "Job has reached the specified backoff limit";
    public const string DeadlineExceeded = "DeadlineExceeded";
    public const string DeadlineExceededMessage = "Job was active longer than specified deadline";
    public const string PodFailurePolicy = "PodFailurePolicy";
    public const string MaxFailedIndexesExceeded = "MaxFailedIndexesExceeded";
    public const string MaxFailedIndexesExceededMessage = "Job has exceeded the specified maximal number of failed indexes";
    public const string FailedIndexes = "FailedIndexes";
    public const string FailedIndexesMessage = "Job has failed indexes";
    public const string CompletionsReached = "CompletionsReached";
    public const string CompletionsReachedMessage = "Reached expected number of succeeded pods";

    public static V1JobCondition? Find(V1Job job, string type) => job.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    public static bool IsTrue(V1Job job, string type) => Find(job, type)?.Status == "True";

    /// <summary>IsJobFinished: Complete or Failed is True.</summary>
    public static bool IsFinished(V1Job job) => IsTrue(job, Complete) || IsTrue(job, Failed);

    /// <summary>When the Job finished: its completionTime, or when it failed.</summary>
    public static DateTimeOffset? FinishedAt(V1Job job)
    {
        var time = job.Status?.CompletionTime ?? (IsTrue(job, Failed) ? Find(job, Failed)!.LastTransitionTime : null);
        return time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
    }

    public static V1JobCondition New(string type, string reason, string message, DateTime now, string status = "True") => new()
    {
        Type = type,
        Status = status,
        Reason = reason,
        Message = message,
        LastProbeTime = now,
        LastTransitionTime = now,
    };

    /// <summary>
    /// ensureJobConditionStatus: sets a condition's status, reason and message (a new transition time
    /// only when the status changes); a False condition that does not exist is not added.
    /// </summary>
    /// <returns>Whether anything changed.</returns>
    public static bool Ensure(IList<V1JobCondition> conditions, string type, string status, string reason, string message, DateTime now)
    {
        var existing = conditions.FirstOrDefault(c => c.Type == type);
        if (existing is null)
        {
            if (status != "True") return false;
            conditions.Add(New(type, reason, message, now));
            return true;
        }
        if (existing.Status == status && existing.Reason == reason && existing.Message == message) return false;
        if (existing.Status != status) existing.LastTransitionTime = now;
        existing.Status = status;
        existing.Reason = reason;
        existing.Message = message;
        existing.LastProbeTime = now;
        return true;
    }

    public static DateTime Now(TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerSecond, DateTimeKind.Utc);
    }
}
