using System.Text;
using Akka.KubeEmu.Host.ApiServer.Spdy;
using Xunit;

namespace Akka.KubeEmu.Tests.ApiServer.Spdy;

/// <summary>SPDY/3 frames and header blocks: both ends of one connection, what kubectl 1.32 really sends, and input that is not SPDY.</summary>
public sealed class SpdyFrameCodecSpecs
{
    // The first two SYN_STREAM frames of a `kubectl port-forward pod/web 18087:80` (v1.32.4) session, as
    // its -v=8 log printed the bytes written into the WebSocket tunnel: the error stream, then the data stream
    // whose header block continues the same zlib stream.
    private static readonly byte[] KubectlErrorStream = Convert.FromHexString(
        "80030001" + "0000003D" + "00000001" + "00000000" + "0000" +
        "78F9E3C6A7C202253A703A2B294A4DCC851625ACA9A08086" + "14CB45A024CC6461C0C0C0C0590489C44C50E2663400000000FFFF");
    private static readonly byte[] KubectlDataStream = Convert.FromHexString(
        "80030001" + "0000001C" + "00000003" + "00000000" + "0000" + "826AC51445350C542E25A29A05000000FFFF");

    private static SpdyFrame Decode(byte[] bytes, SpdyHeaderCompression compression) =>
        SpdyFrameCodec.Decode(bytes.AsSpan(0, SpdyFrameCodec.HeadLength), bytes.AsSpan(SpdyFrameCodec.HeadLength), compression);

    [Fact]
    public void The_header_blocks_kubectl_sends_inflate_with_the_SPDY_dictionary_into_its_port_forward_headers()
    {
        var compression = new SpdyHeaderCompression();

        var error = Assert.IsType<SpdySynStreamFrame>(Decode(KubectlErrorStream, compression));
        var data = Assert.IsType<SpdySynStreamFrame>(Decode(KubectlDataStream, compression));

        Assert.Equal((1u, false), (error.StreamId, error.Fin));
        Assert.Equal(("error", "80", "0"), (error.Headers.Get("streamType"), error.Headers.Get("port"), error.Headers.Get("requestID")));
        Assert.Equal(3u, data.StreamId);
        Assert.Equal(("data", "80", "0"), (data.Headers.Get("streamType"), data.Headers.Get("port"), data.Headers.Get("requestID")));
    }

    [Fact]
    public void Every_frame_type_survives_the_trip_between_two_ends_of_one_connection_in_order()
    {
        var sender = new SpdyHeaderCompression();
        var receiver = new SpdyHeaderCompression();
        SpdyFrame[] frames =
        [
            new SpdySynStreamFrame(1, 0, 3, false, true, SpdyHeaders.Of(("streamtype", "error"), ("port", "80"), ("requestid", "0"))),
            new SpdySynReplyFrame(1, false, SpdyHeaders.Empty),
            new SpdySynStreamFrame(3, 1, 0, true, false, SpdyHeaders.Of(("multi", "a\0b"))),
            new SpdyHeadersFrame(3, true, SpdyHeaders.Of(("x", "y"))),
            new SpdyRstStreamFrame(5, SpdyRstStatus.Cancel),
            new SpdySettingsFrame([new SpdySetting(0, SpdySetting.InitialWindowSize, 1 << 20), new SpdySetting(1, 4, 100)]),
            new SpdyPingFrame(7),
            new SpdyGoAwayFrame(3, SpdyGoAwayStatus.Ok),
            new SpdyWindowUpdateFrame(1, 32768),
        ];

        foreach (var frame in frames)
        {
            var decoded = Decode(SpdyFrameCodec.Encode(frame, sender), receiver);
            Assert.Equal(Describe(frame), Describe(decoded));
        }
        var payload = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n\r\n");
        var dataFrame = Assert.IsType<SpdyDataFrame>(Decode(SpdyFrameCodec.Encode(new SpdyDataFrame(3, true, payload), sender), receiver));
        Assert.Equal((3u, true, "GET / HTTP/1.1\r\n\r\n"), (dataFrame.StreamId, dataFrame.Fin, Encoding.ASCII.GetString(dataFrame.Data.Span)));
        Assert.Equal("a", Decode(SpdyFrameCodec.Encode(frames[2], new SpdyHeaderCompression()), new SpdyHeaderCompression()) is SpdySynStreamFrame s ? s.Headers.Get("multi") : null);
    }

    [Fact]
    public void A_frame_of_another_version_a_short_payload_or_a_block_that_is_not_zlib_is_a_protocol_error()
    {
        var compression = new SpdyHeaderCompression();
        var version2 = (byte[])KubectlErrorStream.Clone();
        version2[1] = 2;
        Assert.Throws<SpdyProtocolException>(() => Decode(version2, compression));

        Assert.Throws<SpdyProtocolException>(() => Decode(Convert.FromHexString("8003000100000004" + "00000001"), new SpdyHeaderCompression()));
        Assert.Throws<SpdyProtocolException>(() => Decode(Convert.FromHexString("8003000300000004" + "00000001"), new SpdyHeaderCompression()));
        Assert.Throws<SpdyProtocolException>(() => Decode(Convert.FromHexString("800300040000000C" + "00000100" + "0000000700010000"), new SpdyHeaderCompression()));
        Assert.Throws<SpdyProtocolException>(() => Decode(Convert.FromHexString("800300010000000E" + "00000001000000000000" + "DEADBEEF"), new SpdyHeaderCompression()));

        // A block that inflates but whose lengths run past its end.
        Assert.Throws<SpdyProtocolException>(() => SpdyHeaderCompression.Parse(Convert.FromHexString("00000001" + "000000FF" + "6869")));
        Assert.Throws<SpdyProtocolException>(() => SpdyHeaderCompression.Parse(Convert.FromHexString("7FFFFFFF")));
    }

    [Fact]
    public void Unknown_control_frames_are_passed_over_as_the_draft_says()
    {
        var frame = Decode(Convert.FromHexString("8003000A00000004" + "00000000"), new SpdyHeaderCompression());
        Assert.Equal(10, Assert.IsType<SpdyUnknownControlFrame>(frame).Type);
    }

    [Fact]
    public void Random_bytes_never_fail_in_any_other_way_than_a_protocol_error()
    {
        var random = new Random(42);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[SpdyFrameCodec.HeadLength + random.Next(0, 64)];
            random.NextBytes(bytes);
            if (i % 2 == 0) { bytes[0] = 0x80; bytes[1] = 0x03; bytes[2] = 0; bytes[3] = (byte)random.Next(1, 10); }
            try { Decode(bytes, new SpdyHeaderCompression()); }
            catch (SpdyProtocolException) { }
        }
    }

    [Fact]
    public async Task The_reader_ends_quietly_between_frames_and_refuses_a_cut_or_oversized_frame()
    {
        var compression = new SpdyHeaderCompression();
        Assert.Null(await new SpdyFrameReader(new MemoryStream([]), compression).Next(CancellationToken.None));
        var ping = SpdyFrameCodec.Encode(new SpdyPingFrame(1), compression);
        Assert.IsType<SpdyPingFrame>(await new SpdyFrameReader(new MemoryStream(ping), compression).Next(CancellationToken.None));
        await Assert.ThrowsAsync<SpdyProtocolException>(() => new SpdyFrameReader(new MemoryStream(ping[..10]), compression).Next(CancellationToken.None));
        var huge = Convert.FromHexString("00000001" + "00FFFFFF");
        await Assert.ThrowsAsync<SpdyProtocolException>(() => new SpdyFrameReader(new MemoryStream(huge), compression).Next(CancellationToken.None));
    }

    private static string Describe(SpdyFrame frame) => frame switch
    {
        SpdySynStreamFrame s => $"SYN_STREAM {s.StreamId} {s.AssociatedStreamId} {s.Priority} {s.Fin} {s.Unidirectional} {s.Headers}",
        SpdySynReplyFrame r => $"SYN_REPLY {r.StreamId} {r.Fin} {r.Headers}",
        SpdyHeadersFrame h => $"HEADERS {h.StreamId} {h.Fin} {h.Headers}",
        SpdySettingsFrame s => $"SETTINGS {string.Join(",", s.Settings)}",
        _ => frame.ToString(),
    };
}
