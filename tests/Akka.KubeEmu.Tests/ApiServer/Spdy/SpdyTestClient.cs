using System.Net;
using System.Net.Sockets;
using Akka.KubeEmu.Host.ApiServer.Spdy;

namespace Akka.KubeEmu.Tests.ApiServer.Spdy;

/// <summary>The client end of a SPDY connection as kubectl drives it: frames written and read with its own header compression.</summary>
public sealed class SpdyTestClient : IAsyncDisposable
{
    private readonly SpdyHeaderCompression _out = new();
    private readonly SpdyFrameReader _reader;
    private readonly TcpListener _listener;

    private SpdyTestClient(TcpListener listener, NetworkStream client, NetworkStream server)
    {
        _listener = listener;
        Client = client;
        Server = server;
        _reader = new SpdyFrameReader(client, new SpdyHeaderCompression());
    }

    public NetworkStream Client { get; }
    public NetworkStream Server { get; }

    /// <summary>A loopback TCP connection: the server side for the session under test, the client side for the spec.</summary>
    public static async Task<SpdyTestClient> Connect()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        var accept = listener.AcceptTcpClientAsync();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await accept;
        return new SpdyTestClient(listener, client.GetStream(), server.GetStream());
    }

    public async Task Send(SpdyFrame frame) => await Client.WriteAsync(SpdyFrameCodec.Encode(frame, _out));

    public async Task SendRaw(byte[] bytes) => await Client.WriteAsync(bytes);

    /// <summary>The next frame from the server within 10 s (null: it closed the connection).</summary>
    public async Task<SpdyFrame?> Next()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _reader.Next(timeout.Token);
    }

    /// <summary>Frames until <paramref name="done"/> holds for the frames read so far.</summary>
    public async Task<List<SpdyFrame>> Until(Func<List<SpdyFrame>, bool> done)
    {
        var frames = new List<SpdyFrame>();
        while (!done(frames))
        {
            var frame = await Next() ?? throw new IOException($"connection closed after {frames.Count} frames");
            if (frame is SpdyWindowUpdateFrame) continue;
            frames.Add(frame);
        }
        return frames;
    }

    public static SpdySynStreamFrame Syn(uint id, params (string, string)[] headers) => new(id, 0, 0, false, false, SpdyHeaders.Of(headers));

    public ValueTask DisposeAsync()
    {
        Client.Dispose();
        Server.Dispose();
        _listener.Stop();
        return ValueTask.CompletedTask;
    }
}
