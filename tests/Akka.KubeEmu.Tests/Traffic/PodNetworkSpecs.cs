using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using Akka.KubeEmu.Actors.Node.Network;
using Akka.KubeEmu.Actors.Node.Network.Http;
using Xunit;

namespace Akka.KubeEmu.Tests.Traffic;

/// <summary>The pod network's wire: real sockets, a stand-in pod worker answering as an HTTP server on port 80.</summary>
public sealed class PodNetworkSpecs : Akka.TestKit.Xunit2.TestKit
{
    private sealed class FakePod : ReceiveActor
    {
        public FakePod()
        {
            Receive<PodConnect>(c => Sender.Tell(new PodConnectAnswer(c.Port switch { 80 => PodListener.Http, 3306 => PodListener.Opaque, _ => PodListener.None })));
            Receive<PodHttpRequest>(r => Sender.Tell(new PodHttpAnswer(new HttpResponse(200, "OK",
                [new("Content-Length", (r.Request.Path.Length + r.RemoteAddress.Length + 1).ToString())],
                Encoding.ASCII.GetBytes(r.Request.Path + " " + r.RemoteAddress)))));
            Receive<PodMysqlQuery>(q => Sender.Tell(q.Port == 3306
                ? new PodMysqlAnswer(true, 0, $"@@server_id\n100\n", null)
                : new PodMysqlAnswer(false, 1, "", null)));
        }
    }

    private readonly PodNetwork _network = new(new TrafficSettings(RequestTimeout: TimeSpan.FromSeconds(5)));

    public PodNetworkSpecs() => _network.Register("10.244.1.7", Sys.ActorOf(Props.Create(() => new FakePod())));

    protected override void Dispose(bool disposing)
    {
        _network.Dispose();
        base.Dispose(disposing);
    }

    private async Task<Socket> Open(string podIp, int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPEndPoint.Parse(_network.Address!));
        await socket.SendAsync(Encoding.ASCII.GetBytes(PodNetwork.Preamble(podIp, port, "127.0.1.3:40000")), SocketFlags.None);
        return socket;
    }

    private static async Task<string> ReadAll(Socket socket)
    {
        var buffer = new byte[4096];
        var text = new StringBuilder();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            if (n == 0) return text.ToString();
            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }
    }

    [Fact]
    public async Task Requests_on_one_connection_are_answered_in_turn_until_the_client_asks_to_close()
    {
        using var socket = await Open("10.244.1.7", 80);
        await socket.SendAsync(Encoding.ASCII.GetBytes("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), SocketFlags.None);
        var text = await ReadAll(socket);
        Assert.Contains("HTTP/1.1 200 OK\r\nContent-Length: 18\r\nConnection: keep-alive\r\n\r\n/a 127.0.1.3:40000", text);
        Assert.EndsWith("Connection: close\r\n\r\n/b 127.0.1.3:40000", text);
    }

    [Fact]
    public async Task A_mysql_batch_from_another_node_process_comes_back_as_the_servers_answer_on_one_line()
    {
        foreach (var (port, expected) in new[] { (3306, new PodMysqlAnswer(true, 0, "@@server_id\n100\n", null)), (3307, new PodMysqlAnswer(false, 1, "", null)) })
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPEndPoint.Parse(_network.Address!));
            var query = new PodMysqlQuery(0, "SELECT @@server_id;\nSELECT 'é'", null, true);
            await socket.SendAsync(Encoding.ASCII.GetBytes(PodNetwork.MysqlPreamble("10.244.1.7", port, "10.244.2.3:40000") + MysqlWire.Encode(query) + "\n"), SocketFlags.None);
            Assert.Equal(expected, MysqlWire.DecodeAnswer((await ReadAll(socket)).TrimEnd('\n')));
        }
    }

    [Fact]
    public async Task A_port_nothing_listens_on_and_an_unknown_pod_reset_the_connection()
    {
        foreach (var (ip, port) in new[] { ("10.244.1.7", 81), ("10.244.9.9", 80) })
        {
            using var socket = await Open(ip, port);
            var error = await Assert.ThrowsAsync<SocketException>(() => ReadAll(socket));
            Assert.Equal(SocketError.ConnectionReset, error.SocketErrorCode);
        }
    }

    [Fact]
    public async Task A_server_that_is_not_HTTP_holds_the_connection_without_answering()
    {
        using var socket = await Open("10.244.1.7", 3306);
        await socket.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\n\r\n"), SocketFlags.None);
        socket.Shutdown(SocketShutdown.Send);
        Assert.Equal("", await ReadAll(socket));
    }

    [Fact]
    public async Task A_connection_handed_over_by_another_node_process_is_served_here_and_lives_on_after_the_sender_closed_its_copy()
    {
        using var proxyProcess = new PodNetwork(new TrafficSettings(RequestTimeout: TimeSpan.FromSeconds(5)));
        using var nodePort = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        nodePort.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        nodePort.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(nodePort.LocalEndPoint!);
        var accepted = await nodePort.AcceptAsync();

        Assert.True(proxyProcess.HandOff(_network.Address!, accepted, PodNetwork.Preamble("10.244.1.7", 80, "127.0.1.3:40001")));
        accepted.Dispose();

        await client.SendAsync(Encoding.ASCII.GetBytes("GET /first HTTP/1.1\r\nHost: x\r\n\r\nGET /second HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), SocketFlags.None);
        var text = await ReadAll(client);
        Assert.Contains("/first 127.0.1.3:40001", text);
        Assert.EndsWith("/second 127.0.1.3:40001", text);
    }

    [Fact]
    public async Task A_handover_to_a_pod_network_that_is_gone_is_refused_and_the_socket_stays_usable()
    {
        using var proxyProcess = new PodNetwork(new TrafficSettings(RequestTimeout: TimeSpan.FromSeconds(5)));
        using var nodePort = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        nodePort.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        nodePort.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(nodePort.LocalEndPoint!);
        using var accepted = await nodePort.AcceptAsync();

        Assert.False(proxyProcess.HandOff("127.0.0.1:1", accepted, PodNetwork.Preamble("10.244.1.7", 80, "127.0.1.3:40001")));
        await accepted.SendAsync("still here"u8.ToArray(), SocketFlags.None);
        accepted.Shutdown(SocketShutdown.Send);
        Assert.Equal("still here", await ReadAll(client));
    }
}
