using System.Net;
using System.Net.Sockets;

namespace Akka.KubeEmu.Actors.Controllers.LoadBalancer;

/// <summary>
/// MetalLB's IPAddressPool: addresses given as "first-last" ranges or CIDRs (comma separated),
/// handed out lowest first, as MetalLB's allocator does; which Service holds which address.
/// </summary>
public sealed class AddressPool
{
    private readonly List<(uint First, uint Last)> _ranges = [];
    private readonly Dictionary<string, string> _holders = new(StringComparer.Ordinal);

    public AddressPool(string spec)
    {
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part.Contains('/'))
            {
                var (ip, prefix) = (part[..part.IndexOf('/')], int.Parse(part[(part.IndexOf('/') + 1)..]));
                var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
                var network = ToUInt(ip) & mask;
                _ranges.Add((network, network | ~mask));
            }
            else if (part.Contains('-'))
            {
                var ends = part.Split('-', 2, StringSplitOptions.TrimEntries);
                _ranges.Add((ToUInt(ends[0]), ToUInt(ends[1])));
            }
            else _ranges.Add((ToUInt(part), ToUInt(part)));
        }
    }

    public bool Contains(string ip) => TryUInt(ip) is { } v && _ranges.Any(r => v >= r.First && v <= r.Last);

    public string? HolderOf(string ip) => _holders.GetValueOrDefault(ip);

    public IEnumerable<string> HeldBy(string service) => _holders.Where(h => h.Value == service).Select(h => h.Key).ToList();

    /// <summary>Marks the address taken by <paramref name="service"/>; false when another Service holds it or it is not in the pool.</summary>
    public bool Assign(string ip, string service)
    {
        if (!Contains(ip)) return false;
        if (_holders.TryGetValue(ip, out var holder)) return holder == service;
        _holders[ip] = service;
        return true;
    }

    public void Release(string service)
    {
        foreach (var ip in HeldBy(service)) _holders.Remove(ip);
    }

    /// <summary>The lowest free address, or null when the pool is exhausted.</summary>
    public string? NextFree()
    {
        foreach (var (first, last) in _ranges)
            for (var v = (ulong)first; v <= last; v++)
            {
                var ip = ToText((uint)v);
                if (!_holders.ContainsKey(ip)) return ip;
            }
        return null;
    }

    private static uint ToUInt(string ip) => TryUInt(ip) ?? throw new FormatException($"\"{ip}\" is not an IPv4 address");

    private static uint? TryUInt(string ip)
    {
        if (!IPAddress.TryParse(ip, out var address) || address.AddressFamily != AddressFamily.InterNetwork) return null;
        var b = address.GetAddressBytes();
        return (uint)(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
    }

    private static string ToText(uint v) => $"{v >> 24}.{(v >> 16) & 0xFF}.{(v >> 8) & 0xFF}.{v & 0xFF}";
}
