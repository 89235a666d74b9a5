using System.Buffers.Binary;

namespace Akka.KubeEmu.Host.ApiServer.Spdy;

/// <summary>
/// SPDY/3 frames to and from bytes: an 8-byte head (control bit, version 3 and type, or the stream
/// id of a data frame; flags; 24-bit length) and the payload. Header blocks go through the
/// connection's <see cref="SpdyHeaderCompression"/>, so frames must be encoded and decoded in
/// the order they travel.
/// </summary>
public static class SpdyFrameCodec
{
    public const int HeadLength = 8;
    public const ushort Version = 3;
    public const int MaxLength = 0xFFFFFF;

    private const byte FlagFin = 0x01;
    private const byte FlagUnidirectional = 0x02;

    private enum ControlType : ushort { SynStream = 1, SynReply = 2, RstStream = 3, Settings = 4, Ping = 6, GoAway = 7, Headers = 8, WindowUpdate = 9 }

    /// <summary>What the head announces: control or data, and how many payload bytes follow.</summary>
    public static int PayloadLength(ReadOnlySpan<byte> head) => (int)(BinaryPrimitives.ReadUInt32BigEndian(head[4..]) & 0xFFFFFF);

    public static byte[] Encode(SpdyFrame frame, SpdyHeaderCompression compression) => frame switch
    {
        SpdyDataFrame d => Data(d),
        SpdySynStreamFrame s => Control(ControlType.SynStream, (byte)((s.Fin ? FlagFin : 0) | (s.Unidirectional ? FlagUnidirectional : 0)),
            [.. Word(s.StreamId & 0x7FFFFFFF), .. Word(s.AssociatedStreamId & 0x7FFFFFFF), (byte)(s.Priority << 5), 0, .. compression.Compress(s.Headers)]),
        SpdySynReplyFrame r => Control(ControlType.SynReply, r.Fin ? FlagFin : (byte)0, [.. Word(r.StreamId & 0x7FFFFFFF), .. compression.Compress(r.Headers)]),
        SpdyRstStreamFrame r => Control(ControlType.RstStream, 0, [.. Word(r.StreamId & 0x7FFFFFFF), .. Word((uint)r.Status)]),
        SpdySettingsFrame s => Control(ControlType.Settings, 0, [.. Word((uint)s.Settings.Count), .. s.Settings.SelectMany(e => (byte[])[.. Word(((uint)e.Flags << 24) | (e.Id & 0xFFFFFF)), .. Word(e.Value)])]),
        SpdyPingFrame p => Control(ControlType.Ping, 0, Word(p.Id)),
        SpdyGoAwayFrame g => Control(ControlType.GoAway, 0, [.. Word(g.LastGoodStreamId & 0x7FFFFFFF), .. Word((uint)g.Status)]),
        SpdyHeadersFrame h => Control(ControlType.Headers, h.Fin ? FlagFin : (byte)0, [.. Word(h.StreamId & 0x7FFFFFFF), .. compression.Compress(h.Headers)]),
        SpdyWindowUpdateFrame w => Control(ControlType.WindowUpdate, 0, [.. Word(w.StreamId & 0x7FFFFFFF), .. Word(w.Delta & 0x7FFFFFFF)]),
        _ => throw new ArgumentException($"cannot encode {frame.GetType().Name}", nameof(frame)),
    };

    /// <summary>The frame of <paramref name="head"/> and its <paramref name="payload"/>.</summary>
    /// <exception cref="SpdyProtocolException">Another version, a payload too short for its type, a broken header block.</exception>
    public static SpdyFrame Decode(ReadOnlySpan<byte> head, ReadOnlySpan<byte> payload, SpdyHeaderCompression compression)
    {
        var first = BinaryPrimitives.ReadUInt32BigEndian(head);
        var flags = head[4];
        if ((first & 0x80000000) == 0)
            return new SpdyDataFrame(first & 0x7FFFFFFF, (flags & FlagFin) != 0, payload.ToArray());

        var version = (ushort)((first >> 16) & 0x7FFF);
        if (version != Version) throw new SpdyProtocolException($"unsupported SPDY version {version}");
        var type = (ushort)(first & 0xFFFF);
        var fin = (flags & FlagFin) != 0;
        switch ((ControlType)type)
        {
            case ControlType.SynStream:
                Need(payload, 10, "SYN_STREAM");
                return new SpdySynStreamFrame(StreamId(payload), StreamId(payload[4..]), (byte)(payload[8] >> 5), fin,
                    (flags & FlagUnidirectional) != 0, compression.Decompress(payload[10..]));
            case ControlType.SynReply:
                Need(payload, 4, "SYN_REPLY");
                return new SpdySynReplyFrame(StreamId(payload), fin, compression.Decompress(payload[4..]));
            case ControlType.RstStream:
                Need(payload, 8, "RST_STREAM");
                return new SpdyRstStreamFrame(StreamId(payload), (SpdyRstStatus)BinaryPrimitives.ReadUInt32BigEndian(payload[4..]));
            case ControlType.Settings:
                Need(payload, 4, "SETTINGS");
                var count = BinaryPrimitives.ReadUInt32BigEndian(payload);
                if (count > (payload.Length - 4) / 8) throw new SpdyProtocolException($"SETTINGS claims {count} entries in {payload.Length} bytes");
                var settings = new List<SpdySetting>((int)count);
                for (var i = 0; i < count; i++)
                {
                    var entry = payload.Slice(4 + i * 8, 8);
                    var idWord = BinaryPrimitives.ReadUInt32BigEndian(entry);
                    settings.Add(new SpdySetting((byte)(idWord >> 24), idWord & 0xFFFFFF, BinaryPrimitives.ReadUInt32BigEndian(entry[4..])));
                }
                return new SpdySettingsFrame(settings);
            case ControlType.Ping:
                Need(payload, 4, "PING");
                return new SpdyPingFrame(BinaryPrimitives.ReadUInt32BigEndian(payload));
            case ControlType.GoAway:
                Need(payload, 8, "GOAWAY");
                return new SpdyGoAwayFrame(StreamId(payload), (SpdyGoAwayStatus)BinaryPrimitives.ReadUInt32BigEndian(payload[4..]));
            case ControlType.Headers:
                Need(payload, 4, "HEADERS");
                return new SpdyHeadersFrame(StreamId(payload), fin, compression.Decompress(payload[4..]));
            case ControlType.WindowUpdate:
                Need(payload, 8, "WINDOW_UPDATE");
                return new SpdyWindowUpdateFrame(StreamId(payload), BinaryPrimitives.ReadUInt32BigEndian(payload[4..]) & 0x7FFFFFFF);
            default:
                return new SpdyUnknownControlFrame(type);
        }
    }

    private static uint StreamId(ReadOnlySpan<byte> payload) => BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7FFFFFFF;

    private static void Need(ReadOnlySpan<byte> payload, int length, string type)
    {
        if (payload.Length < length) throw new SpdyProtocolException($"{type} frame of {payload.Length} bytes, at least {length} expected");
    }

    private static byte[] Word(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Head(uint first, byte flags, int length)
    {
        if (length > MaxLength) throw new ArgumentException($"frame payload of {length} bytes exceeds SPDY's 24-bit length");
        var head = new byte[HeadLength];
        BinaryPrimitives.WriteUInt32BigEndian(head, first);
        BinaryPrimitives.WriteUInt32BigEndian(head.AsSpan(4), ((uint)flags << 24) | (uint)length);
        return head;
    }

    private static byte[] Control(ControlType type, byte flags, byte[] payload) =>
        [.. Head(0x80000000 | ((uint)Version << 16) | (ushort)type, flags, payload.Length), .. payload];

    private static byte[] Data(SpdyDataFrame frame) =>
        [.. Head(frame.StreamId & 0x7FFFFFFF, frame.Fin ? FlagFin : (byte)0, frame.Data.Length), .. frame.Data.Span];
}
