using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.KubeEmu.Actors.Node.Network;

namespace Akka.KubeEmu.Host.ApiServer.PortForward;

/// <summary>
/// Connects to a pod's port through the pod network of the node process that hosts it (the stand-in
/// for the CNI overlay kube-proxy also uses), as containerd dials localhost:port inside the pod's
/// network namespace: the connection comes from 127.0.0.1, and a refusal is told apart from a
/// silent server by the pod network's acknowledgement.
/// </summary>
public static class PodNetworkDialer
{
    /// <summary>The pod network asks the pod's worker; a node process that does not answer in this time counts as refusing.</summary>
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Whether the node process's pod network accepts connections at all (the kubelet is "dialable").</summary>
    public static async Task<bool> Reachable(string podNetwork, TimeProvider time, CancellationToken cancel)
    {
        if (!TryParse(podNetwork, out var endpoint)) return false;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(AnswerTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, timeout.Token);
        try
        {
            await socket.ConnectAsync(endpoint, linked.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// A connected socket to the pod's <paramref name="port"/>, or null when the connection is
    /// refused; OperationCanceledException when <paramref name="cancel"/> ended the attempt.
    /// </summary>
    public static async Task<Socket?> Connect(PortForwardTarget target, int port, TimeProvider time, CancellationToken cancel)
    {
        if (target.PodIp.Length == 0 || !TryParse(target.PodNetwork, out var endpoint)) return null;
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        using var timeout = new CancellationTokenSource(AnswerTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, timeout.Token);
        try
        {
            await socket.ConnectAsync(endpoint, linked.Token);
            var local = (IPEndPoint)socket.LocalEndPoint!;
            var preamble = PodNetwork.AcknowledgedPreamble(target.PodIp, port, $"127.0.0.1:{local.Port}");
            await socket.SendAsync(Encoding.ASCII.GetBytes(preamble), SocketFlags.None, linked.Token);
            if (await ReadLine(socket, linked.Token) == PodNetwork.Accepted) return socket;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
        }
        socket.Dispose();
        // kubectl reset the stream while the pod was being dialled: nothing was refused.
        cancel.ThrowIfCancellationRequested();
        return null;
    }

    /// <summary>One short line, a byte at a time so that nothing of the pod's own bytes is read ahead.</summary>
    private static async Task<string?> ReadLine(Socket socket, CancellationToken cancel)
    {
        var line = new StringBuilder();
        var one = new byte[1];
        while (line.Length < 16)
        {
            if (await socket.ReceiveAsync(one, SocketFlags.None, cancel) == 0) return null;
            if (one[0] == '\n') return line.ToString();
            line.Append((char)one[0]);
        }
        return null;
    }

    private static bool TryParse(string address, out IPEndPoint endpoint) => IPEndPoint.TryParse(address, out endpoint!);
}
