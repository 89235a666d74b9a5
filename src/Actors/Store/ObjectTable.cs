using Akka.KubeEmu.Actors.Api.Selectors;

namespace Akka.KubeEmu.Actors.Store;

/// <summary>
/// The objects of one resource, ordered as etcd orders keys (/registry/&lt;resource&gt;/&lt;ns&gt;/&lt;name&gt;),
/// so lists and continue tokens page deterministically, with the <see cref="SelectorIndexes"/>
/// that let a selective list read only the objects that can match.
/// </summary>
public sealed class ObjectTable
{
    private readonly SortedDictionary<string, SortedDictionary<string, StoredObject>> _byNamespace = new(NamespaceKeyOrder.Instance);
    private readonly SelectorIndexes _indexes;

    /// <param name="indexedFields">The selectable fields to index (metadata.name never is).</param>
    public ObjectTable(IEnumerable<string>? indexedFields = null) => _indexes = new SelectorIndexes(indexedFields ?? []);

    public int Count { get; private set; }

    public StoredObject? Get(string ns, string name) =>
        _byNamespace.TryGetValue(ns, out var names) && names.TryGetValue(name, out var o) ? o : null;

    public void Put(StoredObject obj)
    {
        if (!_byNamespace.TryGetValue(obj.Namespace, out var names))
            _byNamespace[obj.Namespace] = names = new SortedDictionary<string, StoredObject>(StringComparer.Ordinal);
        var key = Key(obj.Namespace, obj.Name);
        if (names.TryGetValue(obj.Name, out var old)) _indexes.Replace(key, old, obj);
        else
        {
            Count++;
            _indexes.Add(key, obj);
        }
        names[obj.Name] = obj;
    }

    public StoredObject? Remove(string ns, string name)
    {
        if (!_byNamespace.TryGetValue(ns, out var names) || !names.Remove(name, out var removed)) return null;
        if (names.Count == 0) _byNamespace.Remove(ns);
        Count--;
        _indexes.Remove(Key(ns, name), removed);
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

    /// <summary>
    /// A superset of the objects the selectors match, in key order after <paramref name="afterKey"/>:
    /// the keys of the most selective index when the selectors pin an indexed value, every object
    /// (of the namespace) otherwise. The caller still applies the selectors.
    /// </summary>
    public IEnumerable<StoredObject> Candidates(string? ns, LabelSelector labels, FieldSelector fields, string? afterKey = null)
    {
        // One object by name (a kubelet's watch of the ConfigMap or Secret a pod uses): a lookup, not a walk of its namespace.
        if (ns is not null && fields.RequiredValue("metadata.name") is { } name)
            return Get(ns, name) is { } named && (afterKey is null || string.CompareOrdinal(Key(ns, name), afterKey) > 0) ? [named] : [];
        var keys = _indexes.Candidates(labels, fields);
        return keys is null ? Enumerate(ns, afterKey) : FromKeys(keys, ns, afterKey);
    }

    private IEnumerable<StoredObject> FromKeys(SortedSet<string> keys, string? ns, string? afterKey)
    {
        if (keys.Count == 0) yield break;
        // A namespace's keys are "ns/…", all below "ns0" ('0' follows '/'), which no key equals.
        var lower = ns is null ? keys.Min! : ns + "/";
        var upper = ns is null ? keys.Max! : ns + "0";
        if (afterKey is not null && string.CompareOrdinal(afterKey, lower) > 0) lower = afterKey;
        if (string.CompareOrdinal(lower, upper) > 0) yield break;
        foreach (var key in keys.GetViewBetween(lower, upper))
        {
            if (key == afterKey) continue;
            var slash = key.IndexOf('/');
            if (Get(key[..slash], key[(slash + 1)..]) is { } obj) yield return obj;
        }
    }

    public static string Key(string ns, string name) => ns + "/" + name;

    /// <summary>
    /// Orders namespaces as their keys order ("a-b/x" before "a/x": '-' sorts before '/'), so
    /// enumerating namespace by namespace walks keys in etcd's order and continue tokens, which
    /// compare keys, never skip a namespace.
    /// </summary>
    private sealed class NamespaceKeyOrder : IComparer<string>
    {
        public static readonly NamespaceKeyOrder Instance = new();

        public int Compare(string? a, string? b)
        {
            a ??= "";
            b ??= "";
            var common = Math.Min(a.Length, b.Length);
            var c = string.CompareOrdinal(a, 0, b, 0, common);
            if (c != 0 || a.Length == b.Length) return c;
            // The shorter namespace's key continues with '/'.
            return a.Length < b.Length ? '/' - b[common] : a[common] - '/';
        }
    }
}
