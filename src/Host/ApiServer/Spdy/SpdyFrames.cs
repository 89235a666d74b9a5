namespace Akka.KubeEmu.Host.ApiServer.Spdy;

// The frames of SPDY/3.1 (draft-mbelshe-httpbis-spdy-00 section 2, and 3.1's connection window) that
// httpstream (moby/spdystream underneath client-go) sends and understands.

public abstract record SpdyFrame;

/// <summary>Bytes of one stream; <paramref name="Fin"/> half-closes it.</summary>
public sealed record SpdyDataFrame(uint StreamId, bool Fin, ReadOnlyMemory<byte> Data) : SpdyFrame;

public sealed record SpdySynStreamFrame(uint StreamId, uint AssociatedStreamId, byte Priority, bool Fin, bool Unidirectional, SpdyHeaders Headers) : SpdyFrame;

public sealed record SpdySynReplyFrame(uint StreamId, bool Fin, SpdyHeaders Headers) : SpdyFrame;

public sealed record SpdyRstStreamFrame(uint StreamId, SpdyRstStatus Status) : SpdyFrame;

public sealed record SpdySettingsFrame(IReadOnlyList<SpdySetting> Settings) : SpdyFrame;

public sealed record SpdyPingFrame(uint Id) : SpdyFrame;

public sealed record SpdyGoAwayFrame(uint LastGoodStreamId, SpdyGoAwayStatus Status) : SpdyFrame;

public sealed record SpdyHeadersFrame(uint StreamId, bool Fin, SpdyHeaders Headers) : SpdyFrame;

/// <summary>Stream 0 is the connection's window (SPDY/3.1).</summary>
public sealed record SpdyWindowUpdateFrame(uint StreamId, uint Delta) : SpdyFrame;

/// <summary>A control frame of a type this version does not define: the draft says to ignore it.</summary>
public sealed record SpdyUnknownControlFrame(ushort Type) : SpdyFrame;

public sealed record SpdySetting(byte Flags, uint Id, uint Value)
{
    public const uint InitialWindowSize = 7;
}

public enum SpdyRstStatus : uint
{
    ProtocolError = 1,
    InvalidStream = 2,
    RefusedStream = 3,
    UnsupportedVersion = 4,
    Cancel = 5,
    InternalError = 6,
    FlowControlError = 7,
    StreamInUse = 8,
    StreamAlreadyClosed = 9,
    FrameTooLarge = 11,
}

public enum SpdyGoAwayStatus : uint
{
    Ok = 0,
    ProtocolError = 1,
    InternalError = 2,
}

/// <summary>Input that is not SPDY/3: the session answers with GOAWAY and ends, it never crashes the server.</summary>
public sealed class SpdyProtocolException(string message, Exception? inner = null) : Exception(message, inner);
