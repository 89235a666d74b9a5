using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Akka.KubeEmu.Actors.Api.Protobuf;

/// <summary>
/// Request bodies in application/vnd.kubernetes.protobuf, the encoding typed client-go clients
/// (kubectl create, kubectl run...) send: the 4-byte prefix "k8s\0", then a runtime.Unknown
/// holding the TypeMeta and the object's own protobuf bytes. Decoded to the JSON the rest of the
/// API server handles, so every later step (defaulting, validation, storage) is shared.
/// </summary>
public static class KubernetesProtobuf
{
    public const string MediaType = "application/vnd.kubernetes.protobuf";

    private static ReadOnlySpan<byte> Magic => "k8s\0"u8;

    public static (JsonObject? Object, ApiStatus? Error) Decode(byte[] body)
    {
        if (!HasMagic(body))
            return (null, ApiStatus.BadRequest("provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]"));
        try
        {
            // Written out and parsed again, so the object is exactly what the same client's JSON
            // would have produced (numbers as parsed elements, not CLR ints).
            var decoded = DecodeEnvelope(ByteString.CopyFrom(body), 0);
            return (JsonNode.Parse(decoded.ToJsonString())!.AsObject(), null);
        }
        catch (InvalidProtocolBufferException e)
        {
            return (null, ApiStatus.BadRequest($"unable to decode the protobuf body: {e.Message}"));
        }
        catch (ProtobufDecodeException e)
        {
            return (null, ApiStatus.BadRequest(e.Message));
        }
    }

    internal static bool HasMagic(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Magic);

    /// <summary>The prefixed runtime.Unknown: typeMeta = 1, raw = 2, contentEncoding = 3, contentType = 4.</summary>
    internal static JsonObject DecodeEnvelope(ByteString prefixed, int depth)
    {
        var input = ByteString.CopyFrom(prefixed.Span[Magic.Length..]).CreateCodedInput();
        string apiVersion = "", kind = "", encoding = "";
        ByteString raw = ByteString.Empty;
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: (apiVersion, kind) = TypeMeta(input.ReadBytes()); break;
                case 2: raw = input.ReadBytes(); break;
                case 3: encoding = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }
        if (encoding.Length > 0) throw ProtobufDecodeException.Malformed($"content encoding {encoding} is not supported");
        var message = ProtoSchema.ForKind(apiVersion, kind)
            ?? throw new ProtobufDecodeException($"no kind \"{kind}\" is registered for version \"{apiVersion}\" in scheme \"k8s.io/kubernetes/pkg/api/legacyscheme/scheme.go:30\"");

        // The TypeMeta travels outside the object's bytes; in JSON it comes first.
        var json = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        ProtobufToJson.MoveInto(ProtobufToJson.Message(message, raw, depth), json);
        return json;
    }

    private static (string ApiVersion, string Kind) TypeMeta(ByteString bytes)
    {
        string apiVersion = "", kind = "";
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case 1: apiVersion = input.ReadString(); break;
                case 2: kind = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }
        return (apiVersion, kind);
    }
}

/// <summary>A protobuf body that is well-formed on the wire but not a valid API object.</summary>
internal sealed class ProtobufDecodeException(string message) : Exception(message)
{
    public static ProtobufDecodeException Malformed(string detail) => new($"unable to decode the protobuf body: {detail}");
}
