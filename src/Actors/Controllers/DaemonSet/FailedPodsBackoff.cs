using System.Collections.Concurrent;
using Akka.KubeEmu.Actors.Flowcontrol;

namespace Akka.KubeEmu.Actors.Controllers.DaemonSet;

/// <summary>
/// The DaemonSet controller's failedPodsBackoff (kube-controller-manager gives it 1 s doubling to
/// 15 min): a daemon pod that keeps failing on a node (a kubelet that rejects it) is deleted and
/// recreated ever more slowly instead of in a hot loop. Keyed by DaemonSet uid, observed generation
/// and node, so a new template starts afresh. Thread-safe: the syncs of different DaemonSets run at once.
/// </summary>
public sealed class FailedPodsBackoff(TimeSpan initial, TimeSpan max)
{
    public static FailedPodsBackoff Default() => new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(15));

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public static string Key(string dsUid, long observedGeneration, string nodeName) => $"{dsUid}/{observedGeneration}/{nodeName}";

    /// <summary>IsInBackOffSinceUpdate: the last deletion for this key was less than the current period ago.</summary>
    public bool InBackOff(string key, DateTimeOffset now, out TimeSpan period)
    {
        period = TimeSpan.Zero;
        if (!_entries.TryGetValue(key, out var entry)) return false;
        lock (entry)
        {
            period = entry.Backoff.Current;
            return entry.Backoff.InBackOffSince(entry.LastUpdate, now);
        }
    }

    /// <summary>Next: a deletion now; the next one waits twice as long (up to the maximum).</summary>
    public void Next(string key, DateTimeOffset now)
    {
        var entry = _entries.GetOrAdd(key, _ => new Entry(new Backoff(initial, max)));
        lock (entry)
        {
            entry.Backoff.Next(now);
            entry.LastUpdate = now;
        }
    }

    /// <summary>Forgets the keys of a DaemonSet that is gone (the GC Kubernetes runs every minute, done when it matters).</summary>
    public void Forget(string dsUid)
    {
        foreach (var key in _entries.Keys)
            if (key.StartsWith(dsUid + "/", StringComparison.Ordinal)) _entries.TryRemove(key, out _);
    }

    private sealed class Entry(Backoff backoff)
    {
        public Backoff Backoff { get; } = backoff;
        public DateTimeOffset LastUpdate { get; set; }
    }
}
