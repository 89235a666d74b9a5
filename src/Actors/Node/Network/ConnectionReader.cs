using System.Net.Sockets;
using System.Text;

namespace Akka.KubeEmu.Actors.Node.Network;

/// <summary>Buffered reads of lines and HTTP heads from a socket (what a server's read loop does).</summary>
public sealed class ConnectionReader(Socket socket)
{
    private const int MaxHead = 64 * 1024;
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;

    /// <summary>Up to "\n" (excluded); null at end of stream.</summary>
    public async Task<string?> ReadLine(CancellationToken ct)
    {
        var at = await ReadUntil("\n"u8.ToArray(), ct);
        if (at < 0) return null;
        var line = Encoding.ASCII.GetString(_buffer, _start, at - _start);
        _start = at + 1;
        return line;
    }

    /// <summary>An HTTP head without its final blank line; null at end of stream.</summary>
    public async Task<string?> ReadHead(CancellationToken ct)
    {
        var at = await ReadUntil("\r\n\r\n"u8.ToArray(), ct);
        if (at < 0) return null;
        var head = Encoding.ASCII.GetString(_buffer, _start, at - _start);
        _start = at + 4;
        return head;
    }

    public async Task Skip(long count, CancellationToken ct)
    {
        while (count > 0)
        {
            if (_start == _end && !await Fill(ct)) return;
            var n = (int)Math.Min(count, _end - _start);
            _start += n;
            count -= n;
        }
    }

    /// <summary>Exactly <paramref name="count"/> bytes, fewer when the stream ends first.</summary>
    public async Task<byte[]> Read(int count, CancellationToken ct)
    {
        var result = new MemoryStream(count);
        while (result.Length < count)
        {
            if (_start == _end && !await Fill(ct)) break;
            var n = (int)Math.Min(count - result.Length, _end - _start);
            result.Write(_buffer, _start, n);
            _start += n;
        }
        return result.ToArray();
    }

    public async Task Drain(CancellationToken ct)
    {
        _start = _end = 0;
        while (await Fill(ct)) _start = _end = 0;
    }

    private async Task<int> ReadUntil(byte[] marker, CancellationToken ct)
    {
        var searched = _start;
        while (true)
        {
            var span = _buffer.AsSpan(searched, _end - searched);
            var i = span.IndexOf(marker);
            if (i >= 0) return searched + i;
            searched = Math.Max(_start, _end - marker.Length + 1);
            if (_end - _start >= MaxHead) return -1;
            var before = _start;
            if (!await Fill(ct)) return -1;
            searched -= before - _start;
        }
    }

    /// <summary>Reads more, compacting or growing the buffer first; false at end of stream.</summary>
    private async Task<bool> Fill(CancellationToken ct)
    {
        if (_start > 0 && _end == _buffer.Length)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) return false; // a head longer than the buffer: treated as the end
        var n = await socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, ct);
        if (n == 0) return false;
        _end += n;
        return true;
    }
}
