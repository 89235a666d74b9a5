using Akka.KubeEmu.Actors.Node.ContainerRuntime;
using Akka.KubeEmu.Cluster.Serialization;

namespace Akka.KubeEmu.Actors.Node.Kubelet;

// Messages between a Kubelet and its PodWorkers. They never leave the process.

/// <summary>A newer version of the pod from the watch.</summary>
public sealed record PodChanged(RawJson Pod);

/// <summary>A PodWorker asks the node's image manager for a container's image.</summary>
/// <param name="Container">The container's key within the pod (see ContainerRecord.Key).</param>
/// <param name="Attempt">Echoed back, so a worker can drop answers to attempts it gave up.</param>
public sealed record EnsureImage(int Container, int Attempt, string Image, string PullPolicy);

public abstract record ImageAnswer(int Container, int Attempt);

/// <summary>IfNotPresent (or Never) and present: "Container image ... already present on machine".</summary>
public sealed record ImagePresent(int Container, int Attempt, ImageReference Reference) : ImageAnswer(Container, Attempt);

/// <summary>The pull is queued (the kubelet pulls one image at a time): time for the "Pulling" event.</summary>
public sealed record ImagePullStarted(int Container, int Attempt) : ImageAnswer(Container, Attempt);

public sealed record ImagePulled(int Container, int Attempt, ImageReference Reference, long Size, TimeSpan PullTime, TimeSpan TotalTime)
    : ImageAnswer(Container, Attempt);

public sealed record ImagePullFailed(int Container, int Attempt, string Error) : ImageAnswer(Container, Attempt);

/// <summary>The image name does not parse (waiting reason InvalidImageName).</summary>
public sealed record ImageInvalid(int Container, int Attempt, string Error) : ImageAnswer(Container, Attempt);

/// <summary>imagePullPolicy Never and the image is absent (ErrImageNeverPull).</summary>
public sealed record ImageNeverPull(int Container, int Attempt) : ImageAnswer(Container, Attempt);

/// <summary>The pod reached Succeeded or Failed: its resources and IP are free again.</summary>
public sealed record PodTerminal(string Uid);

/// <summary>The worker has nothing left to do (final status written, or the pod deleted).</summary>
/// <param name="Logs">The containers' logs of a pod that stays (terminal, not deleted), which the kubelet keeps serving.</param>
public sealed record PodWorkerDone(string Uid, IReadOnlyList<Logs.ContainerLogView>? Logs = null);
