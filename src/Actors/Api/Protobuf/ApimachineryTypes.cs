using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Akka.KubeEmu.Actors.Api.Objects;
using Google.Protobuf;

namespace Akka.KubeEmu.Actors.Api.Protobuf;

/// <summary>
/// The apimachinery types whose JSON form is not their protobuf shape: each has its own
/// MarshalJSON in Go (a timestamp string, a quantity string, an int-or-string, embedded JSON).
/// </summary>
internal static class ApimachineryTypes
{
    private const string Meta = ProtoSchema.MetaV1;

    public static bool TryConvert(string type, ByteString bytes, int depth, out JsonNode? json)
    {
        json = null;
        switch (type)
        {
            case $"{Meta}.Time": json = Timestamp(bytes, "yyyy-MM-dd'T'HH:mm:ss'Z'"); return true;
            case $"{Meta}.MicroTime": json = Timestamp(bytes, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'"); return true;
            case $"{Meta}.Duration": json = Duration(bytes); return true;
            case $"{Meta}.FieldsV1":
            case "k8s.io.apimachinery.pkg.runtime.RawExtension": json = EmbeddedJson(Field(bytes, 1), depth); return true;
            case "k8s.io.apimachinery.pkg.api.resource.Quantity":
            case "k8s.io.apimachinery.pkg.api.resource.QuantityValue": json = Quantity(bytes); return true;
            case "k8s.io.apimachinery.pkg.util.intstr.IntOrString": json = IntOrString(bytes); return true;
            default: return false;
        }
    }

    /// <summary>metav1.Time: seconds and nanos; the zero time is JSON null (here: left out).</summary>
    private static JsonNode? Timestamp(ByteString bytes, string format)
    {
        long seconds = 0;
        var nanos = 0;
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: seconds = input.ReadInt64(); break;
                case 2: nanos = input.ReadInt32(); break;
                default: input.SkipLastField(); break;
            }
        }
        if (seconds == 0 && nanos == 0) return null;
        var time = DateTimeOffset.FromUnixTimeSeconds(seconds).AddTicks(nanos / 100);
        return time.UtcDateTime.ToString(format, CultureInfo.InvariantCulture);
    }

    private static JsonNode Duration(ByteString bytes)
    {
        var nanoseconds = Varint(bytes, 1);
        return GoDuration.Format(TimeSpan.FromTicks(nanoseconds / 100));
    }

    /// <summary>A zero Quantity marshals as "0".</summary>
    private static JsonNode Quantity(ByteString bytes) =>
        Field(bytes, 1) is { Length: > 0 } s ? s.ToStringUtf8() : "0";

    private static JsonNode IntOrString(ByteString bytes)
    {
        long kind = 0;
        var number = 0;
        var text = "";
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: kind = input.ReadInt64(); break;
                case 2: number = input.ReadInt32(); break;
                case 3: text = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }
        return kind == 1 ? text : number;
    }

    /// <summary>runtime.RawExtension and FieldsV1 carry JSON, or a nested protobuf object.</summary>
    private static JsonNode? EmbeddedJson(ByteString? raw, int depth)
    {
        if (raw is null || raw.Length == 0) return null;
        if (KubernetesProtobuf.HasMagic(raw.Span)) return KubernetesProtobuf.DecodeEnvelope(raw, depth + 1);
        try
        {
            return JsonNode.Parse(raw.Span);
        }
        catch (JsonException e)
        {
            throw ProtobufDecodeException.Malformed($"embedded object is neither JSON nor protobuf: {e.Message}");
        }
    }

    private static ByteString? Field(ByteString bytes, int number)
    {
        ByteString? value = null;
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                value = input.ReadBytes();
            else input.SkipLastField();
        }
        return value;
    }

    private static long Varint(ByteString bytes, int number)
    {
        long value = 0;
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == number && WireFormat.GetTagWireType(tag) == WireFormat.WireType.Varint)
                value = input.ReadInt64();
            else input.SkipLastField();
        }
        return value;
    }
}
