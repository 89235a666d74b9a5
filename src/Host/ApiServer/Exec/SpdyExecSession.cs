using System.Text;
using System.Threading.Channels;
using Akka.Actor;
using Akka.KubeEmu.Actors.Node.Exec;
using Akka.KubeEmu.Host.ApiServer.Spdy;

namespace Akka.KubeEmu.Host.ApiServer.Exec;

/// <summary>
/// The client's side of one exec session over SPDY (what <see cref="ExecStream"/> is for
/// WebSocket): stdin's stream to the bridge, the node's output to the stdout and stderr streams
/// (stderr to stdout with a terminal, which merges them), and at the end those streams
/// half-closed, then the Status on the error stream (JSON from v4 on; text before), which kubectl
/// reads once its output streams have ended.
/// </summary>
public sealed class SpdyExecSession(SpdyExecStreams streams, string protocol, ExecOptions options, bool attach, CancellationToken aborted)
{
    private bool StatusAsJson => protocol is RemoteCommandProtocol.V5 or RemoteCommandProtocol.V4;

    /// <summary>Ends the session at once with an internal error (the node cannot be reached).</summary>
    public Task Fail(string error) => End(RemoteCommandProtocol.InternalError(error), "Internal error occurred: " + error);

    public async Task Run(IActorRef bridge, string session, ChannelReader<object> fromNode, string unreachable)
    {
        var reading = ReadStdin(bridge, session);
        var started = false;
        var ended = false;
        try
        {
            await foreach (var message in fromNode.ReadAllAsync(aborted))
            {
                switch (message)
                {
                    case ExecStarted:
                        started = true;
                        break;
                    case ExecOutput output when Target(output.Stream) is { } target:
                        await target.WriteAsync(output.Data, aborted);
                        break;
                    case ExecExited { Error: { } error }:
                        var text = started ? error : "unable to upgrade connection: " + error;
                        await End(RemoteCommandProtocol.InternalError(text), "Internal error occurred: " + text);
                        ended = true;
                        break;
                    case ExecExited exited:
                        var code = attach ? 0 : exited.ExitCode;
                        await End(RemoteCommandProtocol.ExitStatus(code, options.Command),
                            code == 0 ? null : $"command terminated with non-zero exit code: error executing command [{string.Join(' ', options.Command)}], exit code {code}");
                        ended = true;
                        break;
                    case ExecUnreachable:
                        await Fail(unreachable);
                        ended = true;
                        break;
                }
                if (ended) break;
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            if (!ended) bridge.Tell(new ExecCancel(session));
        }
        await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None));
    }

    private SpdyStream? Target(int stream) => stream switch
    {
        RemoteCommandProtocol.Stdout when options.Stdout => streams.Stdout,
        RemoteCommandProtocol.Stderr when options.Tty && options.Stdout => streams.Stdout,
        RemoteCommandProtocol.Stderr when options.Stderr => streams.Stderr,
        _ => null,
    };

    /// <summary>Output streams first (kubectl reads the error stream after they end), then the status, then everything closed.</summary>
    private async Task End(byte[] jsonStatus, string? textError)
    {
        try
        {
            if (streams.Stdout is { } stdout) await stdout.CloseWrite();
            if (streams.Stderr is { } stderr) await stderr.CloseWrite();
            if (streams.Error is { } error)
            {
                if (StatusAsJson) await error.WriteAsync(jsonStatus, aborted);
                else if (textError is not null) await error.WriteAsync(Encoding.UTF8.GetBytes(textError), aborted);
            }
        }
        catch (IOException)
        {
            // The client reset a stream or left: nothing more to say.
        }
        await streams.CloseAll();
    }

    /// <summary>Reads stdin's stream until the client half-closes it (the end of kubectl's stdin) or resets it.</summary>
    private async Task ReadStdin(IActorRef bridge, string session)
    {
        if (streams.Stdin is not { } stdin) return;
        var buffer = new byte[32 * 1024];
        try
        {
            int n;
            while ((n = await stdin.ReadAsync(buffer, aborted)) > 0)
                bridge.Tell(new ExecInput(session, buffer.AsSpan(0, n).ToArray()));
            bridge.Tell(new ExecInput(session, [], Closed: true));
        }
        catch (OperationCanceledException)
        {
            bridge.Tell(new ExecCancel(session));
        }
    }
}
