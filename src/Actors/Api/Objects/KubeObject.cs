using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Akka.KubeEmu.Actors.Api.Objects;

/// <summary>
/// Accessors for Kubernetes objects held as JSON trees. The emulator keeps objects as
/// Kubernetes JSON (not typed models) wherever it must preserve fields it does not know.
/// </summary>
public static class KubeObject
{
    public static JsonObject Parse(ReadOnlySpan<byte> utf8Json) =>
        JsonNode.Parse(utf8Json) as JsonObject ?? throw new JsonException("expected a JSON object");

    public static byte[] ToBytes(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, JsonDefaults.Compact);

    public static JsonObject Metadata(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject meta) return meta;
        meta = new JsonObject();
        obj["metadata"] = meta;
        return meta;
    }

    public static string? String(JsonNode? node, string property) =>
        node is JsonObject o && o[property] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static string Name(JsonObject obj) => String(obj["metadata"], "name") ?? "";

    public static string Namespace(JsonObject obj) => String(obj["metadata"], "namespace") ?? "";

    public static string? Uid(JsonObject obj) => String(obj["metadata"], "uid");

    public static string? ResourceVersion(JsonObject obj) => String(obj["metadata"], "resourceVersion");

    public static string? Kind(JsonObject obj) => String(obj, "kind");

    public static string? ApiVersion(JsonObject obj) => String(obj, "apiVersion");

    /// <summary>Follows a dotted path of object properties, e.g. "spec.nodeName".</summary>
    public static JsonNode? At(JsonNode? node, string dottedPath)
    {
        foreach (var part in dottedPath.Split('.'))
        {
            if (node is not JsonObject o) return null;
            node = o[part];
        }
        return node;
    }

    /// <summary>The scalar at a dotted path as the string a field selector compares with.</summary>
    public static string? ScalarAt(JsonNode? node, string dottedPath) => ScalarText(At(node, dottedPath));

    public static string? ScalarText(JsonNode? node) => node is JsonValue v
        ? v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => v.ToJsonString(),
            _ => null,
        }
        : null;

    /// <summary>
    /// An integer field, whether the node was parsed (JsonElement inside) or built in memory
    /// (int, long): JsonValue.GetValue&lt;long&gt; only accepts the former for an int.
    /// </summary>
    public static long? Long(JsonNode? node)
    {
        if (node is not JsonValue v) return null;
        if (v.TryGetValue<long>(out var l)) return l;
        if (v.TryGetValue<int>(out var i)) return i;
        if (v.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var parsed)) return parsed;
        return null;
    }

    public static Dictionary<string, string> StringMap(JsonNode? node)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject o)
            foreach (var (k, v) in o)
                if (v is JsonValue jv && jv.TryGetValue<string>(out var s)) map[k] = s;
        return map;
    }

    public static Dictionary<string, string> Labels(JsonObject obj) => StringMap(At(obj, "metadata.labels"));

    public static JsonObject EnsureObject(JsonObject parent, string property)
    {
        if (parent[property] is JsonObject o) return o;
        o = new JsonObject();
        parent[property] = o;
        return o;
    }

    /// <summary>Kubernetes timestamps are RFC 3339 with second precision ("2026-11-22T14:27:48Z").</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>MicroTime (events, leases) keeps microseconds: "2026-11-22T14:27:48.262186Z".</summary>
    public static string MicroTimestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseTimestamp(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t : null;
}
