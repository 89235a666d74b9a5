using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Akka.KubeEmu.Cluster.Serialization;

/// <summary>
/// A JSON value carried as UTF-8 bytes. Kubernetes objects travel and are journaled in this
/// form, embedded as JSON (not base64) in the message envelope.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
public sealed class RawJson : IEquatable<RawJson>
{
    public RawJson(byte[] utf8) => Utf8 = utf8;

    public byte[] Utf8 { get; }

    public static RawJson FromString(string json) => new(Encoding.UTF8.GetBytes(json));

    public override string ToString() => Encoding.UTF8.GetString(Utf8);

    public bool Equals(RawJson? other) => other is not null && Utf8.AsSpan().SequenceEqual(other.Utf8);

    public override bool Equals(object? obj) => obj is RawJson r && Equals(r);

    public override int GetHashCode()
    {
        var h = new HashCode();
        h.AddBytes(Utf8);
        return h.ToHashCode();
    }
}

public sealed class RawJsonConverter : JsonConverter<RawJson>
{
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        // The value's own bytes (one copy), not a re-serialisation of it: every watch event and
        // object crossing processes comes through here. Writers embed compact JSON (Write below).
        using var doc = JsonDocument.ParseValue(ref reader);
        return new RawJson(JsonMarshal.GetRawUtf8Value(doc.RootElement).ToArray());
    }

    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Utf8, skipInputValidation: true);
}
