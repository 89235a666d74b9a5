using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Akka.KubeEmu.Actors.Api.CustomResources.ValidationRules;

/// <summary>
/// A custom object's JSON as the values a rule sees (UnstructuredToVal): objects as maps whose null
/// fields are absent (so <c>has()</c> is false), arrays as lists, integers as int and numbers of a
/// <c>number</c> schema as double. At a resource root (the object, or an embedded resource) metadata is
/// reduced to name and generateName, the only metadata fields rules may read.
/// </summary>
public static class CelValues
{
    public static object? From(JsonNode? value, JsonObject? schema, bool resourceRoot)
    {
        switch (value)
        {
            case null:
                return null;
            case JsonObject o:
                var properties = schema?["properties"] as JsonObject;
                var additional = schema?["additionalProperties"] as JsonObject;
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (key, child) in o)
                {
                    if (child is null) continue;
                    if (resourceRoot && key == "metadata")
                    {
                        map[key] = Metadata(child);
                        continue;
                    }
                    var childSchema = properties?[key] as JsonObject ?? additional;
                    map[key] = From(child, childSchema, childSchema is not null && Bool(childSchema, "x-kubernetes-embedded-resource"));
                }
                return map;
            case JsonArray a:
                var items = schema?["items"] as JsonObject;
                return a.Select(i => From(i, items, items is not null && Bool(items, "x-kubernetes-embedded-resource"))).ToList();
            case JsonValue v:
                return Scalar(v, schema);
            default:
                return null;
        }
    }

    private static object? Scalar(JsonValue v, JsonObject? schema)
    {
        switch (v.GetValueKind())
        {
            case JsonValueKind.String: return v.GetValue<string>();
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.Number:
                var text = v.ToJsonString();
                var number = (schema?["type"] as JsonValue)?.GetValue<string>() == "number";
                if (!number && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)) return l;
                return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
            default: return null;
        }
    }

    private static Dictionary<string, object?> Metadata(JsonNode metadata)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (metadata is JsonObject m)
            foreach (var key in new[] { "name", "generateName" })
                if (m[key] is JsonValue v && v.TryGetValue<string>(out var s)) map[key] = s;
        return map;
    }

    private static bool Bool(JsonObject schema, string key) => schema[key] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
}
