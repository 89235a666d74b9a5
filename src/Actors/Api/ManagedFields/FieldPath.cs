using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;

namespace Akka.KubeEmu.Actors.Api.ManagedFields;

/// <summary>
/// Paths into an object as structured-merge-diff names them, one element per step: a field
/// (<c>f:name</c>), an associative list item by its keys (<c>k:{"name":"nginx"}</c>), a set
/// member (<c>v:"x"</c>) or a list index (<c>i:0</c>); the element strings are fieldsV1's keys.
/// A whole path is its elements joined by a separator no element contains (JSON escapes control
/// characters), so paths can live in a plain hash set.
/// </summary>
public static class FieldPath
{
    public const char Separator = '\u0001';

    public static string Field(string name) => "f:" + name;

    public static string Value(JsonNode? value) => "v:" + Json(value);

    public static string Index(int index) => "i:" + index;

    /// <summary>
    /// An item of a map list: its key fields <paramref name="names"/> (in ordinal order) as a compact
    /// JSON object, written straight from the item: every status write compares its lists
    /// (conditions, addresses, owner references) item by item, and building a JSON object per item
    /// and key was a good part of that.
    /// </summary>
    public static string Key(JsonObject item, IReadOnlyList<string> names, Func<string, JsonNode?> missing)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(256);
        buffer.ResetWrittenCount();
        var writer = t_writer ??= new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JsonDefaults.Compact.Encoder });
        writer.Reset(buffer);
        writer.WriteStartObject();
        foreach (var name in names)
        {
            var value = item[name] ?? missing(name);
            if (value is null) continue;
            writer.WritePropertyName(name);
            value.WriteTo(writer, JsonDefaults.Compact);
        }
        writer.WriteEndObject();
        writer.Flush();
        return string.Concat("k:", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    public static string Child(string path, string element) => path.Length == 0 ? element : path + Separator + element;

    public static IEnumerable<string> Elements(string path) => path.Length == 0 ? [] : path.Split(Separator);

    /// <summary>Whether <paramref name="path"/> lies strictly under <paramref name="ancestor"/>.</summary>
    public static bool IsUnder(string path, string ancestor) =>
        ancestor.Length == 0 ? path.Length > 0 : path.Length > ancestor.Length && path[ancestor.Length] == Separator && path.StartsWith(ancestor, StringComparison.Ordinal);

    /// <summary>The path as conflicts print it: <c>.spec.containers[name="nginx"].image</c>.</summary>
    public static string Render(string path)
    {
        var text = new StringBuilder();
        foreach (var element in Elements(path)) text.Append(RenderElement(element));
        return text.ToString();
    }

    private static string RenderElement(string element) => element[..2] switch
    {
        "f:" => "." + element[2..],
        "i:" => $"[{element[2..]}]",
        "v:" => $"[={element[2..]}]",
        "k:" => "[" + string.Join(",", (JsonNode.Parse(element[2..]) as JsonObject ?? []).Select(k => $"{k.Key}={Json(k.Value)}")) + "]",
        _ => element,
    };

    private static string Json(JsonNode? value) => value is null ? "null" : Encoding.UTF8.GetString(KubeObject.ToBytes(value));
}
