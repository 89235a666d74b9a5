namespace Akka.KubeEmu.Host.ApiServer.Spdy;

/// <summary>Reads whole frames off a byte stream (a TCP connection or a WebSocket tunnel).</summary>
public sealed class SpdyFrameReader(Stream input, SpdyHeaderCompression compression, int maxPayload = SpdyFrameReader.DefaultMaxPayload)
{
    /// <summary>Data frames kubectl sends are at most 32 KiB; control frames far less. Anything bigger is refused.</summary>
    public const int DefaultMaxPayload = 1 << 20;

    private readonly byte[] _head = new byte[SpdyFrameCodec.HeadLength];

    /// <summary>The next frame, or null when the peer closed the connection between frames.</summary>
    /// <exception cref="SpdyProtocolException">Malformed frames, or a connection cut inside one.</exception>
    public async Task<SpdyFrame?> Next(CancellationToken cancel)
    {
        if (!await Fill(_head, cancel, atStart: true)) return null;
        var length = SpdyFrameCodec.PayloadLength(_head);
        if (length > maxPayload) throw new SpdyProtocolException($"frame of {length} bytes exceeds {maxPayload}");
        var payload = new byte[length];
        await Fill(payload, cancel, atStart: false);
        return SpdyFrameCodec.Decode(_head, payload, compression);
    }

    private async Task<bool> Fill(byte[] buffer, CancellationToken cancel, bool atStart)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await input.ReadAsync(buffer.AsMemory(read), cancel);
            if (n == 0)
            {
                if (atStart && read == 0) return false;
                throw new SpdyProtocolException("connection closed inside a frame");
            }
            read += n;
        }
        return true;
    }
}
