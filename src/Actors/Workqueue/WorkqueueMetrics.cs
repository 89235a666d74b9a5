using System.Collections.Concurrent;

namespace Akka.KubeEmu.Actors.Workqueue;

/// <summary>
/// client-go's workqueue MetricsProvider, reduced to counts: how many keys each controller's queue
/// handed to a sync (workqueue_adds_total's processing side) and how many of those syncs are over.
/// With <c>perKey</c> it also counts per key, which shows what one change costs (a node heartbeat
/// syncs no pod); that costs memory per key, so only diagnostics and tests ask for it. Thread-safe.
/// </summary>
public sealed class WorkqueueMetrics(bool perKey = false)
{
    private readonly ConcurrentDictionary<string, long> _started = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _finished = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Queue, string Key), long> _startedByKey = new();

    /// <summary>A worker took <paramref name="key"/> from <paramref name="queue"/>.</summary>
    public void SyncStarted(string queue, string key)
    {
        _started.AddOrUpdate(queue, 1, (_, n) => n + 1);
        if (perKey) _startedByKey.AddOrUpdate((queue, key), 1, (_, n) => n + 1);
    }

    /// <summary>The sync of <paramref name="key"/> returned (or threw).</summary>
    public void SyncFinished(string queue, string key) => _finished.AddOrUpdate(queue, 1, (_, n) => n + 1);

    /// <summary>Syncs started by a queue (a controller's name, "name/queue" for its further queues).</summary>
    public long Syncs(string queue) => _started.GetValueOrDefault(queue);

    /// <summary>Syncs of one key; 0 unless counting per key.</summary>
    public long Syncs(string queue, string key) => _startedByKey.GetValueOrDefault((queue, key));

    public long Finished(string queue) => _finished.GetValueOrDefault(queue);
}
