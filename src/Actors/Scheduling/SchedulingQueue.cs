using Akka.KubeEmu.Actors.Scheduling.Framework;

namespace Akka.KubeEmu.Actors.Scheduling;

/// <summary>
/// The scheduler's queue (internal/queue.PriorityQueue, simplified): an active FIFO, and the
/// unschedulable pods with the cluster events that could help them, moved back to active
/// when such an event happens or after a maximum stay.
/// </summary>
public sealed class SchedulingQueue(TimeProvider time, TimeSpan maxInUnschedulable)
{
    private readonly LinkedList<string> _active = new();
    private readonly HashSet<string> _inActive = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ClusterEvent Events, DateTimeOffset Since)> _unschedulable = new(StringComparer.Ordinal);

    public int ActiveCount => _active.Count;

    public int UnschedulableCount => _unschedulable.Count;

    public void Add(string key)
    {
        if (_unschedulable.ContainsKey(key) || !_inActive.Add(key)) return;
        _active.AddLast(key);
    }

    /// <summary>A pod whose spec changed deserves a new attempt even if it was unschedulable.</summary>
    public void Activate(string key)
    {
        _unschedulable.Remove(key);
        Add(key);
    }

    public string? Pop()
    {
        if (_active.First is not { } first) return null;
        _active.RemoveFirst();
        _inActive.Remove(first.Value);
        return first.Value;
    }

    public void MarkUnschedulable(string key, ClusterEvent helpfulEvents) =>
        _unschedulable[key] = (helpfulEvents, time.GetUtcNow());

    public void Delete(string key)
    {
        _unschedulable.Remove(key);
        if (_inActive.Remove(key)) _active.Remove(key);
    }

    /// <summary>MoveAllToActiveOrBackoffQueue for the pods this event may help.</summary>
    public void OnClusterEvent(ClusterEvent e)
    {
        foreach (var (key, entry) in _unschedulable.ToArray())
            if ((entry.Events & e) != 0) Activate(key);
    }

    /// <summary>flushUnschedulablePodsLeftover: nobody stays unschedulable forever without a retry.</summary>
    public void FlushLeftovers()
    {
        var now = time.GetUtcNow();
        foreach (var (key, entry) in _unschedulable.ToArray())
            if (now - entry.Since >= maxInUnschedulable) Activate(key);
    }
}
