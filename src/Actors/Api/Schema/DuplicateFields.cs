using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Akka.KubeEmu.Actors.Api.Schema;

/// <summary>
/// Fields a JSON body names twice in one object. Go's decoder keeps the last value; kube-apiserver's
/// strict decoding (sigs.k8s.io/json) reports each second naming as <c>duplicate field "path"</c>,
/// a 400 with fieldValidation=Strict and a warning with Warn. System.Text.Json's JsonObject
/// refuses such a body outright, so it is read here first.
/// </summary>
public static class DuplicateFields
{
    /// <summary>
    /// Paths in Go's spelling ("metadata.name", "spec.containers[0].image") of every field named
    /// again, in document order; empty for malformed JSON (the parser reports that).
    /// </summary>
    public static IReadOnlyList<string> Find(ReadOnlySpan<byte> json)
    {
        List<string>? found = null;
        var frames = new List<Frame>();
        var reader = new Utf8JsonReader(json);
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray, Segment(frames)));
                        break;
                    case JsonTokenType.EndObject:
                    case JsonTokenType.EndArray:
                        frames.RemoveAt(frames.Count - 1);
                        ElementDone(frames);
                        break;
                    case JsonTokenType.PropertyName:
                        var top = frames[^1];
                        top.Current = reader.GetString()!;
                        top.Names ??= new HashSet<string>(StringComparer.Ordinal);
                        if (!top.Names.Add(top.Current)) (found ??= []).Add(PathOf(frames, top.Current));
                        break;
                    case JsonTokenType.Comment:
                        break;
                    default:
                        ElementDone(frames);
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return [];
        }
        return found ?? (IReadOnlyList<string>)[];
    }

    /// <summary>
    /// Parses a body as Go decodes it (the last value of a field named twice), with the fields named
    /// twice; JsonException for malformed JSON.
    /// </summary>
    public static (JsonNode? Node, IReadOnlyList<string> Duplicates) Parse(ReadOnlySpan<byte> json)
    {
        var duplicates = Find(json);
        return (duplicates.Count == 0 ? JsonNode.Parse(json) : ParseLastWins(json), duplicates);
    }

    /// <summary>The body as an object with the last value of each field named twice, as Go decodes it.</summary>
    public static JsonNode? ParseLastWins(ReadOnlySpan<byte> json)
    {
        using var document = JsonDocument.Parse(json.ToArray());
        return Node(document.RootElement);
    }

    private static JsonNode? Node(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var property in element.EnumerateObject()) obj[property.Name] = Node(property.Value);
                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (var item in element.EnumerateArray()) array.Add(Node(item));
                return array;
            case JsonValueKind.Null:
                return null;
            default:
                return JsonValue.Create(element.Clone());
        }
    }

    private static string Segment(List<Frame> frames)
    {
        if (frames.Count == 0) return "";
        var parent = frames[^1];
        return parent.IsArray ? $"[{parent.Index}]" : "." + parent.Current;
    }

    private static void ElementDone(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray) frames[^1].Index++;
    }

    private static string PathOf(List<Frame> frames, string name)
    {
        var path = new StringBuilder();
        foreach (var frame in frames) path.Append(frame.Segment);
        path.Append('.').Append(name);
        return path.ToString().TrimStart('.');
    }

    private sealed class Frame(bool isArray, string segment)
    {
        public bool IsArray { get; } = isArray;
        public string Segment { get; } = segment;
        public int Index { get; set; }
        public string Current { get; set; } = "";
        public HashSet<string>? Names { get; set; }
    }
}
