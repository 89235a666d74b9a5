using Akka.KubeEmu.Actors.Api.Batch;
using Akka.KubeEmu.Actors.Controllers.ReplicaSet;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Controllers.CronJob;

/// <summary>
/// cronjob/utils' mostRecentScheduleTime and nextScheduleTimeDuration: which start time is due,
/// how many were missed (roughly, by the interval between two starts, as Kubernetes counts), and
/// when to look again.
/// </summary>
public static class ScheduleTimes
{
    /// <summary>More missed start times than this are not worth listing (TooManyMissedTimes).</summary>
    public const int ManyMissed = 100;

    /// <summary>nextScheduleDelta: a key comes back a little after the start time, never before it.</summary>
    public static readonly TimeSpan NextScheduleDelta = TimeSpan.FromMilliseconds(100);

    public sealed record Due(DateTimeOffset Earliest, DateTimeOffset? MostRecent, long Missed, string? Error);

    public static Due MostRecent(V1CronJob cj, DateTimeOffset now, CronSchedule schedule, TimeZoneInfo zone, bool includeStartingDeadline)
    {
        var earliest = PodStates.Utc(cj.Status?.LastScheduleTime) ?? PodStates.Utc(cj.Metadata.CreationTimestamp) ?? now;
        if (includeStartingDeadline && cj.Spec.StartingDeadlineSeconds is { } deadline)
        {
            var schedulingDeadline = now - TimeSpan.FromSeconds(deadline);
            if (schedulingDeadline > earliest) earliest = schedulingDeadline;
        }
        if (schedule.Next(earliest, zone) is not { } t1) return new Due(earliest, null, 0, null);
        if (now < t1) return new Due(earliest, null, 0, null);
        if (schedule.Next(t1, zone) is not { } t2 || now < t2) return new Due(earliest, t1, 1, null);
        var between = (long)Math.Round((t2 - t1).TotalSeconds);
        if (between < 1) return new Due(earliest, null, 0, "time difference between two schedules is less than 1 second");
        var elapsed = (long)(now - t1).TotalSeconds;
        var missed = elapsed / between + 1;
        // Back one interval more than the estimate, then walk: irregular schedules land right too.
        var potentialEarliest = t1 + TimeSpan.FromSeconds((missed - 2) * between);
        DateTimeOffset? mostRecent = null;
        for (var t = schedule.Next(potentialEarliest, zone); t is { } at && at <= now; t = schedule.Next(at, zone)) mostRecent = at;
        return new Due(earliest, mostRecent, missed, null);
    }

    /// <summary>When the key should be synced again: just after the next start time.</summary>
    public static DateTimeOffset? NextAt(V1CronJob cj, DateTimeOffset now, CronSchedule schedule, TimeZoneInfo zone)
    {
        var due = MostRecent(cj, now, schedule, zone, includeStartingDeadline: false);
        if (due.Error is not null) return null;
        var from = due.MostRecent ?? due.Earliest;
        return schedule.Next(from, zone) is { } next ? next + NextScheduleDelta : null;
    }
}
