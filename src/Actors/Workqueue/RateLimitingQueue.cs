namespace Akka.KubeEmu.Actors.Workqueue;

/// <summary>
/// client-go's rate-limited, delaying work queue of keys (<c>util/workqueue</c>), owned by one
/// controller actor (not thread-safe):
/// <list type="bullet">
/// <item>a key added several times before a worker takes it is processed once (the dirty set);</item>
/// <item>a key is never handed to two workers at once: added while processing, it waits until
/// <see cref="Done"/> and is queued again then;</item>
/// <item><see cref="AddAfter"/> holds a key until its time (the earliest wins when added twice);
/// the owner wakes the queue at <see cref="NextReadyAt"/> and calls <see cref="PromoteReady"/>;</item>
/// <item><see cref="AddRateLimited"/> delays by the rate limiter's verdict; <see cref="Forget"/>
/// clears an item's failures after a success.</item>
/// </list>
/// </summary>
public sealed class RateLimitingQueue(IRateLimiter limiter, TimeProvider time)
{
    private readonly LinkedList<string> _queue = new();
    private readonly HashSet<string> _dirty = new(StringComparer.Ordinal);
    private readonly HashSet<string> _processing = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> _waiting = new();
    private readonly Dictionary<string, DateTimeOffset> _readyAt = new(StringComparer.Ordinal);

    /// <summary>Keys ready for a worker.</summary>
    public int Length => _queue.Count;

    /// <summary>Keys held by workers now.</summary>
    public int Processing => _processing.Count;

    /// <summary>Keys waiting for their time (AddAfter / AddRateLimited).</summary>
    public int Waiting => _readyAt.Count;

    public void Add(string key)
    {
        if (!_dirty.Add(key)) return;
        if (_processing.Contains(key)) return;
        _queue.AddLast(key);
    }

    /// <summary>Takes the next key for a worker; the caller must call <see cref="Done"/> with it.</summary>
    public bool TryGet(out string key)
    {
        if (_queue.First is not { } first)
        {
            key = "";
            return false;
        }
        _queue.RemoveFirst();
        key = first.Value;
        _processing.Add(key);
        _dirty.Remove(key);
        return true;
    }

    /// <summary>The worker finished <paramref name="key"/>; if it was added meanwhile it is queued again.</summary>
    public void Done(string key)
    {
        _processing.Remove(key);
        if (_dirty.Contains(key)) _queue.AddLast(key);
    }

    public void AddAfter(string key, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }
        var at = time.GetUtcNow() + delay;
        if (_readyAt.TryGetValue(key, out var existing) && existing <= at) return;
        _readyAt[key] = at;
        _waiting.Enqueue(key, at);
    }

    public void AddRateLimited(string key) => AddAfter(key, limiter.When(key));

    public void Forget(string key) => limiter.Forget(key);

    public int NumRequeues(string key) => limiter.NumRequeues(key);

    /// <summary>When the earliest waiting key is due, or null when none waits.</summary>
    public DateTimeOffset? NextReadyAt
    {
        get
        {
            // Entries superseded by an earlier AddAfter of the same key are dropped lazily.
            while (_waiting.TryPeek(out var key, out var at))
            {
                if (_readyAt.TryGetValue(key, out var wanted) && wanted == at) return at;
                _waiting.Dequeue();
            }
            return null;
        }
    }

    /// <summary>Moves every key whose time has come into the queue; returns how many.</summary>
    public int PromoteReady()
    {
        var now = time.GetUtcNow();
        var moved = 0;
        while (NextReadyAt is { } at && at <= now)
        {
            var key = _waiting.Dequeue();
            _readyAt.Remove(key);
            Add(key);
            moved++;
        }
        return moved;
    }
}
