namespace Akka.KubeEmu.Actors.Api.Objects;

/// <summary>
/// metadata.uid for new objects: a random (version 4) UUID from a seeded, thread-safe generator.
/// Guid.NewGuid asks the operating system for every UUID, which cost the Store several percent of
/// its time under load; 122 random bits from a generator seeded by the OS are as unique in practice.
/// </summary>
public static class Uids
{
    public static string New()
    {
        Span<byte> bytes = stackalloc byte[16];
        Random.Shared.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 (Guid's little-endian layout keeps it in byte 7)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes).ToString();
    }
}
