namespace Akka.KubeEmu.Actors.Store;

/// <summary>
/// The recent changes the store can still serve history from, oldest first, bounded by count
/// and by age as kube-apiserver's watch cache is (its capacity, and etcd's compaction behind it):
/// a watch resumes from it, an exact list and a continued list are rebuilt from it. A change that
/// leaves it moves <see cref="Start"/>: older resourceVersions answer 410 Expired.
/// <para>
/// Changes are also indexed by the value of their resource's indexed field (old and new state;
/// <paramref name="indexedFieldOf"/>), so that a watcher selecting one value (a kubelet's pods)
/// resumes from the changes of that value alone: after a member was unreachable a thousand
/// kubelets resume at once, and each scanning the whole window is quadratic.
/// </para>
/// </summary>
public sealed class ChangeWindow(int capacity, TimeSpan maxAge, Func<string, string>? indexedFieldOf = null)
{
    // A ring would save the copy of RemoveRange, but changes leave in bulk (a compaction, an
    // expiry) or one per write at capacity, where the offset below keeps removal O(1) amortised.
    private readonly List<(Change Change, DateTimeOffset At)> _changes = [];
    private int _head;
    private readonly Dictionary<(string Resource, string Value), Queue<Change>> _byValue = [];

    /// <summary>Every change after this resourceVersion is still here.</summary>
    public long Start { get; private set; }

    public int Count => _changes.Count - _head;

    public void Reset(long resourceVersion)
    {
        _changes.Clear();
        _byValue.Clear();
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
        foreach (var key in Keys(change))
        {
            if (!_byValue.TryGetValue(key, out var changes)) _byValue[key] = changes = new Queue<Change>();
            changes.Enqueue(change);
        }
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

    /// <summary>
    /// The changes of <paramref name="resource"/> after <paramref name="resourceVersion"/> whose
    /// indexed field had or has <paramref name="value"/>, oldest first.
    /// </summary>
    public IEnumerable<Change> AfterWithValue(string resource, string value, long resourceVersion)
    {
        if (!_byValue.TryGetValue((resource, value), out var changes)) yield break;
        foreach (var change in changes)
            if (change.ResourceVersion > resourceVersion) yield return change;
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

    private IEnumerable<(string, string)> Keys(Change change)
    {
        if (indexedFieldOf is null) yield break;
        var field = indexedFieldOf(change.Resource);
        var old = change.Old?.Fields.GetValueOrDefault(field);
        var now = change.New?.Fields.GetValueOrDefault(field);
        if (old is not null) yield return (change.Resource, old);
        if (now is not null && now != old) yield return (change.Resource, now);
    }

    private void DropOldest()
    {
        var dropped = _changes[_head].Change;
        Start = dropped.ResourceVersion;
        // The oldest change is the oldest of each of its values too.
        foreach (var key in Keys(dropped))
        {
            if (!_byValue.TryGetValue(key, out var changes)) continue;
            if (changes.Count > 0 && ReferenceEquals(changes.Peek(), dropped)) changes.Dequeue();
            if (changes.Count == 0) _byValue.Remove(key);
        }
        _changes[_head] = default;
        _head++;
        if (_head < 1024 || _head < _changes.Count / 2) return;
        _changes.RemoveRange(0, _head);
        _head = 0;
    }
}
