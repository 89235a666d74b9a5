using System.Collections;

namespace Akka.KubeEmu.Actors.Store.Allocation;

/// <summary>
/// kube-apiserver's allocation bitmap (registry/core/service/allocator): one bit per item of a
/// range, and the random-scan-with-offset strategy. Items below <see cref="Offset"/> are kept for
/// requested values (the `kubernetes` Service's first IP, kube-dns' .10): dynamic allocation draws
/// from the upper band and only falls back on the lower one when the upper is full.
/// </summary>
public sealed class AllocationBitmap
{
    private readonly BitArray _bits;
    private readonly Random _random;

    public AllocationBitmap(int size, int offset, Random? random = null)
    {
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), "an allocation range needs at least one item");
        _bits = new BitArray(size);
        Size = size;
        Offset = Math.Clamp(offset, 0, size);
        _random = random ?? Random.Shared;
    }

    public int Size { get; }

    public int Offset { get; }

    public int Count { get; private set; }

    public int Free => Size - Count;

    public bool Has(int index) => index >= 0 && index < Size && _bits[index];

    /// <summary>Marks an item taken; false when it already was.</summary>
    public bool Allocate(int index)
    {
        if (_bits[index]) return false;
        _bits[index] = true;
        Count++;
        return true;
    }

    public void Release(int index)
    {
        if (index < 0 || index >= Size || !_bits[index]) return;
        _bits[index] = false;
        Count--;
    }

    /// <summary>The item AllocateNext would take, without taking it; null when the range is full.</summary>
    public int? PickNext()
    {
        if (Count >= Size) return null;
        return Scan(Offset, Size) ?? Scan(0, Offset);
    }

    // From a random start in [from, to), wrapping around: the first free item.
    private int? Scan(int from, int to)
    {
        var span = to - from;
        if (span <= 0) return null;
        var start = _random.Next(span);
        for (var i = 0; i < span; i++)
        {
            var at = from + (start + i) % span;
            if (!_bits[at]) return at;
        }
        return null;
    }
}
