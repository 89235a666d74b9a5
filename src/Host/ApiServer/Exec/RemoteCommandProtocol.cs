using System.Text;
using System.Text.Json.Nodes;

namespace Akka.KubeEmu.Host.ApiServer.Exec;

/// <summary>
/// The channel protocols of remotecommand over WebSocket (apimachinery's wsstream): every binary
/// message starts with its channel byte (0 stdin, 1 stdout, 2 stderr, 3 error, 4 resize); v5 adds
/// 255 + channel to close one direction (the client's end of stdin). The error channel carries one
/// metav1.Status JSON at the end: Success, or Failure (NonZeroExitCode with the exit code as cause).
/// </summary>
public static class RemoteCommandProtocol
{
    public const string V5 = "v5.channel.k8s.io";
    public const string V4 = "v4.channel.k8s.io";

    public const byte Stdin = 0;
    public const byte Stdout = 1;
    public const byte Stderr = 2;
    public const byte Error = 3;
    public const byte Resize = 4;
    public const byte Close = 255;

    /// <summary>The protocols served, newest first; channel.k8s.io v1..v3 frame the same way.</summary>
    public static readonly IReadOnlyList<string> Served = [V5, V4, "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io"];

    /// <summary>The first protocol the client offers that is served (wsstream's choice); null: none.</summary>
    public static string? Negotiate(IEnumerable<string> offered) =>
        offered.Select(p => p.Trim()).FirstOrDefault(p => Served.Contains(p));

    public static string Unsupported(IEnumerable<string> offered) =>
        $"unable to upgrade: unable to negotiate protocol: client supports [{string.Join(' ', offered)}], server supports [{string.Join(' ', Served)}]";

    public static byte[] Frame(byte channel, ReadOnlySpan<byte> data)
    {
        var frame = new byte[data.Length + 1];
        frame[0] = channel;
        data.CopyTo(frame.AsSpan(1));
        return frame;
    }

    /// <summary>What a client message means.</summary>
    public static ClientFrame Read(ReadOnlySpan<byte> message)
    {
        if (message.Length == 0) return new ClientFrame(ClientFrameKind.Ignored, []);
        return message[0] switch
        {
            Stdin => new ClientFrame(ClientFrameKind.Stdin, message[1..].ToArray()),
            Resize => new ClientFrame(ClientFrameKind.Resize, message[1..].ToArray()),
            Close when message.Length > 1 && message[1] == Stdin => new ClientFrame(ClientFrameKind.StdinClosed, []),
            _ => new ClientFrame(ClientFrameKind.Ignored, []),
        };
    }

    /// <summary>The Status the kubelet writes on the error channel when the command has ended.</summary>
    public static byte[] ExitStatus(int exitCode, IReadOnlyList<string> command)
    {
        var status = new JsonObject { ["metadata"] = new JsonObject() };
        if (exitCode == 0) status["status"] = "Success";
        else
        {
            status["status"] = "Failure";
            status["message"] = $"command terminated with non-zero exit code: error executing command [{string.Join(' ', command)}], exit code {exitCode}";
            status["reason"] = "NonZeroExitCode";
            status["details"] = new JsonObject
            {
                ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ExitCode", ["message"] = exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
            };
        }
        return Encoding.UTF8.GetBytes(status.ToJsonString());
    }

    /// <summary>An internal error on the error channel (NewInternalError): kubectl prints its message and exits 1.</summary>
    public static byte[] InternalError(string error) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = "Internal error occurred: " + error,
        ["reason"] = "InternalError",
        ["details"] = new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = error }) },
        ["code"] = 500,
    }.ToJsonString());
}

public enum ClientFrameKind { Ignored, Stdin, StdinClosed, Resize }

public sealed record ClientFrame(ClientFrameKind Kind, byte[] Data);
