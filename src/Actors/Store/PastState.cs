using Akka.KubeEmu.Actors.Api.Selectors;

namespace Akka.KubeEmu.Actors.Store;

/// <summary>
/// One resource's objects as they were at an earlier resourceVersion: the current table with the
/// window's later changes undone (etcd answers such reads from its MVCC history; the store keeps
/// only the current state plus the window). Costs the changes made since, not a copy of the table.
/// </summary>
public sealed class PastState
{
    private readonly ObjectTable _table;

    // Key -> the object at the resourceVersion (null: it did not exist), for every key changed since.
    private readonly SortedDictionary<string, StoredObject?> _undone = new(StringComparer.Ordinal);

    public PastState(ObjectTable table, string resource, ChangeWindow window, long resourceVersion)
    {
        _table = table;
        // Newest first: the last assignment per key is the oldest change after the resourceVersion,
        // whose Old is the state at it.
        foreach (var change in window.NewestFirstAfter(resourceVersion))
        {
            if (change.Resource != resource) continue;
            var any = change.Old ?? change.New!;
            _undone[ObjectTable.Key(any.Namespace, any.Name)] = change.Old;
        }
    }

    /// <summary>
    /// A superset of the objects the selectors matched at the resourceVersion, in key order after
    /// <paramref name="afterKey"/>; the caller still applies the selectors (the indexes hold today's values).
    /// </summary>
    public IEnumerable<StoredObject> Candidates(string? ns, LabelSelector labels, FieldSelector fields, string? afterKey)
    {
        var current = _table.Candidates(ns, labels, fields, afterKey).Where(o => !_undone.ContainsKey(ObjectTable.Key(o.Namespace, o.Name)));
        var past = _undone.Where(e => e.Value is not null
                && (ns is null || e.Value.Namespace == ns)
                && (afterKey is null || string.CompareOrdinal(e.Key, afterKey) > 0))
            .Select(e => e.Value!);
        return Merge(current, past);
    }

    private static IEnumerable<StoredObject> Merge(IEnumerable<StoredObject> a, IEnumerable<StoredObject> b)
    {
        using var x = a.GetEnumerator();
        using var y = b.GetEnumerator();
        bool hasX = x.MoveNext(), hasY = y.MoveNext();
        while (hasX || hasY)
        {
            if (hasX && (!hasY || Compare(x.Current, y.Current) <= 0))
            {
                yield return x.Current;
                hasX = x.MoveNext();
            }
            else
            {
                yield return y.Current;
                hasY = y.MoveNext();
            }
        }
    }

    private static int Compare(StoredObject a, StoredObject b) =>
        string.CompareOrdinal(ObjectTable.Key(a.Namespace, a.Name), ObjectTable.Key(b.Namespace, b.Name));
}
