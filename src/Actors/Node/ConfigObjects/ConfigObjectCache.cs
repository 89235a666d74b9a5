using System.Collections.Concurrent;

namespace Akka.KubeEmu.Actors.Node.ConfigObjects;

/// <summary>
/// The objects the <see cref="WatchBasedManager"/> of a node process watches, readable by every
/// pod worker of the process without a message (as the kubelet's objectCache is read by its pod
/// workers). Only the manager writes.
/// </summary>
public sealed class ConfigObjectCache
{
    private readonly ConcurrentDictionary<string, CachedObject> _items = new(StringComparer.Ordinal);

    /// <summary>A cache nobody fills: every object is missing (node contexts built without a manager).</summary>
    public static ConfigObjectCache Empty { get; } = new() { AlwaysMissing = true };

    private bool AlwaysMissing { get; init; }

    public static string Key(ConfigKind kind, string ns, string name) => $"{ConfigObject.Resource(kind)}/{ns}/{name}";

    /// <summary>What the node knows of the object; a nameless reference (which validation refuses) is missing, never awaited.</summary>
    public CachedObject Get(ConfigKind kind, string ns, string name) =>
        AlwaysMissing || name.Length == 0 ? CachedObject.Missing : _items.GetValueOrDefault(Key(kind, ns, name), CachedObject.NotSynced);

    internal void Set(string key, ConfigObject? obj) =>
        _items[key] = obj is null ? CachedObject.Missing : new CachedObject(Lookup.Found, obj);

    internal void Forget(string key) => _items.TryRemove(key, out _);

    internal int Count => _items.Count;
}
