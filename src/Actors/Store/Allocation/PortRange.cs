namespace Akka.KubeEmu.Actors.Store.Allocation;

/// <summary>--service-node-port-range ("30000-32767", both ends included).</summary>
public sealed record PortRange(int Base, int Size)
{
    public string Text => $"{Base}-{Base + Size - 1}";

    /// <summary>calculateRangeOffset of the port allocator: a 32nd of the range, between 16 and 128 ports, kept for requested ports.</summary>
    public int Offset => Size <= 16 ? 0 : Math.Clamp(Size / 32, 16, 128);

    public bool Contains(long port) => port >= Base && port < Base + Size;

    public static PortRange Parse(string text)
    {
        var parts = text.Split('-', 2);
        if (parts.Length != 2 || !int.TryParse(parts[0].Trim(), out var low) || !int.TryParse(parts[1].Trim(), out var high)
            || low < 1 || high > 65535 || high < low)
            throw new FormatException($"node port range \"{text}\" is not of the form 30000-32767");
        return new PortRange(low, high - low + 1);
    }
}
