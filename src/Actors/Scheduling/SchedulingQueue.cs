using Akka.KubeEmu.Actors.Scheduling.Framework;

namespace Akka.KubeEmu.Actors.Scheduling;

/// <summary>
/// kube-scheduler's PriorityQueue (internal/queue):
/// <list type="bullet">
/// <item>activeQ: the pods to try, highest spec.priority first, then the earliest queued (PrioritySort);</item>
/// <item>backoffQ: pods that failed, waiting 1 s doubling per attempt up to 10 s before they may be tried again;</item>
/// <item>unschedulable pods, filed under the cluster events that may help them (the QueueingHints of
/// the plugins that rejected them): an event moves exactly the pods filed under it, to backoffQ while
/// their back-off lasts and to activeQ after; and none stays longer than the maximum (5 min) without a retry.</item>
/// </list>
/// Work per event is proportional to the pods it moves. Heaps use lazy deletion: an entry whose
/// generation no longer matches its pod's is skipped when it comes out.
/// </summary>
public sealed class SchedulingQueue(TimeProvider time, TimeSpan maxInUnschedulable, TimeSpan? initialBackoff = null, TimeSpan? maxBackoff = null)
{
    private readonly TimeSpan _initialBackoff = initialBackoff ?? TimeSpan.FromSeconds(1);
    private readonly TimeSpan _maxBackoff = maxBackoff ?? TimeSpan.FromSeconds(10);

    private enum Where { Active, Backoff, Unschedulable, InFlight }

    private sealed class QueuedPod(string key)
    {
        public string Key { get; } = key;
        public int Priority { get; set; }
        public DateTimeOffset Timestamp { get; set; }
        public int Attempts { get; set; }
        public Where Where { get; set; }
        public long Generation { get; set; }
        public ClusterEvent Hints { get; set; }
    }

    private readonly Dictionary<string, QueuedPod> _pods = new(StringComparer.Ordinal);
    private readonly PriorityQueue<(string Key, long Generation), (int NegPriority, DateTimeOffset Timestamp, long Generation)> _active = new();
    private readonly PriorityQueue<(string Key, long Generation), DateTimeOffset> _backoff = new();
    private readonly Dictionary<ClusterEvent, HashSet<string>> _unschedulableByEvent = [];
    private readonly Queue<(string Key, long Generation, DateTimeOffset Since)> _unschedulableOrder = new();
    private long _generation;
    private int _activeCount, _backoffCount, _unschedulableCount;

    public int ActiveCount => _activeCount;

    public int BackoffCount => _backoffCount;

    public int UnschedulableCount => _unschedulableCount;

    /// <summary>A new pending pod: straight to activeQ.</summary>
    public void Add(string key, int priority)
    {
        if (_pods.ContainsKey(key)) return;
        var pod = new QueuedPod(key) { Priority = priority, Timestamp = time.GetUtcNow() };
        _pods[key] = pod;
        ToActive(pod);
    }

    /// <summary>
    /// The pod's spec or labels changed: an unschedulable pod deserves another attempt (after its
    /// back-off), a queued one takes its new priority.
    /// </summary>
    public void Update(string key, int priority)
    {
        if (!_pods.TryGetValue(key, out var pod))
        {
            Add(key, priority);
            return;
        }
        var changed = pod.Priority != priority;
        pod.Priority = priority;
        switch (pod.Where)
        {
            case Where.Unschedulable:
                Move(pod);
                break;
            case Where.Active when changed:
                Leave(pod);
                ToActive(pod);
                break;
        }
    }

    /// <summary>The next pod to try, or null; it is in flight until Done, MarkUnschedulable or MarkFailed.</summary>
    public string? Pop()
    {
        while (_active.TryDequeue(out var entry, out _))
        {
            if (!_pods.TryGetValue(entry.Key, out var pod) || pod.Generation != entry.Generation || pod.Where != Where.Active) continue;
            _activeCount--;
            pod.Where = Where.InFlight;
            pod.Attempts++;
            return pod.Key;
        }
        return null;
    }

    /// <summary>Scheduled (or gone): the queue forgets it.</summary>
    public void Delete(string key)
    {
        if (!_pods.Remove(key, out var pod)) return;
        Leave(pod);
    }

    /// <summary>AddUnschedulableIfNotPresent: rejected by plugins that registered these events.</summary>
    public void MarkUnschedulable(string key, ClusterEvent helpfulEvents)
    {
        if (!_pods.TryGetValue(key, out var pod)) return;
        Leave(pod);
        pod.Timestamp = time.GetUtcNow();
        pod.Hints = helpfulEvents;
        pod.Where = Where.Unschedulable;
        pod.Generation = ++_generation;
        _unschedulableCount++;
        foreach (var e in Flags(helpfulEvents))
        {
            if (!_unschedulableByEvent.TryGetValue(e, out var set)) _unschedulableByEvent[e] = set = new HashSet<string>(StringComparer.Ordinal);
            set.Add(key);
        }
        _unschedulableOrder.Enqueue((key, pod.Generation, pod.Timestamp));
    }

    /// <summary>An error (a failed binding): tried again after its back-off.</summary>
    public void MarkFailed(string key)
    {
        if (!_pods.TryGetValue(key, out var pod)) return;
        Leave(pod);
        pod.Timestamp = time.GetUtcNow();
        ToBackoff(pod);
    }

    /// <summary>MoveAllToActiveOrBackoffQueue for the pods filed under this event.</summary>
    public void OnClusterEvent(ClusterEvent e)
    {
        foreach (var flag in Flags(e))
        {
            if (!_unschedulableByEvent.Remove(flag, out var keys)) continue;
            foreach (var key in keys)
                if (_pods.TryGetValue(key, out var pod) && pod.Where == Where.Unschedulable) Move(pod);
        }
    }

    /// <summary>flushUnschedulablePodsLeftover: nobody stays unschedulable forever without a retry.</summary>
    public void FlushLeftovers()
    {
        var now = time.GetUtcNow();
        while (_unschedulableOrder.TryPeek(out var head))
        {
            var current = _pods.TryGetValue(head.Key, out var pod) && pod.Where == Where.Unschedulable && pod.Generation == head.Generation;
            if (current && now - head.Since < maxInUnschedulable) break;
            _unschedulableOrder.Dequeue();
            if (current) Move(pod!);
        }
    }

    /// <summary>flushBackoffQCompleted: pods whose back-off is over go to activeQ.</summary>
    public void FlushBackoffCompleted()
    {
        var now = time.GetUtcNow();
        while (_backoff.TryPeek(out var entry, out var expiry))
        {
            var current = _pods.TryGetValue(entry.Key, out var pod) && pod.Where == Where.Backoff && pod.Generation == entry.Generation;
            if (current && expiry > now) break;
            _backoff.Dequeue();
            if (!current) continue;
            _backoffCount--;
            ToActive(pod!);
        }
    }

    /// <summary>When the earliest back-off ends, for the owner's timer.</summary>
    public DateTimeOffset? NextBackoffExpiry
    {
        get
        {
            while (_backoff.TryPeek(out var entry, out var expiry))
            {
                if (_pods.TryGetValue(entry.Key, out var pod) && pod.Where == Where.Backoff && pod.Generation == entry.Generation) return expiry;
                _backoff.Dequeue();
            }
            return null;
        }
    }

    /// <summary>calculateBackoffDuration: 1 s for the first attempt, doubled per attempt, at most 10 s.</summary>
    public TimeSpan BackoffDuration(int attempts)
    {
        var duration = _initialBackoff;
        for (var i = 1; i < attempts; i++)
        {
            duration += duration;
            if (duration >= _maxBackoff) return _maxBackoff;
        }
        return duration;
    }

    // An unschedulable pod helped by an event: back-off first if it is not over yet (isPodBackingoff).
    private void Move(QueuedPod pod)
    {
        Leave(pod);
        if (BackoffExpiry(pod) > time.GetUtcNow()) ToBackoff(pod);
        else ToActive(pod);
    }

    private DateTimeOffset BackoffExpiry(QueuedPod pod) => pod.Timestamp + BackoffDuration(Math.Max(1, pod.Attempts));

    private void ToActive(QueuedPod pod)
    {
        pod.Where = Where.Active;
        pod.Generation = ++_generation;
        _activeCount++;
        _active.Enqueue((pod.Key, pod.Generation), (-pod.Priority, pod.Timestamp, pod.Generation));
    }

    private void ToBackoff(QueuedPod pod)
    {
        pod.Where = Where.Backoff;
        pod.Generation = ++_generation;
        _backoffCount++;
        _backoff.Enqueue((pod.Key, pod.Generation), BackoffExpiry(pod));
    }

    // Takes the pod out of wherever it is; heap entries are left to be skipped.
    private void Leave(QueuedPod pod)
    {
        switch (pod.Where)
        {
            case Where.Active: _activeCount--; break;
            case Where.Backoff: _backoffCount--; break;
            case Where.Unschedulable:
                _unschedulableCount--;
                foreach (var e in Flags(pod.Hints))
                    if (_unschedulableByEvent.TryGetValue(e, out var set)) set.Remove(pod.Key);
                break;
        }
        pod.Where = Where.InFlight;
        pod.Generation = ++_generation;
    }

    private static IEnumerable<ClusterEvent> Flags(ClusterEvent e)
    {
        for (var bit = 1; bit <= (int)e; bit <<= 1)
            if (((int)e & bit) != 0) yield return (ClusterEvent)bit;
    }
}
