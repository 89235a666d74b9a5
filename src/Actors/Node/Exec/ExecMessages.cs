using Akka.KubeEmu.Cluster;

namespace Akka.KubeEmu.Actors.Node.Exec;

// The kubelet's exec endpoint (/exec/{namespace}/{pod}/{container}) as messages. The API server's
// bridge actor asks the Kubelet actor of the node process that runs the pod; the pod's worker
// answers from then on, and the bridge sends stdin and the cancel to that worker (the sender of
// ExecStarted). Streams are numbered as remotecommand's channels: 1 stdout, 2 stderr.

/// <summary>
/// Start a command in a running container; stdin is forwarded only when <paramref name="Stdin"/>.
/// With <paramref name="Attach"/> (pods/attach) there is no command: the session is the
/// container's own program (PID 1) and its end is the container's.
/// </summary>
public sealed record ExecStart(
    string Session,
    string Node,
    string Uid,
    string Namespace,
    string Pod,
    string Container,
    IReadOnlyList<string> Command,
    bool Stdin,
    bool Tty,
    bool Attach = false) : IKubeEmuMessage;

/// <summary>The command runs: its worker is the sender.</summary>
public sealed record ExecStarted(string Session) : IKubeEmuMessage;

/// <summary>Bytes for the command's stdin; <paramref name="Closed"/>: the client closed it (end of file).</summary>
public sealed record ExecInput(string Session, byte[] Data, bool Closed = false) : IKubeEmuMessage;

/// <summary>Bytes the command wrote on stdout (1) or stderr (2).</summary>
public sealed record ExecOutput(string Session, int Stream, byte[] Data) : IKubeEmuMessage;

/// <summary>
/// The command ended with <paramref name="ExitCode"/>; or, with <paramref name="Error"/>, it could
/// not run (the kubelet's or the runtime's error text).
/// </summary>
public sealed record ExecExited(string Session, int ExitCode, string? Error = null) : IKubeEmuMessage;

/// <summary>The client went away: the command is abandoned.</summary>
public sealed record ExecCancel(string Session) : IKubeEmuMessage;
