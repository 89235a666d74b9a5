using System.Collections.Concurrent;
using Akka.KubeEmu.Actors.Controllers.Framework;

namespace Akka.KubeEmu.Actors.Controllers.StatefulSet;

/// <summary>
/// The pod writes of a set that the informer has not shown yet, in the manner of pkg/controller's
/// UIDTrackingControllerExpectations but exact: creations are expected by pod name (a StatefulSet's
/// names are known in advance), deletions by pod uid. Until they show (or 5 minutes pass) the set is
/// not synced again, so a cache that lags behind our own writes never makes the controller create a
/// pod twice or delete one twice (a second SuccessfulDelete event). Thread-safe: handlers observe on
/// the actor, syncs expect on workers.
/// </summary>
public sealed class StatefulSetExpectations(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Pending> _pending = new(StringComparer.Ordinal);

    public bool Satisfied(string setKey)
    {
        if (!_pending.TryGetValue(setKey, out var p)) return true;
        lock (p) return p.Creates.Count == 0 && p.Deletes.Count == 0 || time.GetUtcNow() - p.Since > ControllerExpectations.Timeout;
    }

    public void ExpectCreation(string setKey, string podName) => Change(setKey, p => p.Creates.Add(podName));

    public void ExpectDeletion(string setKey, string podUid) => Change(setKey, p => p.Deletes.Add(podUid));

    /// <summary>A create that failed (or a pod that showed up): nothing more to wait for.</summary>
    public void CreationObserved(string setKey, string podName) => Observe(setKey, p => p.Creates.Remove(podName));

    public void DeletionObserved(string setKey, string podUid) => Observe(setKey, p => p.Deletes.Remove(podUid));

    public void DeleteExpectations(string setKey) => _pending.TryRemove(setKey, out _);

    private void Change(string setKey, Action<Pending> change)
    {
        var p = _pending.GetOrAdd(setKey, _ => new Pending());
        lock (p)
        {
            if (p.Creates.Count == 0 && p.Deletes.Count == 0) p.Since = time.GetUtcNow();
            change(p);
        }
    }

    private void Observe(string setKey, Action<Pending> observe)
    {
        if (!_pending.TryGetValue(setKey, out var p)) return;
        lock (p) observe(p);
    }

    private sealed class Pending
    {
        public readonly HashSet<string> Creates = new(StringComparer.Ordinal);
        public readonly HashSet<string> Deletes = new(StringComparer.Ordinal);
        public DateTimeOffset Since;
    }
}
