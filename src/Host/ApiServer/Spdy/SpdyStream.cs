using System.Threading.Channels;

namespace Akka.KubeEmu.Host.ApiServer.Spdy;

/// <summary>
/// One stream the peer opened on a <see cref="SpdySession"/>: its headers, the bytes it sends
/// (read until its FIN), the bytes we send (DATA frames within the send window), our FIN, and RST.
/// </summary>
public sealed class SpdyStream
{
    /// <summary>What one DATA frame carries at most (client-go sends 32 KiB pieces; we stay below).</summary>
    public const int MaxDataFrame = 16 * 1024;

    private readonly SpdySession _session;
    private readonly Channel<byte[]> _inbound = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _reset = new();
    private readonly object _window = new();
    private byte[]? _current;
    private int _currentOffset;
    private long _sendWindow;
    private TaskCompletionSource _windowOpened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _localClosed;
    private int _remoteClosed;

    internal SpdyStream(SpdySession session, uint id, SpdyHeaders headers, long sendWindow)
    {
        _session = session;
        Id = id;
        Headers = headers;
        _sendWindow = sendWindow;
    }

    public uint Id { get; }
    public SpdyHeaders Headers { get; }

    /// <summary>Cancelled when the stream is reset (by either side) or the connection ends.</summary>
    public CancellationToken Aborted => _reset.Token;

    public bool IsFullyClosed => Volatile.Read(ref _localClosed) == 1 && Volatile.Read(ref _remoteClosed) == 1;

    /// <summary>Bytes the peer sent; 0 once it half-closed (FIN), reset, or the connection ended.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancel)
    {
        while (_current is null || _currentOffset == _current.Length)
        {
            _current = null;
            if (!await _inbound.Reader.WaitToReadAsync(cancel).ConfigureAwait(false)) return 0;
            if (_inbound.Reader.TryRead(out var next))
            {
                _current = next;
                _currentOffset = 0;
            }
        }
        var n = Math.Min(buffer.Length, _current.Length - _currentOffset);
        _current.AsMemory(_currentOffset, n).CopyTo(buffer);
        _currentOffset += n;
        await _session.Consumed(this, n).ConfigureAwait(false);
        return n;
    }

    /// <summary>Sends <paramref name="data"/> as DATA frames, waiting for window when the peer does flow control.</summary>
    /// <exception cref="IOException">The stream was reset or the connection is gone.</exception>
    public async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancel)
    {
        while (!data.IsEmpty)
        {
            if (Aborted.IsCancellationRequested || Volatile.Read(ref _localClosed) == 1) throw new IOException($"stream {Id} is closed");
            var n = await Reserve(Math.Min(data.Length, MaxDataFrame), cancel).ConfigureAwait(false);
            await _session.Send(new SpdyDataFrame(Id, false, data[..n]), cancel).ConfigureAwait(false);
            data = data[n..];
        }
    }

    /// <summary>Our half-close (an empty DATA frame with FIN), once.</summary>
    public async Task CloseWrite()
    {
        if (Interlocked.Exchange(ref _localClosed, 1) == 1 || Aborted.IsCancellationRequested) return;
        try { await _session.Send(new SpdyDataFrame(Id, true, ReadOnlyMemory<byte>.Empty), CancellationToken.None).ConfigureAwait(false); }
        catch (IOException) { }
        _session.Forget(this);
    }

    /// <summary>Abandons the stream: RST_STREAM CANCEL to the peer.</summary>
    public async Task Reset()
    {
        if (_reset.IsCancellationRequested) return;
        Abort();
        try { await _session.Send(new SpdyRstStreamFrame(Id, SpdyRstStatus.Cancel), CancellationToken.None).ConfigureAwait(false); }
        catch (IOException) { }
    }

    internal void Received(ReadOnlyMemory<byte> data)
    {
        if (!data.IsEmpty) _inbound.Writer.TryWrite(data.ToArray());
    }

    internal void RemoteFin()
    {
        Interlocked.Exchange(ref _remoteClosed, 1);
        _inbound.Writer.TryComplete();
    }

    /// <summary>The peer reset the stream or the connection ended: readers see the end, writers fail.</summary>
    internal void Abort()
    {
        Interlocked.Exchange(ref _localClosed, 1);
        Interlocked.Exchange(ref _remoteClosed, 1);
        _inbound.Writer.TryComplete();
        try { _reset.Cancel(); } catch (ObjectDisposedException) { }
        OpenWindow(0);
    }

    internal void OpenWindow(long delta)
    {
        lock (_window)
        {
            _sendWindow += delta;
            _windowOpened.TrySetResult();
        }
    }

    private async Task<int> Reserve(int wanted, CancellationToken cancel)
    {
        while (true)
        {
            Task opened;
            lock (_window)
            {
                if (!_session.PeerDoesFlowControl) return wanted;
                if (_sendWindow > 0 || Aborted.IsCancellationRequested)
                {
                    var n = (int)Math.Min(wanted, Math.Max(_sendWindow, 1));
                    _sendWindow -= n;
                    return n;
                }
                if (_windowOpened.Task.IsCompleted) _windowOpened = new(TaskCreationOptions.RunContinuationsAsynchronously);
                opened = _windowOpened.Task;
            }
            await opened.WaitAsync(cancel).ConfigureAwait(false);
        }
    }
}
