using Akka.KubeEmu.Host.ApiServer.Spdy;

namespace Akka.KubeEmu.Host.ApiServer.Exec;

/// <summary>
/// The streams of one exec or attach over SPDY/3.1 (the kubelet's remotecommand httpstream
/// handler, what kubectl before 1.30 speaks): the client opens one stream per channel, named by its
/// <c>streamType</c> header; the session starts once every stream the options call for is there
/// (error always; stdin, stdout as asked; stderr unless there is a terminal; resize with one).
/// </summary>
public sealed class SpdyExecStreams(ExecOptions options) : ISpdyStreamHandler
{
    public const string StreamTypeHeader = "streamType";

    /// <summary>The kubelet's stream creation timeout.</summary>
    public static readonly TimeSpan StreamCreationTimeout = TimeSpan.FromSeconds(30);

    private readonly Dictionary<string, SpdyStream> _streams = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SpdyStream? Error => Get("error");
    public SpdyStream? Stdin => Get("stdin");
    public SpdyStream? Stdout => Get("stdout");
    public SpdyStream? Stderr => Get("stderr");

    /// <summary>Completes when every expected stream is open.</summary>
    public Task Complete => _complete.Task;

    private IEnumerable<string> Expected()
    {
        yield return "error";
        if (options.Stdin) yield return "stdin";
        if (options.Stdout) yield return "stdout";
        if (options.Stderr && !options.Tty) yield return "stderr";
        if (options.Tty) yield return "resize";
    }

    public bool Accept(SpdyStream stream)
    {
        var type = stream.Headers.Get(StreamTypeHeader);
        lock (_streams) return type is "error" or "stdin" or "stdout" or "stderr" or "resize" && !_streams.ContainsKey(type);
    }

    public void Started(SpdyStream stream)
    {
        var type = stream.Headers.Get(StreamTypeHeader)!;
        bool complete;
        lock (_streams)
        {
            _streams[type] = stream;
            complete = Expected().All(_streams.ContainsKey);
        }
        // Terminal sizes mean nothing to the simulated shell: read and dropped, so the client's writes never block.
        if (type == "resize") _ = Drain(stream);
        if (complete) _complete.TrySetResult();
    }

    /// <summary>Every stream we write to is half-closed (FIN), as the kubelet's handler closes them when it returns.</summary>
    public async Task CloseAll()
    {
        SpdyStream[] all;
        lock (_streams) all = _streams.Values.ToArray();
        foreach (var s in all) await s.CloseWrite();
    }

    private SpdyStream? Get(string type)
    {
        lock (_streams) return _streams.GetValueOrDefault(type);
    }

    private static async Task Drain(SpdyStream stream)
    {
        var buffer = new byte[1024];
        try
        {
            while (await stream.ReadAsync(buffer, stream.Aborted) > 0) { }
        }
        catch (OperationCanceledException) { }
    }
}
