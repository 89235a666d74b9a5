namespace Akka.KubeEmu.Host.ApiServer.Spdy;

/// <summary>
/// A SPDY name/value block: lower-case names in the order sent; a name with several values carries
/// them NUL-separated on the wire, as Go's http.Header does in spdystream.
/// </summary>
public sealed class SpdyHeaders
{
    public static readonly SpdyHeaders Empty = new([]);

    public SpdyHeaders(IReadOnlyList<KeyValuePair<string, string>> pairs) => Pairs = pairs;

    public IReadOnlyList<KeyValuePair<string, string>> Pairs { get; }

    /// <summary>The first value of <paramref name="name"/> (case-insensitive, as http.Header.Get), or null.</summary>
    public string? Get(string name)
    {
        foreach (var (key, value) in Pairs)
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                return value.Split('\0')[0];
        return null;
    }

    public static SpdyHeaders Of(params (string Name, string Value)[] pairs) =>
        new(pairs.Select(p => new KeyValuePair<string, string>(p.Name.ToLowerInvariant(), p.Value)).ToList());

    public override string ToString() => string.Join(", ", Pairs.Select(p => $"{p.Key}={p.Value}"));
}
