using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Akka.KubeEmu.Host.OpenApi;

/// <summary>
/// Encodes a Swagger 2.0 document as gnostic's <c>openapi.v2.Document</c> protobuf, the form
/// kubectl v1.20 downloads (application/com.github.proto-openapi.spec.v2@v1.0+protobuf). This
/// hand-writes the wire format of the messages kubectl reads (Document, Info, Definitions,
/// NamedSchema, Schema, Properties, ItemsItem, TypeItem, AdditionalPropertiesItem, NamedAny,
/// Any), with the field numbers of github.com/google/gnostic openapiv2/OpenAPIv2.proto; paths
/// are not encoded (clients validate and patch from the definitions).
/// </summary>
public static class GnosticProtobuf
{
    public static byte[] Encode(JsonObject swagger)
    {
        return Message(w =>
        {
            w.String(1, swagger["swagger"]?.GetValue<string>() ?? "2.0");
            w.Message(2, Message(info =>
            {
                info.String(1, swagger["info"]?["title"]?.GetValue<string>() ?? "Kubernetes");
                info.String(2, swagger["info"]?["version"]?.GetValue<string>() ?? "");
            }));
            w.Message(8, []); // Paths: present, empty
            w.Message(9, Message(defs =>
            {
                foreach (var (name, schema) in swagger["definitions"]!.AsObject())
                    defs.Message(1, NamedSchema(name, schema!.AsObject()));
            }));
        });
    }

    private static byte[] NamedSchema(string name, JsonObject schema) => Message(w =>
    {
        w.String(1, name);
        w.Message(2, Schema(schema));
    });

    private static byte[] Schema(JsonObject schema) => Message(w =>
    {
        if (Text(schema, "$ref") is { } reference) w.String(1, reference);
        if (Text(schema, "format") is { } format) w.String(2, format);
        if (Text(schema, "description") is { } description) w.String(4, description);
        if (schema["required"] is JsonArray required)
            foreach (var r in required) w.String(19, r!.GetValue<string>());
        if (schema["additionalProperties"] is JsonObject additional)
            w.Message(21, Message(a => a.Message(1, Schema(additional))));
        if (Text(schema, "type") is { } type) w.Message(22, Message(t => t.String(1, type)));
        if (schema["items"] is JsonObject items) w.Message(23, Message(i => i.Message(1, Schema(items))));
        if (schema["allOf"] is JsonArray allOf)
            foreach (var s in allOf) w.Message(24, Schema(s!.AsObject()));
        if (schema["properties"] is JsonObject properties)
            w.Message(25, Message(p =>
            {
                foreach (var (name, property) in properties) p.Message(1, NamedSchema(name, property!.AsObject()));
            }));
        foreach (var (key, value) in schema.Where(p => p.Key.StartsWith("x-", StringComparison.Ordinal)))
            w.Message(31, Message(named =>
            {
                named.String(1, key);
                named.Message(2, Message(any => any.String(2, Yaml(value))));
            }));
    });

    /// <summary>The YAML text gnostic keeps for a vendor extension's value.</summary>
    public static string Yaml(JsonNode? value) => value switch
    {
        JsonArray array => string.Concat(array.Select(item => item is JsonObject o
            ? "- " + string.Join("\n  ", o.Select(p => $"{p.Key}: {Scalar(p.Value)}")) + "\n"
            : $"- {Scalar(item)}\n")),
        JsonObject obj => string.Concat(obj.Select(p => $"{p.Key}: {Scalar(p.Value)}\n")),
        _ => Scalar(value) + "\n",
    };

    private static string Scalar(JsonNode? value) => value?.GetValueKind() switch
    {
        JsonValueKind.String when value.GetValue<string>() is var s && (s.Length == 0 || s.Any(c => c is ':' or '#' or '"' or '\'')) => JsonSerializer.Serialize(s),
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Number => value.ToJsonString(),
        _ => "null",
    };

    private static string? Text(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static byte[] Message(Action<Writer> write)
    {
        using var buffer = new MemoryStream();
        var output = new CodedOutputStream(buffer);
        write(new Writer(output));
        output.Flush();
        return buffer.ToArray();
    }

    private sealed class Writer(CodedOutputStream output)
    {
        public void String(int field, string value)
        {
            output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            output.WriteString(value);
        }

        public void Message(int field, byte[] body)
        {
            output.WriteTag(field, WireFormat.WireType.LengthDelimited);
            output.WriteBytes(ByteString.CopyFrom(body));
        }
    }
}
