using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Akka.KubeEmu.Actors.Api.Resources;
using Akka.KubeEmu.Cluster.Serialization;

namespace Akka.KubeEmu.Actors.Store;

/// <summary>
/// An object as the store keeps it: its JSON bytes, shared by every reader and watch event, and
/// the few attributes selectors need, extracted once when it is written.
/// </summary>
public sealed class StoredObject
{
    private StoredObject(string ns, string name, string uid, long rv, RawJson json,
        IReadOnlyDictionary<string, string> labels, IReadOnlyDictionary<string, string> fields)
    {
        Namespace = ns;
        Name = name;
        Uid = uid;
        ResourceVersion = rv;
        Json = json;
        Labels = labels;
        Fields = fields;
    }

    public string Namespace { get; }
    public string Name { get; }
    public string Uid { get; }
    public long ResourceVersion { get; }
    public RawJson Json { get; }
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>metadata.name, metadata.namespace and the resource's selectable fields.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; }

    public static StoredObject From(ResourceType? type, JsonObject obj, RawJson json)
    {
        var ns = KubeObject.Namespace(obj);
        var name = KubeObject.Name(obj);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["metadata.name"] = name,
            ["metadata.namespace"] = ns,
        };
        if (type is not null)
            foreach (var path in type.SelectableFields)
            {
                // Events select on "source" meaning source.component (k8s event GetAttrs).
                var value = path == "source" ? KubeObject.ScalarAt(obj, "source.component") : KubeObject.ScalarAt(obj, path);
                fields[path] = value ?? "";
            }
        return new StoredObject(ns, name, KubeObject.Uid(obj) ?? "",
            long.TryParse(KubeObject.ResourceVersion(obj), out var rv) ? rv : 0,
            json, KubeObject.Labels(obj), fields);
    }

    public static StoredObject From(ResourceType? type, RawJson json) => From(type, KubeObject.Parse(json.Utf8), json);

    public JsonObject ToJsonObject() => KubeObject.Parse(Json.Utf8);
}
