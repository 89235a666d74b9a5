using System.Net.WebSockets;
using System.Threading.Channels;
using Akka.Actor;
using Akka.KubeEmu.Actors.Node.Exec;

namespace Akka.KubeEmu.Host.ApiServer.Exec;

/// <summary>
/// The client's side of one exec session: frames from the WebSocket go to the bridge as stdin,
/// what the node sends comes back as channel frames, and the end is one Status on the error
/// channel followed by a normal close (what kubectl waits for to know the exit code).
/// </summary>
public sealed class ExecStream(WebSocket socket, string protocol, ExecOptions options, bool attach, CancellationToken aborted)
{
    /// <summary>How long the client may take to answer our close.</summary>
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    public string Protocol => protocol;

    /// <summary>Ends the session at once with an internal error (the node cannot be reached).</summary>
    public async Task Fail(string error)
    {
        try
        {
            await Send(RemoteCommandProtocol.Error, RemoteCommandProtocol.InternalError(error));
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", aborted);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went first: nothing more to say.
        }
    }

    public async Task Run(IActorRef bridge, string session, ChannelReader<object> fromNode, string unreachable)
    {
        var reading = ReadClient(bridge, session);
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
                    case ExecOutput output when Wanted(output.Stream):
                        await Send((byte)output.Stream, output.Data);
                        break;
                    case ExecExited { Error: { } error }:
                        // Before the start it is the kubelet refusing the stream (the translator's
                        // upgrade error); after it, the runtime's error from the kubelet.
                        await Send(RemoteCommandProtocol.Error, RemoteCommandProtocol.InternalError(started ? error : "unable to upgrade connection: " + error));
                        ended = true;
                        break;
                    case ExecExited exited:
                        // An attach ends in Success: the container's exit is in the pod's status (kubectl run reads it there).
                        await Send(RemoteCommandProtocol.Error, RemoteCommandProtocol.ExitStatus(attach ? 0 : exited.ExitCode, options.Command));
                        ended = true;
                        break;
                    case ExecUnreachable:
                        await Send(RemoteCommandProtocol.Error, RemoteCommandProtocol.InternalError(unreachable));
                        ended = true;
                        break;
                }
                if (ended) break;
            }
            if (ended) await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", aborted);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            if (!ended) bridge.Tell(new ExecCancel(session));
        }
        await Task.WhenAny(reading, Task.Delay(CloseTimeout, aborted).ContinueWith(_ => { }, TaskScheduler.Default));
    }

    private bool Wanted(int stream) => stream switch
    {
        RemoteCommandProtocol.Stdout => options.Stdout,
        RemoteCommandProtocol.Stderr => options.Stderr || (options.Tty && options.Stdout),
        _ => false,
    };

    private Task Send(byte channel, byte[] data) =>
        socket.SendAsync(RemoteCommandProtocol.Frame(channel, data), WebSocketMessageType.Binary, true, aborted);

    /// <summary>Reads the client's frames until it closes: stdin to the bridge; a close before the end cancels the command.</summary>
    private async Task ReadClient(IActorRef bridge, string session)
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                var result = await socket.ReceiveAsync(buffer, aborted);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    bridge.Tell(new ExecCancel(session));
                    if (socket.State == WebSocketState.CloseReceived)
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", aborted);
                    return;
                }
                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage) continue;
                var frame = RemoteCommandProtocol.Read(message.ToArray());
                message.SetLength(0);
                if (result.MessageType != WebSocketMessageType.Binary) continue;
                switch (frame.Kind)
                {
                    case ClientFrameKind.Stdin when options.Stdin:
                        bridge.Tell(new ExecInput(session, frame.Data));
                        break;
                    case ClientFrameKind.StdinClosed when options.Stdin:
                        bridge.Tell(new ExecInput(session, [], Closed: true));
                        break;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            bridge.Tell(new ExecCancel(session));
        }
    }
}
