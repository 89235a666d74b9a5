using System.Buffers.Binary;
using System.Net.Sockets;

namespace Akka.KubeEmu.Actors.Node.Network.Udp;

/// <summary>
/// UDP datagrams carried over one pod-network TCP connection (one flow, from one client address and
/// port to one pod port): each datagram prefixed by its length, two bytes big-endian, so datagram
/// boundaries survive the byte stream in both directions.
/// </summary>
public static class DatagramFrames
{
    /// <summary>The largest UDP payload over IPv4.</summary>
    public const int MaxDatagram = 65507;

    public static byte[] Encode(ReadOnlySpan<byte> datagram)
    {
        var frame = new byte[datagram.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)datagram.Length);
        datagram.CopyTo(frame.AsSpan(2));
        return frame;
    }

    public static Task Send(Socket socket, ReadOnlySpan<byte> datagram) =>
        socket.SendAsync(Encode(datagram), SocketFlags.None);

    /// <summary>The next datagram; null when the connection ends (or ends mid-frame).</summary>
    public static async Task<byte[]?> Read(ConnectionReader reader, CancellationToken ct)
    {
        var header = await reader.Read(2, ct);
        if (header.Length < 2) return null;
        var length = BinaryPrimitives.ReadUInt16BigEndian(header);
        var payload = await reader.Read(length, ct);
        return payload.Length == length ? payload : null;
    }
}
