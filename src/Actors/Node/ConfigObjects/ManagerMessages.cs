namespace Akka.KubeEmu.Actors.Node.ConfigObjects;

// Between pod workers and the WatchBasedManager of their node process; they never leave it.

/// <summary>The pod reads these objects from now on (RegisterPod: replaces what it read before).</summary>
public sealed record RegisterPod(string PodUid, string Namespace, IReadOnlyList<(ConfigKind Kind, string Name)> Objects);

/// <summary>The pod is gone from the node: its references are dropped (UnregisterPod).</summary>
public sealed record UnregisterPod(string PodUid);
