using System.Net;
using System.Net.Sockets;

namespace Akka.KubeEmu.Actors.Node.Proxy;

/// <summary>
/// One real listening socket for one <see cref="Frontend"/> (a NodePort on one node's address, or a
/// LoadBalancer address): every accepted connection is handed to the connector on its own task.
/// </summary>
public sealed class NodePortListener : IFrontendListener
{
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();

    private NodePortListener(Socket socket, Frontend frontend)
    {
        _socket = socket;
        Frontend = frontend;
    }

    public Frontend Frontend { get; }

    /// <summary>Binds and starts accepting; null (with the reason) when the address cannot be bound.</summary>
    public static NodePortListener? Start(Frontend frontend, Func<Frontend, Socket, Task> onConnection, out string? error)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(IPAddress.Parse(frontend.Ip), frontend.Port));
            socket.Listen(512);
        }
        catch (SocketException e)
        {
            socket.Dispose();
            error = e.Message;
            return null;
        }
        error = null;
        var listener = new NodePortListener(socket, frontend);
        _ = listener.AcceptLoop(onConnection);
        return listener;
    }

    private async Task AcceptLoop(Func<Frontend, Socket, Task> onConnection)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await _socket.AcceptAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) { continue; }
            _ = onConnection(Frontend, client);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
    }
}
