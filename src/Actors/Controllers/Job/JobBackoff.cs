using System.Collections.Concurrent;

namespace Akka.KubeEmu.Actors.Controllers.Job;

/// <summary>
/// backoff_utils' backoffRecordStore: per Job, how many pods failed since the last success and when
/// the last one failed, so that a replacement waits base × 2^(failures−1), capped (10 s and 6 min in
/// Kubernetes, scaled by the timing profile). Kept in memory as in kube-controller-manager: a
/// restarted controller manager forgets it.
/// </summary>
public sealed class JobBackoff(TimeSpan baseDelay, TimeSpan maxDelay)
{
    private readonly ConcurrentDictionary<string, Record> _records = new(StringComparer.Ordinal);

    public sealed record Record(int FailuresAfterLastSuccess, DateTimeOffset? LastFailure);

    public Record Get(string key) => _records.TryGetValue(key, out var r) ? r : new Record(0, null);

    /// <summary>newBackoffRecord: the record after the pods that finished since the last sync.</summary>
    public Record Observe(string key, IReadOnlyCollection<DateTimeOffset> newFailures, IReadOnlyCollection<DateTimeOffset> newSuccesses)
    {
        var record = Get(key);
        if (newFailures.Count == 0 && newSuccesses.Count == 0) return record;
        var lastFailure = newFailures.Count > 0 ? newFailures.Max() : (DateTimeOffset?)null;
        var lastSuccess = newSuccesses.Count > 0 ? newSuccesses.Max() : (DateTimeOffset?)null;
        if (lastSuccess is { } s && (lastFailure is null || s > lastFailure))
            record = new Record(0, record.LastFailure is { } f && f > (lastFailure ?? f) ? f : lastFailure ?? record.LastFailure);
        else if (lastFailure is { } failure)
            record = new Record(record.FailuresAfterLastSuccess + newFailures.Count,
                record.LastFailure is { } previous && previous > failure ? previous : failure);
        _records[key] = record;
        return record;
    }

    public void Forget(string key) => _records.TryRemove(key, out _);

    /// <summary>getRemainingTime: how long a replacement must still wait (zero when it may be created now).</summary>
    public TimeSpan Remaining(Record record, DateTimeOffset now) =>
        record is { FailuresAfterLastSuccess: > 0, LastFailure: { } last } ? Remaining(record.FailuresAfterLastSuccess, last, now) : TimeSpan.Zero;

    public TimeSpan Remaining(int failures, DateTimeOffset lastFailure, DateTimeOffset now)
    {
        if (failures <= 0) return TimeSpan.Zero;
        var delay = baseDelay;
        for (var i = 1; i < failures && delay < maxDelay; i++) delay += delay;
        if (delay > maxDelay) delay = maxDelay;
        var remaining = lastFailure + delay - now;
        return remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero;
    }
}
