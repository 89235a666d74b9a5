namespace Akka.KubeEmu.Actors.Store;

/// <summary>
/// The objects of one resource, ordered as etcd orders keys (/registry/&lt;resource&gt;/&lt;ns&gt;/&lt;name&gt;),
/// so lists and continue tokens page deterministically.
/// </summary>
public sealed class ObjectTable
{
    private readonly SortedDictionary<string, SortedDictionary<string, StoredObject>> _byNamespace = new(StringComparer.Ordinal);

    public int Count { get; private set; }

    public StoredObject? Get(string ns, string name) =>
        _byNamespace.TryGetValue(ns, out var names) && names.TryGetValue(name, out var o) ? o : null;

    public void Put(StoredObject obj)
    {
        if (!_byNamespace.TryGetValue(obj.Namespace, out var names))
            _byNamespace[obj.Namespace] = names = new SortedDictionary<string, StoredObject>(StringComparer.Ordinal);
        if (!names.ContainsKey(obj.Name)) Count++;
        names[obj.Name] = obj;
    }

    public StoredObject? Remove(string ns, string name)
    {
        if (!_byNamespace.TryGetValue(ns, out var names) || !names.Remove(name, out var removed)) return null;
        if (names.Count == 0) _byNamespace.Remove(ns);
        Count--;
        return removed;
    }

    public bool AnyIn(string ns) => _byNamespace.ContainsKey(ns);

    /// <summary>Objects in key order; a null namespace means all namespaces. Starts after <paramref name="afterKey"/> if given.</summary>
    public IEnumerable<StoredObject> Enumerate(string? ns, string? afterKey = null)
    {
        IEnumerable<KeyValuePair<string, SortedDictionary<string, StoredObject>>> spaces = ns is null
            ? _byNamespace
            : _byNamespace.TryGetValue(ns, out var one) ? [new(ns, one)] : [];
        foreach (var (space, names) in spaces)
        foreach (var (name, obj) in names)
        {
            if (afterKey is not null && string.CompareOrdinal(Key(space, name), afterKey) <= 0) continue;
            yield return obj;
        }
    }

    public static string Key(string ns, string name) => ns + "/" + name;
}
