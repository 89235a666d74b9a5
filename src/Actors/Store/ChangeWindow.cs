namespace Akka.KubeEmu.Actors.Store;

/// <summary>
/// The recent changes the store can still serve history from, oldest first, bounded by count
/// and by age as kube-apiserver's watch cache is (its capacity, and etcd's compaction behind it):
/// a watch resumes from it, an exact list and a continued list are rebuilt from it. A change that
/// leaves it moves <see cref="Start"/>: older resourceVersions answer 410 Expired.
/// </summary>
public sealed class ChangeWindow(int capacity, TimeSpan maxAge)
{
    // A ring would save the copy of RemoveRange, but changes leave in bulk (a compaction, an
    // expiry) or one per write at capacity, where the offset below keeps removal O(1) amortised.
    private readonly List<(Change Change, DateTimeOffset At)> _changes = [];
    private int _head;

    /// <summary>Every change after this resourceVersion is still here.</summary>
    public long Start { get; private set; }

    public int Count => _changes.Count - _head;

    public void Reset(long resourceVersion)
    {
        _changes.Clear();
        _head = 0;
        Start = resourceVersion;
    }

    /// <summary>
    /// Adds a change and lets go of those over the capacity or older than the window's age. Only a
    /// write ages the window, as only an event makes the watch cache shrink: a quiet resource keeps
    /// its last changes, so watchers resuming after a pause are not sent to list again.
    /// </summary>
    public void Add(Change change, DateTimeOffset at)
    {
        _changes.Add((change, at));
        var oldest = at - maxAge;
        while (Count > capacity || _changes[_head].At < oldest) DropOldest();
    }

    /// <summary>Lets go of every change up to <paramref name="resourceVersion"/> (etcd's compaction).</summary>
    public void CompactThrough(long resourceVersion)
    {
        while (Count > 0 && _changes[_head].Change.ResourceVersion <= resourceVersion) DropOldest();
        Start = Math.Max(Start, resourceVersion);
    }

    public bool Covers(long resourceVersion) => resourceVersion >= Start;

    /// <summary>The changes after <paramref name="resourceVersion"/>, oldest first.</summary>
    public IEnumerable<Change> After(long resourceVersion)
    {
        for (var i = FirstAfter(resourceVersion); i < _changes.Count; i++) yield return _changes[i].Change;
    }

    /// <summary>The changes after <paramref name="resourceVersion"/>, newest first.</summary>
    public IEnumerable<Change> NewestFirstAfter(long resourceVersion)
    {
        var first = FirstAfter(resourceVersion);
        for (var i = _changes.Count - 1; i >= first; i--) yield return _changes[i].Change;
    }

    private int FirstAfter(long resourceVersion)
    {
        int lo = _head, hi = _changes.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_changes[mid].Change.ResourceVersion <= resourceVersion) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private void DropOldest()
    {
        Start = _changes[_head].Change.ResourceVersion;
        _head++;
        if (_head < 1024 || _head < _changes.Count / 2) return;
        _changes.RemoveRange(0, _head);
        _head = 0;
    }
}
