using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using Tmds.Linux;

namespace Akka.KubeEmu.Actors.Node.Network;

/// <summary>
/// Hands an accepted TCP connection over to the node process hosting its pod, as a file descriptor
/// passed over a Unix socket (SCM_RIGHTS), so that the pod's process serves the client's own socket:
/// kube-proxy's DNAT costs nothing per request afterwards, as in the kernel, instead of a byte pipe
/// through a second loopback connection (two extra hops per request, across processes). Linux only;
/// elsewhere, or when the peer cannot be reached, the caller falls back to the pipe.
/// </summary>
/// <remarks>
/// Each pod network listens on an abstract Unix socket named after its TCP address (unique on the
/// machine while that port is bound; nothing to clean up on disk). One SOCK_SEQPACKET message carries
/// the pod network's preamble line and one descriptor. .NET has no API for ancillary data, hence
/// sendmsg/recvmsg through Tmds.LibC.
/// </remarks>
public sealed class SocketHandoff : IDisposable
{
    private const int MaxPreamble = 512;
    private static readonly int ControlSize = LibC.CMSG_SPACE(sizeof(int));

    private readonly ConcurrentDictionary<string, Socket> _peers = new(StringComparer.Ordinal);
    private readonly Socket? _listener;
    private readonly List<Socket> _channels = [];
    private readonly Action<Socket, string> _onSocket;
    private volatile bool _stopped;

    /// <param name="address">The TCP address of this process's pod network (ip:port).</param>
    /// <param name="onSocket">A connection handed over, with its preamble line (without "\n").</param>
    public SocketHandoff(string address, Action<Socket, string> onSocket)
    {
        _onSocket = onSocket;
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            var listener = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(NameOf(address)));
            listener.Listen(64);
            _listener = listener;
        }
        catch (SocketException)
        {
            return;
        }
        _ = AcceptLoop();
    }

    /// <summary>Whether this process can receive connections (the listener is bound).</summary>
    public bool Listening => _listener is not null;

    /// <summary>The abstract socket name of the pod network at <paramref name="address"/>.</summary>
    public static string NameOf(string address) => "\0kubeemu-pod-network-" + address;

    /// <summary>
    /// Passes <paramref name="client"/> to the pod network at <paramref name="address"/>; on success the
    /// socket is closed here (the connection lives on in the other process). False: nothing was sent.
    /// </summary>
    public bool TrySend(string address, Socket client, string preamble)
    {
        if (!OperatingSystem.IsLinux() || _stopped) return false;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (Peer(address) is not { } peer) return false;
            int error;
            lock (peer) error = Send(peer, client, preamble);
            if (error == 0)
            {
                // Closing our descriptor does not end the connection: the other process holds it now (.NET
                // closes without shutdown() when no operation is pending, and none was started on it).
                client.Dispose();
                return true;
            }
            if (error == LibC.EAGAIN) return false;
            // The peer went away (a restarted process binds the name again): reconnect once.
            if (_peers.TryRemove(new KeyValuePair<string, Socket>(address, peer))) peer.Dispose();
        }
        return false;
    }

    private Socket? Peer(string address)
    {
        if (_peers.TryGetValue(address, out var peer)) return peer;
        var socket = new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(NameOf(address)));
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
        if (_peers.TryAdd(address, socket)) return socket;
        socket.Dispose();
        return _peers.GetValueOrDefault(address);
    }

    private static unsafe int Send(Socket peer, Socket client, string preamble)
    {
        var data = Encoding.ASCII.GetBytes(preamble);
        var control = stackalloc byte[ControlSize];
        new Span<byte>(control, ControlSize).Clear();
        fixed (byte* bytes = data)
        {
            var iov = new iovec { iov_base = bytes, iov_len = data.Length };
            var message = new msghdr { msg_iov = &iov, msg_iovlen = 1, msg_control = control, msg_controllen = ControlSize };
            var header = LibC.CMSG_FIRSTHDR(&message);
            header->cmsg_level = LibC.SOL_SOCKET;
            header->cmsg_type = LibC.SCM_RIGHTS;
            // One descriptor: the unaligned length (an aligned one would announce a second descriptor).
            header->cmsg_len = LibC.CMSG_ALIGN(sizeof(cmsghdr)) + sizeof(int);
            *(int*)LibC.CMSG_DATA(header) = (int)client.SafeHandle.DangerousGetHandle();
            var sent = LibC.sendmsg((int)peer.SafeHandle.DangerousGetHandle(), &message, LibC.MSG_DONTWAIT | LibC.MSG_NOSIGNAL);
            return sent < 0 ? LibC.errno : 0;
        }
    }

    private async Task AcceptLoop()
    {
        while (!_stopped)
        {
            Socket channel;
            try { channel = await _listener!.AcceptAsync(); }
            catch (Exception e) when (e is SocketException or ObjectDisposedException) { return; }
            lock (_channels) _channels.Add(channel);
            // recvmsg blocks on a thread of its own, one per peer process (idle between connections):
            // the descriptor must be in blocking mode, whatever .NET made of it.
            var fd = (int)channel.SafeHandle.DangerousGetHandle();
            LibC.fcntl(fd, LibC.F_SETFL, LibC.fcntl(fd, LibC.F_GETFL, 0) & ~LibC.O_NONBLOCK);
            new Thread(() => ReceiveLoop(channel)) { IsBackground = true, Name = "pod-network-handoff" }.Start();
        }
    }

    private unsafe void ReceiveLoop(Socket channel)
    {
        var data = new byte[MaxPreamble];
        var control = stackalloc byte[ControlSize];
        var fd = (int)channel.SafeHandle.DangerousGetHandle();
        while (!_stopped)
        {
            new Span<byte>(control, ControlSize).Clear();
            long received;
            msghdr message;
            fixed (byte* bytes = data)
            {
                var iov = new iovec { iov_base = bytes, iov_len = data.Length };
                message = new msghdr { msg_iov = &iov, msg_iovlen = 1, msg_control = control, msg_controllen = ControlSize };
                received = LibC.recvmsg(fd, &message, LibC.MSG_CMSG_CLOEXEC);
            }
            if (received < 0 && LibC.errno == LibC.EINTR) continue;
            var header = received < 0 ? null : LibC.CMSG_FIRSTHDR(&message);
            var passed = header is not null && header->cmsg_level == LibC.SOL_SOCKET && header->cmsg_type == LibC.SCM_RIGHTS ? *(int*)LibC.CMSG_DATA(header) : -1;
            if (passed < 0)
            {
                if (received <= 0) break; // the peer process is gone
                continue;
            }
            Socket socket;
            try { socket = new Socket(new SafeSocketHandle(passed, ownsHandle: true)); }
            catch (SocketException)
            {
                // Not a socket we can use (the client left in between): nothing to serve.
                LibC.close(passed);
                continue;
            }
            _onSocket(socket, Encoding.ASCII.GetString(data, 0, (int)received).TrimEnd('\n'));
        }
        lock (_channels) _channels.Remove(channel);
        channel.Dispose();
    }

    public void Dispose()
    {
        _stopped = true;
        _listener?.Dispose();
        foreach (var peer in _peers.Values) peer.Dispose();
        lock (_channels)
            foreach (var channel in _channels)
            {
                // Wakes the thread blocked in recvmsg.
                try { channel.Shutdown(SocketShutdown.Both); } catch (SocketException) { }
                channel.Dispose();
            }
    }
}
