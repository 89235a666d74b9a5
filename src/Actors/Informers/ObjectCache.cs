using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Informers;

/// <summary>
/// An informer's indexer: the latest known state of each object, keyed "namespace/name", fed
/// by a <see cref="Reflector"/>. Owned by one actor; never shared.
/// </summary>
public sealed class ObjectCache
{
    private readonly Dictionary<string, JsonObject> _objects = new(StringComparer.Ordinal);

    public bool Synced { get; private set; }

    public int Count => _objects.Count;

    public IEnumerable<JsonObject> Values => _objects.Values;

    public JsonObject? Get(string ns, string name) => _objects.GetValueOrDefault(Key(ns, name));

    public static string Key(string ns, string name) => ns.Length == 0 ? name : ns + "/" + name;

    public static string Key(JsonObject o) => Key(KubeObject.Namespace(o), KubeObject.Name(o));

    /// <summary>Replaces everything; returns (old, new) pairs for what changed, old null for additions, new null for removals.</summary>
    public IReadOnlyList<(JsonObject? Old, JsonObject? New)> Replace(ReflectorReplace replace)
    {
        var changes = new List<(JsonObject?, JsonObject?)>();
        var fresh = replace.Items.Select(i => KubeObject.Parse(i.Utf8)).ToDictionary(Key, StringComparer.Ordinal);
        foreach (var (key, old) in _objects.ToArray())
            if (!fresh.ContainsKey(key))
            {
                _objects.Remove(key);
                changes.Add((old, null));
            }
        foreach (var (key, obj) in fresh)
        {
            var old = _objects.GetValueOrDefault(key);
            if (old is null || KubeObject.ResourceVersion(old) != KubeObject.ResourceVersion(obj)) changes.Add((old, obj));
            _objects[key] = obj;
        }
        Synced = true;
        return changes;
    }

    public IReadOnlyList<(JsonObject? Old, JsonObject? New)> Apply(ReflectorEvents events)
    {
        var changes = new List<(JsonObject?, JsonObject?)>();
        foreach (var ev in events.Events)
        {
            var obj = KubeObject.Parse(ev.Object.Utf8);
            var key = Key(obj);
            var old = _objects.GetValueOrDefault(key);
            if (ev.Type == "DELETED")
            {
                _objects.Remove(key);
                changes.Add((old ?? obj, null));
            }
            else
            {
                _objects[key] = obj;
                changes.Add((old, obj));
            }
        }
        return changes;
    }
}
