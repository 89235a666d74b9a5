using System.Text;
using Akka.Actor;
using Akka.KubeEmu.Actors.Node.Network;
using Akka.KubeEmu.Actors.Node.Network.Http;
using Akka.KubeEmu.Host.ApiServer.PortForward;
using Akka.KubeEmu.Host.ApiServer.Spdy;
using Akka.KubeEmu.Tests.ApiServer.Spdy;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Akka.KubeEmu.Tests.ApiServer.PortForward;

/// <summary>
/// What the kubelet's port-forward handler does with kubectl's stream pairs, against a real pod network
/// (sockets) whose pod answers HTTP on 80, holds 3306 silently and listens on nothing else.
/// </summary>
public sealed class PortForwardStreamsSpecs : Akka.TestKit.Xunit2.TestKit
{
    private sealed class FakePod : ReceiveActor
    {
        public FakePod()
        {
            Receive<PodConnect>(c => Sender.Tell(new PodConnectAnswer(c.Port switch { 80 => PodListener.Http, 3306 => PodListener.Opaque, _ => PodListener.None })));
            Receive<PodHttpRequest>(r => Sender.Tell(new PodHttpAnswer(new HttpResponse(200, "OK",
                [new("Content-Length", (r.Request.Path.Length + 1 + r.RemoteAddress.Split(':')[0].Length).ToString())],
                Encoding.ASCII.GetBytes(r.Request.Path + " " + r.RemoteAddress.Split(':')[0])))));
        }
    }

    private readonly PodNetwork _network = new(new TrafficSettings(RequestTimeout: TimeSpan.FromSeconds(5)));
    private readonly FakeTimeProvider _time = new();
    private readonly PortForwardTarget _target;

    public PortForwardStreamsSpecs()
    {
        _network.Register("10.244.1.7", Sys.ActorOf(Props.Create(() => new FakePod())));
        _target = new PortForwardTarget("default", "web", "5642fd73-ea5e-4ff2-acdc-3c123951dada", "10.244.1.7", _network.Address!);
    }

    protected override void Dispose(bool disposing)
    {
        _network.Dispose();
        base.Dispose(disposing);
    }

    private async Task<SpdyTestClient> Start()
    {
        var client = await SpdyTestClient.Connect();
        var session = new SpdySession(client.Server, new PortForwardStreams(_target, _time, CancellationToken.None));
        _ = session.Run(CancellationToken.None);
        return client;
    }

    /// <summary>kubectl's pair: the error stream (which it half-closes at once), then the data stream.</summary>
    private static async Task OpenPair(SpdyTestClient client, uint errorId, int port, string requestId)
    {
        await client.Send(SpdyTestClient.Syn(errorId, ("streamtype", "error"), ("port", port.ToString()), ("requestid", requestId)));
        await client.Send(new SpdyDataFrame(errorId, true, ReadOnlyMemory<byte>.Empty));
        await client.Send(SpdyTestClient.Syn(errorId + 2, ("streamtype", "data"), ("port", port.ToString()), ("requestid", requestId)));
    }

    private static string Text(IEnumerable<SpdyFrame> frames, uint stream) =>
        string.Concat(frames.OfType<SpdyDataFrame>().Where(d => d.StreamId == stream).Select(d => Encoding.UTF8.GetString(d.Data.Span)));

    private static bool Finished(List<SpdyFrame> frames, uint stream) => frames.OfType<SpdyDataFrame>().Any(d => d.StreamId == stream && d.Fin);

    [Fact]
    public async Task A_request_on_the_data_stream_is_answered_by_the_pods_server_from_localhost_and_both_streams_end_cleanly()
    {
        await using var client = await Start();
        await OpenPair(client, 1, 80, "0");
        await client.Send(new SpdyDataFrame(3, true, Encoding.ASCII.GetBytes("GET /index.html HTTP/1.1\r\nHost: localhost\r\n\r\n")));

        var frames = await client.Until(f => Finished(f, 1) && Finished(f, 3));

        Assert.Equal(2, frames.OfType<SpdySynReplyFrame>().Count());
        Assert.EndsWith("\r\n\r\n/index.html 127.0.0.1", Text(frames, 3));
        Assert.StartsWith("HTTP/1.1 200 OK", Text(frames, 3));
        Assert.Equal("", Text(frames, 1));
    }

    [Fact]
    public async Task A_port_nothing_listens_on_gets_the_kubelets_error_on_the_error_stream()
    {
        await using var client = await Start();
        await OpenPair(client, 1, 81, "0");

        var frames = await client.Until(f => Finished(f, 1) && Finished(f, 3));

        Assert.Equal(_target.Refused(81), Text(frames, 1));
        Assert.Matches("^error forwarding port 81 to pod [0-9a-f]{64}, uid : failed to execute portforward in network namespace \"/var/run/netns/cni-[0-9a-f-]{36}\": " +
            "failed to connect to localhost:81 inside namespace \"[0-9a-f]{64}\", IPv4: dial tcp4 127.0.0.1:81: connect: connection refused IPv6 dial tcp6 \\[::1\\]:81: connect: connection refused $",
            Text(frames, 1));
        Assert.Equal("", Text(frames, 3));
    }

    [Fact]
    public async Task Several_connections_share_the_session_each_pair_found_by_its_request_id()
    {
        await using var client = await Start();
        await OpenPair(client, 1, 81, "0");
        await OpenPair(client, 5, 80, "1");
        await client.Send(new SpdyDataFrame(7, true, Encoding.ASCII.GetBytes("GET /second HTTP/1.1\r\nHost: x\r\n\r\n")));

        var frames = await client.Until(f => Finished(f, 1) && Finished(f, 3) && Finished(f, 5) && Finished(f, 7));

        Assert.StartsWith("error forwarding port 81", Text(frames, 1));
        Assert.EndsWith("/second 127.0.0.1", Text(frames, 7));
        Assert.Equal("", Text(frames, 5));
    }

    [Fact]
    public async Task A_silent_server_keeps_the_stream_open_until_kubectl_resets_it()
    {
        await using var client = await Start();
        await OpenPair(client, 1, 3306, "0");
        await client.Until(f => f.OfType<SpdySynReplyFrame>().Count() == 2);

        await client.Send(new SpdyRstStreamFrame(3, SpdyRstStatus.Cancel));

        var frames = await client.Until(f => Finished(f, 1));
        Assert.Equal("", Text(frames, 1));
    }

    [Fact]
    public async Task Streams_without_a_valid_port_or_type_are_refused_and_a_lone_stream_times_out_with_the_kubelets_message()
    {
        await using var client = await Start();
        await client.Send(SpdyTestClient.Syn(1, ("streamtype", "data")));
        Assert.Equal(new SpdyRstStreamFrame(1, SpdyRstStatus.Cancel), await client.Next());
        await client.Send(SpdyTestClient.Syn(3, ("streamtype", "data"), ("port", "0")));
        Assert.Equal(new SpdyRstStreamFrame(3, SpdyRstStatus.Cancel), await client.Next());
        await client.Send(SpdyTestClient.Syn(5, ("streamtype", "stdin"), ("port", "80")));
        Assert.Equal(new SpdyRstStreamFrame(5, SpdyRstStatus.Cancel), await client.Next());

        await client.Send(SpdyTestClient.Syn(7, ("streamtype", "error"), ("port", "80"), ("requestid", "9")));
        await client.Until(f => f.OfType<SpdySynReplyFrame>().Any());
        // The pair's timer starts just after the reply went out: move time on until it has fired.
        var read = client.Until(f => Text(f, 7).Length > 0);
        while (!read.IsCompleted)
        {
            _time.Advance(PortForwardStreams.StreamCreationTimeout + TimeSpan.FromSeconds(1));
            await Task.WhenAny(read, Task.Delay(50));
        }

        var frames = await read;
        Assert.Equal("(conn=spdy, request=9) timed out waiting for streams", Text(frames, 7));
    }
}
