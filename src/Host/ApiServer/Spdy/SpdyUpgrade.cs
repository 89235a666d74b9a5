namespace Akka.KubeEmu.Host.ApiServer.Spdy;

/// <summary>The names of SPDY's HTTP/1.1 upgrade as apimachinery's httpstream uses them.</summary>
public static class SpdyUpgrade
{
    /// <summary>The <c>Upgrade</c> header value of the plain upgrade (kubectl's fallback, and every client before 1.30).</summary>
    public const string Protocol = "SPDY/3.1";

    /// <summary>The header naming the sub-protocols the client speaks and the one the server chose.</summary>
    public const string ProtocolVersionHeader = "X-Stream-Protocol-Version";

    /// <summary>The header listing what the server accepts when negotiation fails.</summary>
    public const string AcceptedProtocolVersionsHeader = "X-Accepted-Stream-Protocol-Versions";

    /// <summary>The WebSocket sub-protocol that tunnels SPDY inside binary messages (kube-apiserver's StreamTunnel, 1.30+).</summary>
    public static string TunnelProtocol(string streamProtocol) => $"{Protocol}+{streamProtocol}";
}
