using System.Text;
using Akka.KubeEmu.Host.ApiServer.Spdy;
using Xunit;

namespace Akka.KubeEmu.Tests.ApiServer.Spdy;

/// <summary>The server side of a SPDY connection over a real loopback socket, driven frame by frame as spdystream drives it.</summary>
public sealed class SpdySessionSpecs
{
    /// <summary>Takes streams that have a "port" header and echoes their bytes back until the client's FIN.</summary>
    private sealed class EchoHandler : ISpdyStreamHandler
    {
        public bool Accept(SpdyStream stream) => stream.Headers.Get("port") is not null;

        public void Started(SpdyStream stream) => _ = Task.Run(async () =>
        {
            var buffer = new byte[8192];
            int n;
            while ((n = await stream.ReadAsync(buffer, CancellationToken.None)) > 0)
                await stream.WriteAsync(buffer.AsMemory(0, n), CancellationToken.None);
            await stream.CloseWrite();
        });
    }

    private static async Task<(SpdyTestClient Client, SpdySession Session, Task Run)> Start()
    {
        var client = await SpdyTestClient.Connect();
        var session = new SpdySession(client.Server, new EchoHandler());
        return (client, session, session.Run(CancellationToken.None));
    }

    [Fact]
    public async Task An_accepted_stream_is_replied_to_and_echoes_its_bytes_until_both_sides_closed_it()
    {
        var (client, session, _) = await Start();
        await using var _c = client;

        await client.Send(SpdyTestClient.Syn(1, ("port", "80")));
        Assert.Equal(new SpdySynReplyFrame(1, false, SpdyHeaders.Empty).ToString(), (await client.Next())!.ToString());
        await client.Send(new SpdyDataFrame(1, false, Encoding.ASCII.GetBytes("hello")));
        await client.Send(new SpdyDataFrame(1, true, ReadOnlyMemory<byte>.Empty));

        var frames = await client.Until(f => f.OfType<SpdyDataFrame>().Any(d => d.Fin));
        Assert.Equal("hello", string.Concat(frames.OfType<SpdyDataFrame>().Select(d => Encoding.ASCII.GetString(d.Data.Span))));
        await Eventually(() => session.OpenStreams == 0);
    }

    [Fact]
    public async Task A_stream_the_handler_refuses_and_a_stream_id_out_of_order_are_reset()
    {
        var (client, _, _) = await Start();
        await using var _c = client;

        await client.Send(SpdyTestClient.Syn(1, ("streamtype", "data")));
        Assert.Equal(new SpdyRstStreamFrame(1, SpdyRstStatus.Cancel), await client.Next());
        await client.Send(SpdyTestClient.Syn(2, ("port", "80")));
        Assert.Equal(new SpdyRstStreamFrame(2, SpdyRstStatus.ProtocolError), await client.Next());
        await client.Send(SpdyTestClient.Syn(1, ("port", "80")));
        Assert.Equal(new SpdyRstStreamFrame(1, SpdyRstStatus.ProtocolError), await client.Next());
    }

    [Fact]
    public async Task The_clients_pings_are_echoed_and_the_connection_lives_on()
    {
        var (client, _, _) = await Start();
        await using var _c = client;

        await client.Send(new SpdyPingFrame(1));
        Assert.Equal(new SpdyPingFrame(1), await client.Next());
        await client.Send(new SpdyPingFrame(3));
        Assert.Equal(new SpdyPingFrame(3), await client.Next());
    }

    [Fact]
    public async Task Garbage_ends_the_session_with_a_protocol_error_GOAWAY_instead_of_an_exception()
    {
        var (client, session, run) = await Start();
        await using var _c = client;
        await client.Send(SpdyTestClient.Syn(1, ("port", "80")));
        await client.Next();

        await client.SendRaw(Convert.FromHexString("80020001000000040000000100000000"));

        Assert.Equal(new SpdyGoAwayFrame(1, SpdyGoAwayStatus.ProtocolError), await client.Next());
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, session.OpenStreams);
    }

    [Fact]
    public async Task Consumed_bytes_are_given_back_as_window_and_a_peer_that_keeps_windows_is_held_to_them()
    {
        var (client, session, _) = await Start();
        await using var _c = client;
        await client.Send(SpdyTestClient.Syn(1, ("port", "80")));
        await client.Next();

        await client.Send(new SpdyDataFrame(1, false, new byte[40 * 1024]));
        SpdyWindowUpdateFrame? update = null;
        var echoed = 0;
        while (update is null || echoed < 40 * 1024)
        {
            switch (await client.Next())
            {
                case SpdyWindowUpdateFrame w: update = w; break;
                case SpdyDataFrame d: echoed += d.Data.Length; break;
            }
        }
        Assert.Equal(1u, update.StreamId);
        Assert.True(update.Delta >= SpdySession.DefaultWindow / 2);
        Assert.False(session.PeerDoesFlowControl);

        // Once the client shows it keeps windows (and shrinks ours to 1 KiB), no more than that comes back unacknowledged.
        await client.Send(new SpdyWindowUpdateFrame(1, 1));
        await client.Send(new SpdySettingsFrame([new SpdySetting(0, SpdySetting.InitialWindowSize, 1024)]));
        await Eventually(() => session.PeerDoesFlowControl);
        await client.Send(new SpdyDataFrame(1, false, new byte[4096]));
        var received = 0;
        using (var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
        {
            try
            {
                while (!quiet.IsCancellationRequested)
                {
                    var next = client.Next();
                    if (await Task.WhenAny(next, Task.Delay(Timeout.Infinite, quiet.Token)) != next) break;
                    if (await next is SpdyDataFrame d) received += d.Data.Length;
                }
            }
            catch (OperationCanceledException) { }
        }
        Assert.InRange(received, 1, 1024 + 1);
    }

    private static async Task Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in 10 s");
            await Task.Delay(20);
        }
    }
}
