using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Akka.KubeEmu.Actors.Informers;

/// <summary>
/// The typed objects this process decoded lately, by the very bytes they were decoded from. A control-plane
/// process runs the controller manager's informers and the scheduler's, each in a factory of its own as the
/// two binaries have, and the Store hands both the same watch events: the same byte arrays, not copies. The
/// second informer takes the object the first one decoded instead of decoding every pod event again.
/// Informer objects are shared read-only already (client-go's rule: what a lister returns is never
/// mutated, a writer clones it first), so sharing them across two factories changes nothing for their readers.
/// </summary>
/// <remarks>
/// A direct-mapped table of recent decodings with strong references, so bounded: an entry is replaced by any
/// later decoding that maps to its slot. Bytes that came over the network are copies of their own and simply
/// never match; two informers that decode the same bytes at the same moment both decode. Either way nothing
/// is lost but the saving.
/// </remarks>
internal static class DecodedObjects
{
    private const int Slots = 4096; // a power of two: the slot is a mask of the array's identity hash

    private sealed class Entry(byte[] bytes, object value)
    {
        public readonly byte[] Bytes = bytes;
        public readonly object Value = value;
    }

    private static readonly Entry?[] Recent = new Entry?[Slots];

    public static bool TryGet<T>(byte[] utf8, [NotNullWhen(true)] out T? value) where T : class
    {
        var entry = Volatile.Read(ref Recent[Slot(utf8)]);
        if (entry is not null && ReferenceEquals(entry.Bytes, utf8) && entry.Value is T known)
        {
            value = known;
            return true;
        }
        value = null;
        return false;
    }

    public static void Remember(byte[] utf8, object value) => Volatile.Write(ref Recent[Slot(utf8)], new Entry(utf8, value));

    private static int Slot(byte[] utf8) => RuntimeHelpers.GetHashCode(utf8) & (Slots - 1);
}
