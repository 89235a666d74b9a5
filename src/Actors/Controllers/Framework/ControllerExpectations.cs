using System.Collections.Concurrent;

namespace Akka.KubeEmu.Actors.Controllers.Framework;

/// <summary>
/// pkg/controller's <c>ControllerExpectations</c>: before a controller creates or deletes N
/// dependents of a key it records that it expects to see N such events; until the informer has
/// delivered them (or 5 minutes pass), the key is not synced again, so a slow watch never makes
/// the controller act twice on a stale cache. Thread-safe: event handlers lower expectations on the
/// controller actor while syncs raise them on worker threads.
/// </summary>
public class ControllerExpectations(TimeProvider time)
{
    /// <summary>ExpectationsTimeout: a controller never waits longer than this for its own writes to show.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Record> _records = new(StringComparer.Ordinal);

    /// <summary>True when the controller may sync <paramref name="key"/>: no record, fulfilled, or expired.</summary>
    public bool SatisfiedExpectations(string key)
    {
        if (!_records.TryGetValue(key, out var r)) return true;
        lock (r) return r.Add <= 0 && r.Del <= 0 || time.GetUtcNow() - r.Timestamp > Timeout;
    }

    public (long Add, long Del)? Get(string key)
    {
        if (!_records.TryGetValue(key, out var r)) return null;
        lock (r) return (r.Add, r.Del);
    }

    public void SetExpectations(string key, long add, long del) =>
        _records[key] = new Record { Add = add, Del = del, Timestamp = time.GetUtcNow() };

    public void ExpectCreations(string key, long adds) => SetExpectations(key, adds, 0);

    public virtual void ExpectDeletions(string key, long dels) => SetExpectations(key, 0, dels);

    /// <summary>Fewer events to wait for (creates that failed, or observed events).</summary>
    public void LowerExpectations(string key, long add, long del)
    {
        if (!_records.TryGetValue(key, out var r)) return;
        lock (r)
        {
            r.Add -= add;
            r.Del -= del;
        }
    }

    public void RaiseExpectations(string key, long add, long del)
    {
        if (!_records.TryGetValue(key, out var r)) return;
        lock (r)
        {
            r.Add += add;
            r.Del += del;
        }
    }

    public void CreationObserved(string key) => LowerExpectations(key, 1, 0);

    public virtual void DeletionObserved(string key) => LowerExpectations(key, 0, 1);

    public virtual void DeleteExpectations(string key) => _records.TryRemove(key, out _);

    private sealed class Record
    {
        public long Add;
        public long Del;
        public DateTimeOffset Timestamp;
    }
}

/// <summary>
/// <c>UIDTrackingControllerExpectations</c>: deletions are tracked by the dependent's key, so a
/// delete event of a pod the controller did not delete (or one seen twice, from a relist) does not
/// count towards the expected deletions.
/// </summary>
public sealed class UidTrackingExpectations(TimeProvider time) : ControllerExpectations(time)
{
    private readonly ConcurrentDictionary<string, HashSet<string>> _uids = new(StringComparer.Ordinal);

    // The uid set and the count change together (client-go's uidStoreLock): a deletion observed
    // between the two would be taken off the set but counted against the old record.
    private readonly Lock _lock = new();

    /// <param name="deletedKeys">The dependents about to be deleted (namespace/name keys, as the ReplicaSet controller uses).</param>
    public void ExpectDeletions(string key, IReadOnlyCollection<string> deletedKeys)
    {
        lock (_lock)
        {
            _uids[key] = new HashSet<string>(deletedKeys, StringComparer.Ordinal);
            base.ExpectDeletions(key, deletedKeys.Count);
        }
    }

    public IReadOnlyCollection<string> GetUids(string key)
    {
        lock (_lock) return _uids.TryGetValue(key, out var set) ? set.ToArray() : [];
    }

    /// <summary>A dependent's deletion was seen: it counts only if it was one we expected.</summary>
    public void DeletionObserved(string key, string deletedKey)
    {
        lock (_lock)
        {
            if (_uids.TryGetValue(key, out var set) && set.Remove(deletedKey)) base.DeletionObserved(key);
        }
    }

    public override void DeleteExpectations(string key)
    {
        lock (_lock)
        {
            _uids.TryRemove(key, out _);
            base.DeleteExpectations(key);
        }
    }
}
