using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace Akka.KubeEmu.Host.ApiServer.Spdy;

/// <summary>What a server does with the streams its peer opens.</summary>
public interface ISpdyStreamHandler
{
    /// <summary>Whether to take the stream (SYN_REPLY) or refuse it (RST_STREAM), decided at once from its headers.</summary>
    bool Accept(SpdyStream stream);

    /// <summary>The stream was accepted and its reply sent: DATA may flow now.</summary>
    void Started(SpdyStream stream);
}

/// <summary>
/// The server side of one SPDY/3.1 connection (what spdystream's Connection is for the kubelet): one
/// loop reads frames and dispatches them; writes from any stream are serialized under one lock
/// (header compression is one zlib stream per direction, so frames are encoded in sending order).
/// Flow control: the receive window is given back as the streams' readers consume; the send window
/// is honoured once the peer shows it keeps one (sends a WINDOW_UPDATE): spdystream never does, and
/// waiting for its window would stall every stream after 64 KiB.
/// </summary>
public sealed class SpdySession(Stream transport, ISpdyStreamHandler handler)
{
    public const int DefaultWindow = 64 * 1024;

    private readonly SpdyHeaderCompression _compression = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<uint, SpdyStream> _streams = new();
    private readonly ConcurrentDictionary<uint, int> _unacknowledged = new();
    private long _initialSendWindow = DefaultWindow;
    private uint _lastPeerStreamId;
    private volatile bool _peerDoesFlowControl;
    private volatile bool _broken;

    public bool PeerDoesFlowControl => _peerDoesFlowControl;

    /// <summary>Streams open now (tests, and what a closing connection aborts).</summary>
    public int OpenStreams => _streams.Count;

    /// <summary>Serves the connection until the peer closes it, breaks the protocol, or <paramref name="cancel"/>.</summary>
    public async Task Run(CancellationToken cancel)
    {
        var reader = new SpdyFrameReader(transport, _compression);
        try
        {
            while (!cancel.IsCancellationRequested)
            {
                var frame = await reader.Next(cancel).ConfigureAwait(false);
                if (frame is null) break;
                await Dispatch(frame, cancel).ConfigureAwait(false);
            }
        }
        catch (SpdyProtocolException)
        {
            await TrySend(new SpdyGoAwayFrame(_lastPeerStreamId, SpdyGoAwayStatus.ProtocolError)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or WebSocketException)
        {
            // The connection went away (kubectl stopped, a network error): the streams end below.
        }
        finally
        {
            _broken = true;
            foreach (var stream in _streams.Values) stream.Abort();
            _streams.Clear();
        }
    }

    internal async Task Send(SpdyFrame frame, CancellationToken cancel)
    {
        if (_broken) throw new IOException("connection closed");
        await _writeLock.WaitAsync(cancel).ConfigureAwait(false);
        try
        {
            var bytes = SpdyFrameCodec.Encode(frame, _compression);
            await transport.WriteAsync(bytes, cancel).ConfigureAwait(false);
            await transport.FlushAsync(cancel).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ObjectDisposedException or WebSocketException or InvalidOperationException)
        {
            _broken = true;
            throw new IOException("connection closed", e);
        }
        catch (IOException)
        {
            _broken = true;
            throw;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>A reader took <paramref name="n"/> bytes: give the window back in halves, as Chromium's SPDY did.</summary>
    internal async Task Consumed(SpdyStream stream, int n)
    {
        if (stream.IsFullyClosed) return;
        var pending = _unacknowledged.AddOrUpdate(stream.Id, n, (_, old) => old + n);
        if (pending < DefaultWindow / 2) return;
        _unacknowledged[stream.Id] = 0;
        await TrySend(new SpdyWindowUpdateFrame(stream.Id, (uint)pending)).ConfigureAwait(false);
    }

    /// <summary>Our side half-closed: forget the stream once the peer's side is closed too.</summary>
    internal void Forget(SpdyStream stream)
    {
        if (!stream.IsFullyClosed) return;
        _streams.TryRemove(stream.Id, out _);
        _unacknowledged.TryRemove(stream.Id, out _);
    }

    private async Task Dispatch(SpdyFrame frame, CancellationToken cancel)
    {
        switch (frame)
        {
            case SpdySynStreamFrame syn:
                await Open(syn, cancel).ConfigureAwait(false);
                break;
            case SpdyDataFrame data:
                // Data for a stream already closed or reset is dropped, as spdystream drops it.
                if (_streams.TryGetValue(data.StreamId, out var target))
                {
                    target.Received(data.Data);
                    if (data.Fin) Finished(target);
                }
                break;
            case SpdyHeadersFrame headers:
                if (headers.Fin && _streams.TryGetValue(headers.StreamId, out var finished)) Finished(finished);
                break;
            case SpdyRstStreamFrame reset:
                if (_streams.TryRemove(reset.StreamId, out var aborted)) aborted.Abort();
                _unacknowledged.TryRemove(reset.StreamId, out _);
                break;
            case SpdySettingsFrame settings:
                foreach (var setting in settings.Settings.Where(s => s.Id == SpdySetting.InitialWindowSize))
                {
                    var delta = setting.Value - Interlocked.Exchange(ref _initialSendWindow, setting.Value);
                    foreach (var stream in _streams.Values) stream.OpenWindow(delta);
                }
                break;
            case SpdyWindowUpdateFrame update:
                _peerDoesFlowControl = true;
                if (update.StreamId != 0 && _streams.TryGetValue(update.StreamId, out var opened)) opened.OpenWindow(update.Delta);
                break;
            case SpdyPingFrame ping when ping.Id % 2 == 1:
                // The client's pings (odd ids) are echoed; ours would be even, and we send none.
                await Send(ping, cancel).ConfigureAwait(false);
                break;
            case SpdyGoAwayFrame:
                // The client stops opening streams; those open run on until it closes the connection.
                break;
        }
    }

    private async Task Open(SpdySynStreamFrame syn, CancellationToken cancel)
    {
        // Client streams are odd and increasing (draft 2.3.2); anything else is a protocol error on that stream.
        if (syn.StreamId == 0 || syn.StreamId % 2 == 0 || syn.StreamId <= _lastPeerStreamId)
        {
            await Send(new SpdyRstStreamFrame(syn.StreamId, SpdyRstStatus.ProtocolError), cancel).ConfigureAwait(false);
            return;
        }
        _lastPeerStreamId = syn.StreamId;
        var stream = new SpdyStream(this, syn.StreamId, syn.Headers, Interlocked.Read(ref _initialSendWindow));
        if (!handler.Accept(stream))
        {
            await Send(new SpdyRstStreamFrame(syn.StreamId, SpdyRstStatus.Cancel), cancel).ConfigureAwait(false);
            return;
        }
        _streams[syn.StreamId] = stream;
        if (syn.Fin) stream.RemoteFin();
        await Send(new SpdySynReplyFrame(syn.StreamId, false, SpdyHeaders.Empty), cancel).ConfigureAwait(false);
        handler.Started(stream);
    }

    private void Finished(SpdyStream stream)
    {
        stream.RemoteFin();
        Forget(stream);
    }

    private async Task TrySend(SpdyFrame frame)
    {
        try { await Send(frame, CancellationToken.None).ConfigureAwait(false); }
        catch (IOException) { }
        catch (OperationCanceledException) { }
    }
}
