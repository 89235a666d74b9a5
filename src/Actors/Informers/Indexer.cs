using Akka.KubeEmu.Actors.Api.Objects;
using k8s;
using k8s.Models;

namespace Akka.KubeEmu.Actors.Informers;

/// <summary>Computes the index values of an object (client-go's IndexFunc).</summary>
public delegate IEnumerable<string> IndexFunc<in T>(T obj);

/// <summary>
/// client-go's thread-safe store with indexers: the cache of one shared informer. Only the
/// informer actor writes it; controllers read it from their event handlers and their sync workers,
/// on any thread. Objects are shared and must not be changed (<see cref="KubeModels.Clone{T}"/>).
/// </summary>
public sealed class Indexer<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IndexFunc<T>> _indexers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, HashSet<string>>> _indices = new(StringComparer.Ordinal);
    private volatile bool _synced;

    /// <summary>True once the first list has been stored (cache.WaitForCacheSync).</summary>
    public bool HasSynced => _synced;

    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try { return _items.Count; }
            finally { _lock.ExitReadLock(); }
        }
    }

    /// <summary>Adds an index (and indexes what is already stored).</summary>
    public void AddIndexer(string name, IndexFunc<T> index)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_indexers.TryAdd(name, index)) return;
            var values = _indices[name] = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            foreach (var (key, obj) in _items)
                foreach (var v in index(obj)) Add(values, v, key);
        }
        finally { _lock.ExitWriteLock(); }
    }

    public T? Get(string key)
    {
        _lock.EnterReadLock();
        try { return _items.GetValueOrDefault(key); }
        finally { _lock.ExitReadLock(); }
    }

    public T? Get(string? ns, string name) => Get(KubeModels.Key(ns, name));

    public IReadOnlyList<T> List()
    {
        _lock.EnterReadLock();
        try { return _items.Values.ToArray(); }
        finally { _lock.ExitReadLock(); }
    }

    public IReadOnlyList<string> ListKeys()
    {
        _lock.EnterReadLock();
        try { return _items.Keys.ToArray(); }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>The objects whose index <paramref name="indexName"/> has <paramref name="value"/> (client-go's ByIndex).</summary>
    public IReadOnlyList<T> ByIndex(string indexName, string value)
    {
        _lock.EnterReadLock();
        try
        {
            if (!_indices.TryGetValue(indexName, out var values))
                throw new ArgumentException($"index {indexName} does not exist");
            return values.TryGetValue(value, out var keys) ? keys.Select(k => _items[k]).ToArray() : [];
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>The objects of one namespace, through the namespace index every informer has.</summary>
    public IReadOnlyList<T> InNamespace(string ns) => ByIndex(Indexers.Namespace, ns);

    // ---- written by the informer only ----

    /// <summary>Stores <paramref name="obj"/>; returns what it replaced.</summary>
    internal T? Upsert(T obj)
    {
        var key = KubeModels.Key(obj);
        _lock.EnterWriteLock();
        try
        {
            _items.TryGetValue(key, out var old);
            if (old is not null) Unindex(key, old);
            _items[key] = obj;
            Index(key, obj);
            return old;
        }
        finally { _lock.ExitWriteLock(); }
    }

    internal T? Remove(string key)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_items.Remove(key, out var old)) return null;
            Unindex(key, old);
            return old;
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Replaces everything (a relist); returns what changed: (old, null) removed, (null, new) added, (old, new) changed.</summary>
    internal IReadOnlyList<(T? Old, T? New)> Replace(IReadOnlyList<T> objects)
    {
        var changes = new List<(T?, T?)>();
        _lock.EnterWriteLock();
        try
        {
            var fresh = new Dictionary<string, T>(objects.Count, StringComparer.Ordinal);
            foreach (var o in objects) fresh[KubeModels.Key(o)] = o;
            foreach (var (key, old) in _items.ToArray())
                if (!fresh.ContainsKey(key))
                {
                    _items.Remove(key);
                    Unindex(key, old);
                    changes.Add((old, null));
                }
            foreach (var (key, obj) in fresh)
            {
                _items.TryGetValue(key, out var old);
                if (old is not null && old.Metadata?.ResourceVersion == obj.Metadata?.ResourceVersion) continue;
                if (old is not null) Unindex(key, old);
                _items[key] = obj;
                Index(key, obj);
                changes.Add((old, obj));
            }
        }
        finally { _lock.ExitWriteLock(); }
        _synced = true;
        return changes;
    }

    private void Index(string key, T obj)
    {
        foreach (var (name, index) in _indexers)
            foreach (var v in index(obj)) Add(_indices[name], v, key);
    }

    private void Unindex(string key, T obj)
    {
        foreach (var (name, index) in _indexers)
        {
            var values = _indices[name];
            foreach (var v in index(obj))
                if (values.TryGetValue(v, out var keys))
                {
                    keys.Remove(key);
                    if (keys.Count == 0) values.Remove(v);
                }
        }
    }

    private static void Add(Dictionary<string, HashSet<string>> values, string value, string key)
    {
        if (!values.TryGetValue(value, out var keys)) values[value] = keys = new HashSet<string>(StringComparer.Ordinal);
        keys.Add(key);
    }
}
