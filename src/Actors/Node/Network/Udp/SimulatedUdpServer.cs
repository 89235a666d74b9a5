using System.Text;

namespace Akka.KubeEmu.Actors.Node.Network.Udp;

/// <summary>The UDP servers a simulated container can run.</summary>
public enum UdpServer
{
    /// <summary>agnhost netexec: `hostname`, `echo TEXT` and `clientip` commands.</summary>
    Netexec,

    /// <summary>agnhost serve-hostname --udp: every datagram is answered with the hostname.</summary>
    ServeHostname,
}

/// <summary>
/// What a pod's UDP server sends back for one datagram, as agnhost does (test/images/agnhost):
/// netexec reads the datagram trimmed and lower-cased, so `echo Hello` answers `hello`; an unknown
/// command or an empty datagram gets no answer at all.
/// </summary>
public static class SimulatedUdpServer
{
    public static byte[]? Respond(UdpServer server, string hostname, ReadOnlySpan<byte> datagram, string remoteAddress)
    {
        if (server == UdpServer.ServeHostname) return Encoding.UTF8.GetBytes(hostname);
        var text = Encoding.UTF8.GetString(datagram).Trim().ToLowerInvariant();
        if (text == "hostname") return Encoding.UTF8.GetBytes(hostname);
        if (text.StartsWith("echo ", StringComparison.Ordinal)) return Encoding.UTF8.GetBytes(text[5..]);
        if (text == "clientip") return Encoding.UTF8.GetBytes(remoteAddress);
        return null;
    }
}
