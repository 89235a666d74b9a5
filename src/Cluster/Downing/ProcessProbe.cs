using System.Net.Sockets;
using Akka.Actor;

namespace Akka.KubeEmu.Cluster.Downing;

/// <summary>What a TCP connect to a member's remoting port tells about its process.</summary>
public enum ProcessProbeResult
{
    /// <summary>The port refuses connections: nothing listens there, the process is gone (kill -9, crash).</summary>
    Gone,

    /// <summary>The port accepts connections: the process is alive, only silent (frozen, starved, cut off by a partition).</summary>
    Listening,

    /// <summary>No answer in time, or any other failure: nothing is known, as for a machine that vanished.</summary>
    Unknown,
}

/// <summary>
/// Tells a dead process from a silent one. The failure detector cannot: a killed process and a
/// frozen one both stop heartbeating. But the kernel closes a killed process's listening socket at
/// once, so a connect is refused, while a frozen process's socket still completes handshakes from
/// its backlog. Only a refusal is taken as proof; a connect that is accepted is closed at once,
/// before any Akka handshake.
/// </summary>
public static class ProcessProbe
{
    public static async Task<ProcessProbeResult> Probe(Address address, TimeSpan timeout)
    {
        if (address.Host is not { } host || address.Port is not { } port) return ProcessProbeResult.Unknown;
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await socket.ConnectAsync(host, port, cts.Token);
            return ProcessProbeResult.Listening;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return ProcessProbeResult.Gone;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return ProcessProbeResult.Unknown;
        }
    }
}
