using Akka.Configuration;

namespace Akka.KubeEmu.Actors.Node.Network;

/// <summary>
/// Real sockets of a node process (HOCON <c>kubeemu.traffic</c>): the pod network every pod of the
/// process is reached through, and kube-proxy's NodePort/LoadBalancer listeners.
/// </summary>
/// <param name="PodNetworkAddress">Where the process's pod network listens (one socket per process, port 0: any).</param>
/// <param name="MaxListeningNodes">How many of the process's nodes open NodePort listeners: hollow-node processes
/// with thousands of nodes listen on the first ones only (every listener is a socket).</param>
/// <param name="RequestTimeout">How long a pod may take to answer one HTTP request before the connection is reset.</param>
/// <param name="DnsUdpPort">The UDP port of <see cref="PodNetworkAddress"/> the cluster DNS answers on (dig); 0: none.</param>
/// <param name="UdpFlowTimeout">How long a UDP flow through a NodePort keeps its endpoint without a datagram
/// (kube-proxy's conntrack UDP timeout, 30 s).</param>
public sealed record TrafficSettings(string PodNetworkAddress = "127.0.0.1", int MaxListeningNodes = 64, TimeSpan RequestTimeout = default, int DnsUdpPort = 0,
    TimeSpan UdpFlowTimeout = default)
{
    public TimeSpan EffectiveRequestTimeout => RequestTimeout > TimeSpan.Zero ? RequestTimeout : TimeSpan.FromSeconds(10);

    public TimeSpan EffectiveUdpFlowTimeout => UdpFlowTimeout > TimeSpan.Zero ? UdpFlowTimeout : TimeSpan.FromSeconds(30);

    /// <summary>Null when <c>kubeemu.traffic.enabled = off</c>.</summary>
    public static TrafficSettings? From(Config config)
    {
        var c = config.GetConfig("kubeemu.traffic");
        if (c is null || c.IsEmpty) return new TrafficSettings();
        if (!c.GetBoolean("enabled", true)) return null;
        return new TrafficSettings(
            c.GetString("pod-network-address", "127.0.0.1"),
            c.GetInt("max-listening-nodes-per-process", 64),
            c.GetTimeSpan("request-timeout", TimeSpan.FromSeconds(10)),
            c.GetInt("dns-udp-port", 0),
            c.GetTimeSpan("udp-flow-timeout", TimeSpan.FromSeconds(30)));
    }
}
