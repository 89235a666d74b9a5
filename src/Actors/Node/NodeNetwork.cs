namespace Akka.KubeEmu.Actors.Node;

/// <summary>
/// Addresses of an emulated node, laid out like a kind cluster: the node's InternalIP is
/// &lt;base&gt; + index + 2 (base 127.0.1.0 by default, so node-1 is 127.0.1.3: Linux routes all of
/// 127.0.0.0/8 to the loopback interface, so every node has an address of its own on which its
/// NodePorts really answer; a kind-like 172.18.0.0 base can be configured instead), its pods in
/// 10.244.&lt;index&gt;.0/24. Indexes past 255 continue in the following /24 blocks (10.245.0.0/24,
/// ...), so 5,000 hollow nodes still get distinct ranges.
/// </summary>
public sealed class NodeNetwork
{
    /// <summary>Beyond this the /24 blocks would leave 10.0.0.0/8.</summary>
    public const int MaxIndex = 60000;

    private readonly uint _podBase;

    /// <summary>HOCON kubeemu.node.internal-ip-base.</summary>
    public const string DefaultInternalIpBase = "127.0.1.0";

    public NodeNetwork(int index, string internalIpBase = DefaultInternalIpBase)
    {
        if (index is < 0 or >= MaxIndex) throw new ArgumentOutOfRangeException(nameof(index));
        _podBase = Ip(10, 244, 0, 0) + (uint)index * 256;
        InternalIp = Format(Parse(internalIpBase) + (uint)index + 2);
        PodCidr = Format(_podBase) + "/24";
    }

    public string InternalIp { get; }

    public string PodCidr { get; }

    /// <summary>Pod addresses are .2 to .254 of the node's /24 (.1 is the bridge, as with kindnet).</summary>
    public const int FirstPodHost = 2;

    public const int LastPodHost = 254;

    public string PodIp(int host) => Format(_podBase + (uint)host);

    /// <summary>The host part of <paramref name="ip"/> when it lies in this node's pod range.</summary>
    public int? PodHost(string? ip)
    {
        if (ip is null || !System.Net.IPAddress.TryParse(ip, out var addr)) return null;
        var b = addr.GetAddressBytes();
        if (b.Length != 4) return null;
        var value = Ip(b[0], b[1], b[2], b[3]);
        if (value - _podBase is var host and >= FirstPodHost and <= LastPodHost) return (int)host;
        return null;
    }

    private static uint Parse(string ip)
    {
        var b = System.Net.IPAddress.Parse(ip).GetAddressBytes();
        if (b.Length != 4) throw new ArgumentException($"not an IPv4 address: {ip}", nameof(ip));
        return Ip(b[0], b[1], b[2], b[3]);
    }

    private static uint Ip(uint a, uint b, uint c, uint d) => (a << 24) | (b << 16) | (c << 8) | d;

    private static string Format(uint ip) => $"{ip >> 24}.{(ip >> 16) & 255}.{(ip >> 8) & 255}.{ip & 255}";
}
