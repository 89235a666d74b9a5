using Akka.Actor;
using Akka.KubeEmu.Actors.Api;

namespace Akka.KubeEmu.Actors.Store;

/// <summary>
/// The watchers of the store and the window of recent changes they can resume from, like
/// kube-apiserver's watch cache. Pod watchers that select one spec.nodeName (every kubelet) are
/// indexed by that value, so a change is matched against a handful of watchers, not thousands.
/// Events are queued per watcher and sent in batches by <see cref="Flush"/>. A watcher whose
/// subscriber leaves more than <c>maxUnacknowledged</c> events unacknowledged is let go, as the
/// watch cache terminates a cacheWatcher whose buffer is full: one slow subscriber must not make
/// the store hold an ever-growing backlog for it.
/// </summary>
public sealed class WatchHub(ChangeWindow window, int maxUnacknowledged = int.MaxValue)
{
    /// <summary>
    /// The indexed field per resource: kube-apiserver's pod "spec.nodeName" trigger, and
    /// metadata.name elsewhere (every NodeAgent watches its own Node).
    /// </summary>
    private static readonly Dictionary<string, string> IndexedField = new() { ["pods"] = "spec.nodeName" };

    private readonly Dictionary<string, ResourceWatchers> _byResource = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Watcher> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<Watcher, List<WatchEvent>> _pending = new(ReferenceEqualityComparer.Instance);
    private readonly List<Watcher> _tooSlow = [];

    /// <summary>The recent changes watches resume from (and lists at an older resourceVersion are rebuilt from).</summary>
    public ChangeWindow Window => window;

    /// <summary>Every change after this resourceVersion is still in the window.</summary>
    public long WindowStart => window.Start;

    public int WatcherCount => _byId.Count;

    public bool HasPending => _pending.Count > 0 || _tooSlow.Count > 0;

    public static string IndexedFieldOf(string resource) => IndexedField.GetValueOrDefault(resource, "metadata.name");

    public void ResetWindow(long resourceVersion) => window.Reset(resourceVersion);

    public bool CanResumeFrom(long resourceVersion) => window.Covers(resourceVersion);

    public void Add(Watcher w)
    {
        if (!_byResource.TryGetValue(w.Resource, out var rw)) _byResource[w.Resource] = rw = new ResourceWatchers();
        rw.Add(w);
        _byId[w.Id] = w;
    }

    public Watcher? Remove(string id)
    {
        if (!_byId.Remove(id, out var w)) return null;
        _byResource[w.Resource].Remove(w);
        _pending.Remove(w);
        return w;
    }

    /// <summary>The subscriber has taken <paramref name="events"/> more events off its hands.</summary>
    public void Acknowledge(string id, int events)
    {
        if (_byId.TryGetValue(id, out var w)) w.Unacknowledged = Math.Max(0, w.Unacknowledged - events);
    }

    public Watcher? Find(string id) => _byId.GetValueOrDefault(id);

    public IEnumerable<Watcher> Of(IActorRef subscriber) => _byId.Values.Where(w => w.Subscriber.Equals(subscriber)).ToArray();

    public IEnumerable<Watcher> All => _byId.Values;

    /// <summary>
    /// Lets go of the watches of subscribers at <paramref name="member"/> that have events not
    /// acknowledged: Akka.Remote may have dropped those while the member was unreachable. A watcher
    /// that acknowledged everything it was sent lost nothing and keeps its watch. Returns those let go;
    /// the caller tells them the watch ended.
    /// </summary>
    public IReadOnlyList<Watcher> RemoveUnacknowledgedAt(Address member)
    {
        var lost = _byId.Values.Where(w => w.Unacknowledged > 0 && member.Equals(w.Subscriber.Path.Address)).ToArray();
        foreach (var w in lost) Remove(w.Id);
        return lost;
    }

    /// <summary>Records a change in the window (at once, so that replays see every change up to the current resourceVersion).</summary>
    public void Record(Change change, DateTimeOffset at) => window.Add(change, at);

    /// <summary>
    /// Queues a committed change for the watchers it concerns, and lets go of those it would put
    /// over the limit of unacknowledged events.
    /// </summary>
    public void Dispatch(Change change)
    {
        if (!_byResource.TryGetValue(change.Resource, out var rw)) return;
        List<Watcher>? overLimit = null;
        foreach (var w in rw.Candidates(change))
        {
            if (change.ResourceVersion <= w.StartResourceVersion) continue;
            var ev = change.For(w);
            if (ev is null) continue;
            if (w.Unacknowledged >= maxUnacknowledged)
            {
                (overLimit ??= []).Add(w);
                continue;
            }
            w.Unacknowledged++;
            Pending(w).Add(ev);
        }
        if (overLimit is null) return;
        // After the loop: removing a watcher changes the lists Candidates walks.
        foreach (var w in overLimit)
        {
            Remove(w.Id);
            _tooSlow.Add(w);
        }
    }

    /// <summary>The window's changes after <paramref name="fromResourceVersion"/> as this watcher sees them.</summary>
    public IEnumerable<WatchEvent> Replay(Watcher w, long fromResourceVersion) =>
        (w.IndexValue is { } value
            ? window.AfterWithValue(w.Resource, value, fromResourceVersion)
            : window.After(fromResourceVersion).Where(c => c.Resource == w.Resource))
        .Select(c => c.For(w)).OfType<WatchEvent>();

    /// <summary>
    /// Queues the start of a watch (its replay or synthetic ADDED events). They count against the
    /// limit, so a subscriber that does not take them gets no more, but never end the watch by
    /// themselves: a replay longer than the limit would otherwise end every attempt to resume from
    /// the same resourceVersion.
    /// </summary>
    public void EnqueueInitial(Watcher w, IReadOnlyList<WatchEvent> events)
    {
        if (!IsCurrent(w) || events.Count == 0) return;
        w.Unacknowledged += events.Count;
        Pending(w).AddRange(events);
    }

    /// <summary>Sends the queued batches and ends the watches of the watchers let go; returns those.</summary>
    public IReadOnlyList<Watcher> Flush(IActorRef self)
    {
        foreach (var (w, events) in _pending)
            w.Subscriber.Tell(new WatchEvents(w.Id, events), self);
        _pending.Clear();
        if (_tooSlow.Count == 0) return [];
        var ended = _tooSlow.ToArray();
        _tooSlow.Clear();
        foreach (var w in ended)
            w.Subscriber.Tell(new WatchEnded(w.Id, ApiStatus.TooManyRequests(
                $"watch of {w.Resource} ended: {w.Unacknowledged} events unacknowledged, more than kubeemu.store.watch-max-unacknowledged allows; watch again from the last resourceVersion seen")), self);
        return ended;
    }

    // A watch id may be reused: only the watcher registered under it now receives events.
    private bool IsCurrent(Watcher w) => _byId.TryGetValue(w.Id, out var current) && ReferenceEquals(current, w);

    private List<WatchEvent> Pending(Watcher w)
    {
        if (!_pending.TryGetValue(w, out var list)) _pending[w] = list = [];
        return list;
    }

    private sealed class ResourceWatchers
    {
        private readonly List<Watcher> _unindexed = [];
        private readonly Dictionary<string, List<Watcher>> _indexed = new(StringComparer.Ordinal);

        public void Add(Watcher w)
        {
            if (w.IndexValue is null) _unindexed.Add(w);
            else if (_indexed.TryGetValue(w.IndexValue, out var list)) list.Add(w);
            else _indexed[w.IndexValue] = [w];
        }

        public void Remove(Watcher w)
        {
            if (w.IndexValue is null) _unindexed.Remove(w);
            else if (_indexed.TryGetValue(w.IndexValue, out var list))
            {
                list.Remove(w);
                if (list.Count == 0) _indexed.Remove(w.IndexValue);
            }
        }

        public IEnumerable<Watcher> Candidates(Change change)
        {
            foreach (var w in _unindexed) yield return w;
            if (_indexed.Count == 0) yield break;
            var field = IndexedFieldOf(change.Resource);
            var oldValue = change.Old?.Fields.GetValueOrDefault(field);
            var newValue = change.New?.Fields.GetValueOrDefault(field);
            if (oldValue is not null && _indexed.TryGetValue(oldValue, out var a))
                foreach (var w in a) yield return w;
            if (newValue is not null && newValue != oldValue && _indexed.TryGetValue(newValue, out var b))
                foreach (var w in b) yield return w;
        }
    }
}
