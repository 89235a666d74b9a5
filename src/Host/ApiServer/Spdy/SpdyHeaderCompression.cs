using System.Buffers.Binary;
using System.Text;
using ICSharpCode.SharpZipLib;
using ICSharpCode.SharpZipLib.Zip.Compression;

namespace Akka.KubeEmu.Host.ApiServer.Spdy;

/// <summary>
/// The header blocks of one SPDY connection, one direction each: every block is a piece of a single
/// zlib stream (preset dictionary, sync-flushed per frame), so the compressor and decompressor live
/// as long as the session. zlib with a preset dictionary comes from SharpZipLib
/// (System.IO.Compression has no dictionary support).
/// </summary>
public sealed class SpdyHeaderCompression
{
    /// <summary>Name/value counts and lengths beyond this are not a header block anyone sends.</summary>
    private const int MaxBlock = 1 << 20;

    private static readonly byte[] Dictionary = SpdyDictionary.Bytes.ToArray();
    // Stored (level 0) blocks: SharpZipLib's Flush leaves the last bits of a compressed block in its bit
    // buffer until more input comes, so a peer reading one frame could not inflate it whole; stored
    // blocks end on a byte boundary. Header blocks are a few dozen bytes: nothing is lost.
    private readonly Deflater _deflater = new(Deflater.NO_COMPRESSION, noZlibHeaderOrFooter: false);
    private readonly Inflater _inflater = new(noHeader: false);
    private readonly byte[] _buffer = new byte[4096];

    public SpdyHeaderCompression() => _deflater.SetDictionary(Dictionary);

    /// <summary>The compressed block of <paramref name="headers"/>, flushed so the peer can read it whole.</summary>
    public byte[] Compress(SpdyHeaders headers)
    {
        var plain = Serialize(headers);
        _deflater.SetInput(plain);
        _deflater.Flush();
        using var output = new MemoryStream();
        while (true)
        {
            var n = _deflater.Deflate(_buffer);
            if (n == 0 && _deflater.IsNeedingInput) break;
            output.Write(_buffer, 0, n);
        }
        return output.ToArray();
    }

    /// <summary>Inflates one frame's block (continuing the connection's zlib stream) and parses it.</summary>
    /// <exception cref="SpdyProtocolException">Not zlib against the SPDY dictionary, or not a name/value block.</exception>
    public SpdyHeaders Decompress(ReadOnlySpan<byte> block)
    {
        using var plain = new MemoryStream();
        try
        {
            _inflater.SetInput(block.ToArray());
            while (true)
            {
                var n = _inflater.Inflate(_buffer);
                if (n > 0)
                {
                    plain.Write(_buffer, 0, n);
                    if (plain.Length > MaxBlock) throw new SpdyProtocolException("header block too large");
                    continue;
                }
                if (_inflater.IsNeedingDictionary)
                {
                    _inflater.SetDictionary(Dictionary);
                    continue;
                }
                if (_inflater.IsNeedingInput || _inflater.IsFinished) break;
            }
        }
        catch (SharpZipBaseException e)
        {
            throw new SpdyProtocolException($"header block does not inflate: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            throw new SpdyProtocolException($"header block does not inflate: {e.Message}", e);
        }
        return Parse(plain.GetBuffer().AsSpan(0, (int)plain.Length));
    }

    /// <summary>The uncompressed block: count, then length-prefixed names and values (big-endian 32 bits).</summary>
    public static byte[] Serialize(SpdyHeaders headers)
    {
        using var output = new MemoryStream();
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(word, (uint)headers.Pairs.Count);
        output.Write(word);
        foreach (var (name, value) in headers.Pairs)
        {
            foreach (var text in new[] { name, value })
            {
                var bytes = Encoding.UTF8.GetBytes(text);
                BinaryPrimitives.WriteUInt32BigEndian(word, (uint)bytes.Length);
                output.Write(word);
                output.Write(bytes);
            }
        }
        return output.ToArray();
    }

    /// <exception cref="SpdyProtocolException">Lengths that run past the block.</exception>
    public static SpdyHeaders Parse(ReadOnlySpan<byte> block)
    {
        var offset = 0;
        var count = ReadLength(block, ref offset);
        if (count > block.Length / 8 + 1) throw new SpdyProtocolException($"header block claims {count} pairs in {block.Length} bytes");
        var pairs = new List<KeyValuePair<string, string>>((int)count);
        for (var i = 0; i < count; i++)
        {
            var name = ReadString(block, ref offset);
            var value = ReadString(block, ref offset);
            if (name.Length == 0) throw new SpdyProtocolException("empty header name");
            pairs.Add(new(name.ToLowerInvariant(), value));
        }
        return new SpdyHeaders(pairs);
    }

    private static uint ReadLength(ReadOnlySpan<byte> block, ref int offset)
    {
        if (block.Length - offset < 4) throw new SpdyProtocolException("header block truncated");
        var value = BinaryPrimitives.ReadUInt32BigEndian(block[offset..]);
        offset += 4;
        return value;
    }

    private static string ReadString(ReadOnlySpan<byte> block, ref int offset)
    {
        var length = ReadLength(block, ref offset);
        if (length > block.Length - offset) throw new SpdyProtocolException("header block truncated");
        var text = Encoding.UTF8.GetString(block.Slice(offset, (int)length));
        offset += (int)length;
        return text;
    }
}
