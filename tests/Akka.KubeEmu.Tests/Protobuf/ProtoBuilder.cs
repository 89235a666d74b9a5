using Google.Protobuf;

namespace Akka.KubeEmu.Tests.Protobuf;

/// <summary>
/// Writes protobuf by hand, field number by field number as generated.proto declares them, so the
/// specs state the wire bytes independently of the decoder's schema table.
/// </summary>
internal sealed class ProtoBuilder
{
    private readonly MemoryStream _bytes = new();
    private readonly CodedOutputStream _out;

    public ProtoBuilder() => _out = new CodedOutputStream(_bytes, leaveOpen: true);

    public ProtoBuilder String(int field, string value)
    {
        _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _out.WriteString(value);
        return this;
    }

    public ProtoBuilder Bytes(int field, byte[] value)
    {
        _out.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _out.WriteBytes(ByteString.CopyFrom(value));
        return this;
    }

    public ProtoBuilder Varint(int field, long value)
    {
        _out.WriteTag(field, WireFormat.WireType.Varint);
        _out.WriteInt64(value);
        return this;
    }

    public ProtoBuilder Message(int field, ProtoBuilder message) => Bytes(field, message.ToArray());

    /// <summary>A map entry: key = 1, value = 2.</summary>
    public ProtoBuilder Entry(int field, string key, string value) =>
        Message(field, new ProtoBuilder().String(1, key).String(2, value));

    public ProtoBuilder Entry(int field, string key, byte[] value) =>
        Message(field, new ProtoBuilder().String(1, key).Bytes(2, value));

    public ProtoBuilder Entry(int field, string key, ProtoBuilder value) =>
        Message(field, new ProtoBuilder().String(1, key).Message(2, value));

    public ProtoBuilder Packed(int field, params long[] values)
    {
        var packed = new ProtoBuilder();
        foreach (var v in values) packed._out.WriteInt64(v);
        return Bytes(field, packed.ToArray());
    }

    public byte[] ToArray()
    {
        _out.Flush();
        return _bytes.ToArray();
    }

    /// <summary>"k8s\0" and a runtime.Unknown {typeMeta = 1 {apiVersion = 1, kind = 2}, raw = 2}.</summary>
    public static byte[] Envelope(string apiVersion, string kind, ProtoBuilder obj) =>
        [.. "k8s\0"u8, .. new ProtoBuilder()
            .Message(1, new ProtoBuilder().String(1, apiVersion).String(2, kind))
            .Message(2, obj)
            .ToArray()];
}
