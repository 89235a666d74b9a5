using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;

namespace Akka.KubeEmu.Actors.Api.CustomResources;

/// <summary>
/// The custom resources this process serves: what the CustomResourceDefinitions it has seen define.
/// The Store feeds it from its own writes and recovery, and every API server process from a watch of
/// the definitions (<c>CustomResourceDefinitionWatcher</c>), as each kube-apiserver feeds its crdHandler
/// from an informer. Readers get an immutable snapshot, so lookups take no lock.
/// </summary>
public static class CustomResourceRegistry
{
    private sealed record Definition(long ResourceVersion, IReadOnlyList<ResourceType> Served, ResourceType? Storage);

    private sealed record Snapshot(
        ImmutableSortedDictionary<string, Definition> ByName,
        IReadOnlyList<ResourceType> Served,
        IReadOnlyDictionary<(string Group, string Version, string Plural), ResourceType> ByPath,
        IReadOnlyDictionary<(string ApiVersion, string Kind), ResourceType> ByKind,
        IReadOnlyDictionary<string, ResourceType> StorageByGroupResource)
    {
        public static Snapshot Of(ImmutableSortedDictionary<string, Definition> byName)
        {
            var served = byName.Values.SelectMany(d => d.Served).ToArray();
            var byPath = new Dictionary<(string, string, string), ResourceType>();
            var byKind = new Dictionary<(string, string), ResourceType>();
            foreach (var t in served)
            {
                byPath.TryAdd((t.Group, t.Version, t.Plural), t);
                byKind.TryAdd((t.ApiVersion, t.Kind), t);
            }
            var storage = new Dictionary<string, ResourceType>(StringComparer.Ordinal);
            foreach (var d in byName.Values)
                if (d.Storage is { } s) storage.TryAdd(s.GroupResource, s);
            return new Snapshot(byName, served, byPath, byKind, storage);
        }
    }

    private static readonly Lock Gate = new();
    private static Snapshot _current = Snapshot.Of(ImmutableSortedDictionary<string, Definition>.Empty.WithComparers(StringComparer.Ordinal));

    public static IReadOnlyList<ResourceType> Served() => _current.Served;

    public static ResourceType? Find(string group, string version, string plural) =>
        _current.ByPath.GetValueOrDefault((group, version, plural));

    public static ResourceType? FindByKind(string apiVersion, string kind) =>
        _current.ByKind.GetValueOrDefault((apiVersion, kind));

    /// <summary>The storage version's resource of "crontabs.stable.example.com", served or not.</summary>
    public static ResourceType? StorageOf(string groupResource) =>
        _current.StorageByGroupResource.GetValueOrDefault(groupResource);

    /// <summary>A definition was written; an older state than the one held is ignored (a late watch event).</summary>
    public static void Apply(JsonObject crd)
    {
        var name = KubeObject.Name(crd);
        var rv = long.TryParse(KubeObject.ResourceVersion(crd), out var parsed) ? parsed : 0;
        lock (Gate)
        {
            if (_current.ByName.TryGetValue(name, out var held) && held.ResourceVersion > rv) return;
            _current = Snapshot.Of(_current.ByName.SetItem(name, Build(crd, rv)));
        }
    }

    public static void Remove(string name)
    {
        lock (Gate) _current = Snapshot.Of(_current.ByName.Remove(name));
    }

    /// <summary>A fresh list of every definition (a relist): replaces what was held.</summary>
    public static void Replace(IEnumerable<JsonObject> crds)
    {
        var byName = ImmutableSortedDictionary<string, Definition>.Empty.WithComparers(StringComparer.Ordinal);
        foreach (var crd in crds)
            byName = byName.SetItem(KubeObject.Name(crd), Build(crd, long.TryParse(KubeObject.ResourceVersion(crd), out var rv) ? rv : 0));
        lock (Gate) _current = Snapshot.Of(byName);
    }

    private static Definition Build(JsonObject crd, long rv) =>
        new(rv, CustomResourceTypes.Of(crd), CustomResourceTypes.Storage(crd));
}
