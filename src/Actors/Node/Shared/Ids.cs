using System.Security.Cryptography;
using System.Text;

namespace Akka.KubeEmu.Actors.Node.Shared;

/// <summary>Identifiers a container runtime and a machine would report.</summary>
public static class Ids
{
    /// <summary>64 random hex digits, as containerd's container IDs.</summary>
    public static string ContainerId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>A stable sha256 of <paramref name="text"/>, as hex.</summary>
    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>A stable GUID derived from <paramref name="text"/> (systemUUID of an emulated machine).</summary>
    public static Guid StableGuid(string text)
    {
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 16).ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 layout, as a random UUID would have
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}
