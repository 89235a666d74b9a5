using System.Text.Json;
using System.Text.Json.Nodes;

namespace Akka.KubeEmu.Actors.Api.Objects;

/// <summary>
/// JSON with object keys in ordinal order and nulls left out, so that two objects equal in meaning
/// serialise to the same bytes whatever order their maps were written in: what the controllers
/// hash (pod-template-hash, ControllerRevision names) and compare (Semantic.DeepEqual). With
/// <c>dropEmpty</c>, empty maps and lists count as missing, as apimachinery's semantic equality has it.
/// </summary>
public static class CanonicalJson
{
    public static byte[] Bytes(JsonNode? node, bool dropEmpty = false)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) Write(writer, node, dropEmpty);
        return buffer.ToArray();
    }

    /// <summary>The canonical bytes of any typed model, or of a value held as JsonElement/JsonNode.</summary>
    public static byte[] Of(object? value, bool dropEmpty = false) => value switch
    {
        null => Bytes(null, dropEmpty),
        JsonNode node => Bytes(node, dropEmpty),
        JsonElement element => Bytes(JsonNode.Parse(element.GetRawText()), dropEmpty),
        _ => Bytes(JsonNode.Parse(KubeModels.Encode(value)), dropEmpty),
    };

    private static void Write(Utf8JsonWriter writer, JsonNode? node, bool dropEmpty)
    {
        switch (node)
        {
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (value is null || (dropEmpty && IsEmpty(value))) continue;
                    writer.WritePropertyName(key);
                    Write(writer, value, dropEmpty);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array) Write(writer, item, dropEmpty);
                writer.WriteEndArray();
                break;
            case null:
                writer.WriteNullValue();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    private static bool IsEmpty(JsonNode node) => node switch
    {
        JsonObject o => o.All(p => p.Value is null || IsEmpty(p.Value)),
        JsonArray a => a.Count == 0,
        _ => false,
    };
}
