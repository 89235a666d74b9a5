using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Akka.KubeEmu.Actors.Api.Protobuf;

/// <summary>
/// Turns a protobuf-encoded API object into the JSON that the same client would have sent with
/// application/json: Go's JSON names, inlined structs flattened, omitempty zeros dropped, and
/// apimachinery's special types (Time, Quantity, IntOrString...) in their JSON form.
/// Unknown field numbers are skipped, as the Go decoder does.
/// </summary>
public static class ProtobufToJson
{
    /// <summary>Deeper than any API type nests; stops hostile input from recursing without end.</summary>
    private const int MaxDepth = 40;

    public static JsonObject Message(ProtoMessage message, ByteString bytes, int depth = 0)
    {
        if (depth > MaxDepth) throw ProtobufDecodeException.Malformed($"message nesting deeper than {MaxDepth}");
        var json = new JsonObject();
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var number = WireFormat.GetTagFieldNumber(tag);
            if (!message.Fields.TryGetValue(number, out var field))
            {
                input.SkipLastField();
                continue;
            }
            var wire = WireFormat.GetTagWireType(tag);
            switch (field.Label)
            {
                case ProtoLabel.Map:
                    ReadMapEntry(field, Expect(input, wire, WireFormat.WireType.LengthDelimited).ReadBytes(), json, depth);
                    break;
                case ProtoLabel.Repeated:
                    ReadRepeated(field, input, wire, Array(json, field), depth);
                    break;
                default:
                    var value = ReadValue(field.Type, input, wire, depth);
                    if (field.JsonName is null)
                    {
                        // An inlined Go struct: its fields are the parent's in JSON.
                        if (value is JsonObject inlined) MoveInto(inlined, json);
                    }
                    else if (value is not null && (field.KeepZero || !IsZero(value)))
                    {
                        json[field.JsonName] = value;
                    }
                    break;
            }
        }
        return json;
    }

    private static JsonArray Array(JsonObject parent, ProtoField field)
    {
        var name = field.JsonName ?? throw ProtobufDecodeException.Malformed($"repeated field {field.Number} cannot be inlined");
        if (parent[name] is JsonArray existing) return existing;
        var array = new JsonArray();
        parent[name] = array;
        return array;
    }

    private static void ReadRepeated(ProtoField field, CodedInputStream input, WireFormat.WireType wire, JsonArray into, int depth)
    {
        // proto2 writes repeated numbers unpacked, but a decoder must accept packed ones too.
        if (wire == WireFormat.WireType.LengthDelimited && IsPackable(field.Type))
        {
            var packed = input.ReadBytes().CreateCodedInput();
            var element = field.Type is "double" ? WireFormat.WireType.Fixed64 : field.Type is "float" ? WireFormat.WireType.Fixed32 : WireFormat.WireType.Varint;
            while (!packed.IsAtEnd) into.Add(ReadValue(field.Type, packed, element, depth));
            return;
        }
        into.Add(ReadValue(field.Type, input, wire, depth));
    }

    private static void ReadMapEntry(ProtoField field, ByteString entry, JsonObject parent, int depth)
    {
        var name = field.JsonName ?? throw ProtobufDecodeException.Malformed($"map field {field.Number} cannot be inlined");
        var input = entry.CreateCodedInput();
        string key = "";
        JsonNode? value = null;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: key = Expect(input, WireFormat.GetTagWireType(tag), WireFormat.WireType.LengthDelimited).ReadString(); break;
                case 2: value = ReadValue(field.Type, input, WireFormat.GetTagWireType(tag), depth); break;
                default: input.SkipLastField(); break;
            }
        }
        if (parent[name] is not JsonObject map)
        {
            map = new JsonObject();
            parent[name] = map;
        }
        // A value left out of the entry is the type's zero value (an empty string, a zero quantity...).
        map[key] = value ?? ZeroOf(field.Type);
    }

    private static JsonNode? ReadValue(string type, CodedInputStream input, WireFormat.WireType wire, int depth) => type switch
    {
        "string" => Expect(input, wire, WireFormat.WireType.LengthDelimited).ReadString(),
        "bytes" => Convert.ToBase64String(Expect(input, wire, WireFormat.WireType.LengthDelimited).ReadBytes().Span),
        "bool" => Expect(input, wire, WireFormat.WireType.Varint).ReadBool(),
        "int32" => Expect(input, wire, WireFormat.WireType.Varint).ReadInt32(),
        "int64" => Expect(input, wire, WireFormat.WireType.Varint).ReadInt64(),
        "uint32" => Expect(input, wire, WireFormat.WireType.Varint).ReadUInt32(),
        "uint64" => Expect(input, wire, WireFormat.WireType.Varint).ReadUInt64(),
        "sint32" => Expect(input, wire, WireFormat.WireType.Varint).ReadSInt32(),
        "sint64" => Expect(input, wire, WireFormat.WireType.Varint).ReadSInt64(),
        "double" => Expect(input, wire, WireFormat.WireType.Fixed64).ReadDouble(),
        "float" => Expect(input, wire, WireFormat.WireType.Fixed32).ReadFloat(),
        _ => ReadMessage(type, Expect(input, wire, WireFormat.WireType.LengthDelimited).ReadBytes(), depth + 1),
    };

    private static JsonNode? ReadMessage(string type, ByteString bytes, int depth)
    {
        if (ApimachineryTypes.TryConvert(type, bytes, depth, out var special)) return special;
        var message = ProtoSchema.Find(type) ?? throw ProtobufDecodeException.Malformed($"no protobuf schema for {type}");
        var json = Message(message, bytes, depth);
        if (!message.IsList) return json;
        // A named Go slice (ExtraValue) is its items in JSON.
        var items = json.FirstOrDefault().Value;
        json.Clear();
        return items ?? new JsonArray();
    }

    private static CodedInputStream Expect(CodedInputStream input, WireFormat.WireType actual, WireFormat.WireType expected) =>
        actual == expected ? input : throw ProtobufDecodeException.Malformed($"wire type {actual} where {expected} was expected");

    private static bool IsPackable(string type) => type is "bool" or "int32" or "int64" or "uint32" or "uint64" or "sint32" or "sint64" or "double" or "float";

    private static bool IsZero(JsonNode value) => value switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0,
        JsonValue v when v.TryGetValue<bool>(out var b) => !b,
        JsonValue v when v.TryGetValue<long>(out var l) => l == 0,
        JsonValue v when v.TryGetValue<int>(out var i) => i == 0,
        JsonValue v when v.TryGetValue<double>(out var d) => d == 0,
        _ => false,
    };

    private static JsonNode? ZeroOf(string type) => type switch
    {
        "string" or "bytes" => "",
        "bool" => false,
        "int32" or "int64" or "uint32" or "uint64" or "sint32" or "sint64" or "double" or "float" => 0,
        _ => null,
    };

    internal static void MoveInto(JsonObject from, JsonObject to)
    {
        foreach (var name in from.Select(p => p.Key).ToList())
        {
            var value = from[name];
            from.Remove(name);
            to[name] = value;
        }
    }
}
