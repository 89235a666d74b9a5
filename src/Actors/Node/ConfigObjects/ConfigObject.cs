using System.Text;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Node.ConfigObjects;

/// <summary>Which of the two kinds a pod may read data from.</summary>
public enum ConfigKind { ConfigMap, Secret }

/// <summary>
/// A ConfigMap or Secret as a kubelet uses it: its keys with their values as text (a Secret's
/// data and a ConfigMap's binaryData base64-decoded), whether it is immutable. Kept instead of the
/// JSON so a node process holding thousands of them stays compact.
/// </summary>
/// <param name="Data">What a volume shows as files: data, and a ConfigMap's binaryData.</param>
/// <param name="DataForEnv">What env and envFrom read: a ConfigMap's data only (binaryData never), a Secret's data.</param>
public sealed record ConfigObject(ConfigKind Kind, string Namespace, string Name, IReadOnlyDictionary<string, string> Data,
    IReadOnlyDictionary<string, string> DataForEnv, bool Immutable)
{
    public static ConfigObject From(ConfigKind kind, JsonObject obj)
    {
        var data = new SortedDictionary<string, string>(StringComparer.Ordinal);
        IReadOnlyDictionary<string, string> forEnv = data;
        if (kind == ConfigKind.ConfigMap)
        {
            var text = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in Map(obj["data"])) data[key] = text[key] = value;
            foreach (var (key, value) in Map(obj["binaryData"])) data.TryAdd(key, Decode(value));
            forEnv = text;
        }
        else
            foreach (var (key, value) in Map(obj["data"])) data[key] = Decode(value);
        var immutable = obj["immutable"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
        return new ConfigObject(kind, KubeObject.Namespace(obj), KubeObject.Name(obj), data, forEnv, immutable);
    }

    /// <summary>The resource of the kind ("configmaps", "secrets").</summary>
    public static string Resource(ConfigKind kind) => kind == ConfigKind.ConfigMap ? "configmaps" : "secrets";

    /// <summary>How the kubelet's NotFound names the kind: configmap "x" not found, secret "x" not found.</summary>
    public static string NotFound(ConfigKind kind, string name) => $"{(kind == ConfigKind.ConfigMap ? "configmap" : "secret")} \"{name}\" not found";

    private static IEnumerable<(string Key, string Value)> Map(JsonNode? node) =>
        node is JsonObject map ? map.Select(p => (p.Key, KubeObject.ScalarText(p.Value) ?? "")) : [];

    /// <summary>Bytes as the file or variable shows them: UTF-8 text (what a container would read).</summary>
    private static string Decode(string base64)
    {
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return base64; // the API server refuses such data; an old object may still hold it
        }
    }
}

/// <summary>What the node's cache knows of one object.</summary>
public enum Lookup { NotSynced, NotFound, Found }

/// <summary>The answer of <see cref="ConfigObjectCache.Get"/>.</summary>
public readonly record struct CachedObject(Lookup State, ConfigObject? Object)
{
    public static readonly CachedObject NotSynced = new(Lookup.NotSynced, null);
    public static readonly CachedObject Missing = new(Lookup.NotFound, null);
}
