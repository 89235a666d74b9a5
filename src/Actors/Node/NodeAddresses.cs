using System.Net;

namespace Akka.KubeEmu.Actors.Node;

/// <summary>
/// Where a node sits on the emulated network: InternalIP 172.18.x.y (as kind's docker network),
/// pod CIDR 10.244.&lt;index&gt;.0/24 (kind's default pod subnet, one /24 per node).
/// </summary>
public static class NodeAddresses
{
    public static string InternalIp(int index) => Add("172.18.0.2", index);

    public static string PodCidr(int index) => Add("10.244.0.0", index * 256) + "/24";

    /// <summary>The n-th pod address of the node's pod CIDR (.1 is the bridge, so pods start at .2).</summary>
    public static string PodIp(int index, int host) => Add("10.244.0.0", index * 256 + 2 + host);

    private static string Add(string baseAddress, long offset)
    {
        var bytes = IPAddress.Parse(baseAddress).GetAddressBytes();
        var value = ((uint)bytes[0] << 24 | (uint)bytes[1] << 16 | (uint)bytes[2] << 8 | bytes[3]) + (uint)offset;
        return new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]).ToString();
    }
}
