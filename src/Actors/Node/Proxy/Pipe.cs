using System.Net.Sockets;

namespace Akka.KubeEmu.Actors.Node.Proxy;

/// <summary>Copies bytes both ways between two connected sockets until both sides are done.</summary>
public static class Pipe
{
    public static async Task Both(Socket a, Socket b)
    {
        var reset = false;
        async Task Copy(Socket from, Socket to)
        {
            var buffer = new byte[16 * 1024];
            try
            {
                while (true)
                {
                    var n = await from.ReceiveAsync(buffer, SocketFlags.None);
                    if (n == 0) break;
                    await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
                }
                to.Shutdown(SocketShutdown.Send);
            }
            catch (SocketException e)
            {
                // A reset on one side is passed on as a reset, as a NAT does.
                reset |= e.SocketErrorCode == SocketError.ConnectionReset;
                Network.PodNetwork.Reset(to);
                Network.PodNetwork.Reset(from);
            }
            catch (ObjectDisposedException) { }
        }
        await Task.WhenAll(Copy(a, b), Copy(b, a));
        if (reset) return;
        a.Dispose();
        b.Dispose();
    }
}
