using System.Net;
using System.Net.Sockets;

namespace Akka.KubeEmu.Actors.Store.Allocation;

/// <summary>
/// An IPv4 service range (--service-cluster-ip-range): its network and broadcast addresses are never
/// handed out, so item 0 is the first host address (10.96.0.1 for 10.96.0.0/12).
/// </summary>
public sealed class ServiceCidr
{
    private readonly uint _network;

    private ServiceCidr(uint network, int prefix, string text)
    {
        _network = network;
        Prefix = prefix;
        Text = text;
        var addresses = 1L << (32 - prefix);
        // A /31 or /32 has no network and broadcast address to skip.
        Size = (int)Math.Min(int.MaxValue, addresses > 2 ? addresses - 2 : addresses);
        First = addresses > 2 ? 1u : 0u;
    }

    public int Prefix { get; }

    /// <summary>The range as configured, e.g. "10.96.0.0/12".</summary>
    public string Text { get; }

    /// <summary>How many addresses may be allocated.</summary>
    public int Size { get; }

    private uint First { get; }

    /// <summary>calculateRangeOffset: a sixteenth of the range, between 16 and 256 addresses, is kept for requested IPs.</summary>
    public int Offset => Size < 16 ? 0 : Math.Clamp(Size / 16, 16, 256);

    public static ServiceCidr Parse(string cidr)
    {
        var slash = cidr.IndexOf('/');
        if (slash < 0 || !IPAddress.TryParse(cidr[..slash], out var ip) || ip.AddressFamily != AddressFamily.InterNetwork
            || !int.TryParse(cidr[(slash + 1)..], out var prefix) || prefix is < 8 or > 32)
            throw new FormatException($"service cluster IP range \"{cidr}\" is not an IPv4 CIDR between /8 and /32");
        var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
        var network = ToUInt(ip) & mask;
        return new ServiceCidr(network, prefix, $"{ToAddress(network)}/{prefix}");
    }

    /// <summary>The index of an address in the allocation bitmap; null when it is not an allocatable address of this range.</summary>
    public int? IndexOf(string address)
    {
        if (!IPAddress.TryParse(address, out var ip) || ip.AddressFamily != AddressFamily.InterNetwork) return null;
        var value = ToUInt(ip);
        var offset = (long)value - _network - First;
        return offset >= 0 && offset < Size ? (int)offset : null;
    }

    public string AddressAt(int index) => ToAddress(_network + First + (uint)index);

    private static uint ToUInt(IPAddress ip)
    {
        var b = ip.GetAddressBytes();
        return (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
    }

    private static string ToAddress(uint value) => $"{value >> 24}.{(value >> 16) & 0xFF}.{(value >> 8) & 0xFF}.{value & 0xFF}";
}
