using Akka.KubeEmu.Cluster;

namespace Akka.KubeEmu.Actors.Node.Logs;

// The kubelet's containerLogs endpoint as messages: the API server asks the node process that runs
// the pod (its Kubelet actor, found through the Node's kubeemu.io/akka-address annotation).

/// <summary>GET /containerLogs/{namespace}/{pod}/{container}, with the PodLogOptions the kubelet applies.</summary>
/// <param name="Node">The node the pod is bound to (one process may host several).</param>
/// <param name="ContainerId">A follower's container instance: later polls read that instance, even after a restart.</param>
/// <param name="FromSequence">A follower's position: only lines from there on.</param>
public sealed record ContainerLogRequest(
    string Node,
    string Uid,
    string Namespace,
    string Pod,
    string Container,
    bool Previous = false,
    long? TailLines = null,
    DateTimeOffset? SinceTime = null,
    bool Timestamps = false,
    string? ContainerId = null,
    long? FromSequence = null) : IKubeEmuMessage
{
    [System.Text.Json.Serialization.JsonIgnore]
    public LogQuery Query => new(TailLines, SinceTime, null, Timestamps, FromSequence);
}

/// <summary>The log text, or the kubelet's error (answered as 400 BadRequest).</summary>
/// <param name="ContainerId">The instance the text comes from (a follower asks for it again).</param>
/// <param name="NextSequence">Where a follower continues.</param>
/// <param name="Ended">That instance has ended: a follower stops after this text.</param>
public sealed record ContainerLogAnswer(string Text, string? ContainerId, long NextSequence, bool Ended, string? Error = null) : IKubeEmuMessage
{
    public static ContainerLogAnswer Failed(string error) => new("", null, 0, true, error);
}
