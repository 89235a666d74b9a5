using System.Net.Sockets;
using System.Text;
using Akka.KubeEmu.Host.ApiServer.Spdy;

namespace Akka.KubeEmu.Host.ApiServer.PortForward;

/// <summary>
/// The streams of one port-forward connection (the kubelet's httpStreamHandler): kubectl opens an
/// error stream and a data stream per local connection, both with the same <c>requestID</c> and
/// <c>port</c>; once both are there the pair is forwarded to the pod. Streams whose headers are
/// missing or wrong are refused (RST_STREAM), a pair that stays incomplete is reported on its
/// error stream after the stream creation timeout.
/// </summary>
public sealed class PortForwardStreams(PortForwardTarget target, TimeProvider time, CancellationToken connection) : ISpdyStreamHandler
{
    public const string StreamTypeHeader = "streamType";
    public const string PortHeader = "port";
    public const string RequestIdHeader = "requestID";
    public const string StreamTypeError = "error";
    public const string StreamTypeData = "data";

    /// <summary>The kubelet's default stream creation timeout.</summary>
    public static readonly TimeSpan StreamCreationTimeout = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, PortForwardPair> _pairs = new(StringComparer.Ordinal);

    public bool Accept(SpdyStream stream)
    {
        var port = stream.Headers.Get(PortHeader);
        if (string.IsNullOrEmpty(port) || !ushort.TryParse(port, out var number) || number < 1) return false;
        return stream.Headers.Get(StreamTypeHeader) is StreamTypeError or StreamTypeData;
    }

    public void Started(SpdyStream stream)
    {
        var requestId = RequestId(stream);
        PortForwardPair pair;
        bool created;
        lock (_pairs)
        {
            created = !_pairs.TryGetValue(requestId, out pair!);
            if (created) _pairs[requestId] = pair = new PortForwardPair(requestId);
        }
        if (created) _ = Monitor(pair);
        var (complete, error) = pair.Add(stream);
        if (error is not null) _ = pair.PrintError($"error processing stream for request {requestId}: {error}");
        else if (complete) _ = Forward(pair);
    }

    /// <summary>
    /// Clients older than request ids (kubectl before 1.6) are paired by stream id, as the kubelet
    /// does: the error stream's id, or the data stream's id less 2.
    /// </summary>
    private static string RequestId(SpdyStream stream)
    {
        var id = stream.Headers.Get(RequestIdHeader);
        if (!string.IsNullOrEmpty(id)) return id;
        return stream.Headers.Get(StreamTypeHeader) == StreamTypeError ? stream.Id.ToString() : (stream.Id - 2).ToString();
    }

    private async Task Monitor(PortForwardPair pair)
    {
        try
        {
            await pair.Complete.WaitAsync(StreamCreationTimeout, time, connection);
        }
        catch (TimeoutException)
        {
            await pair.PrintError($"(conn=spdy, request={pair.RequestId}) timed out waiting for streams");
        }
        catch (OperationCanceledException) { }
        lock (_pairs) _pairs.Remove(pair.RequestId);
    }

    private async Task Forward(PortForwardPair pair)
    {
        var data = pair.Data!;
        var errors = pair.Error!;
        var port = int.Parse(data.Headers.Get(PortHeader)!);
        try
        {
            using var socket = await PodNetworkDialer.Connect(target, port, time, data.Aborted);
            if (socket is null)
            {
                await errors.WriteAsync(Encoding.UTF8.GetBytes(target.Refused(port)), CancellationToken.None);
                return;
            }
            await Pipe(socket, data);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // kubectl reset its stream or left: nothing to report to anyone.
        }
        finally
        {
            await errors.CloseWrite();
            await data.CloseWrite();
        }
    }

    /// <summary>
    /// Bytes both ways until the pod's side ends (containerd returns when one direction finishes);
    /// kubectl's FIN on the data stream only half-closes the pod's socket, so an HTTP answer still
    /// comes back after the request was sent whole.
    /// </summary>
    private static async Task Pipe(Socket socket, SpdyStream data)
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(data.Aborted);
        var up = Task.Run(async () =>
        {
            var buffer = new byte[SpdyStream.MaxDataFrame];
            try
            {
                while (true)
                {
                    var n = await data.ReadAsync(buffer, abort.Token);
                    if (n == 0) break;
                    await socket.SendAsync(buffer.AsMemory(0, n), SocketFlags.None, abort.Token);
                }
                socket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException) { }
        });
        var downBuffer = new byte[SpdyStream.MaxDataFrame];
        try
        {
            while (true)
            {
                var n = await socket.ReceiveAsync(downBuffer, SocketFlags.None, abort.Token);
                if (n == 0) break;
                await data.WriteAsync(downBuffer.AsMemory(0, n), abort.Token);
            }
        }
        finally
        {
            abort.Cancel();
            await up;
        }
    }
}

/// <summary>The error and data stream of one forwarded connection.</summary>
internal sealed class PortForwardPair(string requestId)
{
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();

    public string RequestId { get; } = requestId;
    public SpdyStream? Error { get; private set; }
    public SpdyStream? Data { get; private set; }
    public Task Complete => _complete.Task;

    /// <summary>Whether the pair is now complete, or why the stream does not fit.</summary>
    public (bool Complete, string? Error) Add(SpdyStream stream)
    {
        lock (_gate)
        {
            if (stream.Headers.Get(PortForwardStreams.StreamTypeHeader) == PortForwardStreams.StreamTypeError)
            {
                if (Error is not null) return (false, "error stream already assigned");
                Error = stream;
            }
            else
            {
                if (Data is not null) return (false, "data stream already assigned");
                Data = stream;
            }
            if (Error is null || Data is null) return (false, null);
        }
        _complete.TrySetResult();
        return (true, null);
    }

    public async Task PrintError(string message)
    {
        SpdyStream? error;
        lock (_gate) error = Error;
        if (error is null) return;
        try { await error.WriteAsync(Encoding.UTF8.GetBytes(message), CancellationToken.None); }
        catch (IOException) { }
    }
}
