using Akka.KubeEmu.Cluster;
using Akka.KubeEmu.Cluster.Serialization;

namespace Akka.KubeEmu.Actors.Store;

// Journal events carry the whole object as Kubernetes JSON, so a replay needs no code that
// computed it: the journal is the state, like etcd's keyspace history.

/// <summary>The object as stored after a create or an update (its metadata.resourceVersion is the new one).</summary>
public sealed record ObjectStored(string Resource, RawJson Object) : IKubeEmuMessage;

/// <summary>The object left the store at <paramref name="ResourceVersion"/>.</summary>
public sealed record ObjectRemoved(string Resource, string Namespace, string Name, long ResourceVersion) : IKubeEmuMessage;

public sealed record SnapshotEntry(string Resource, RawJson Object);

/// <summary>The whole keyspace at one resourceVersion.</summary>
public sealed record StoreSnapshot(long ResourceVersion, IReadOnlyList<SnapshotEntry> Objects) : IKubeEmuMessage;

/// <summary>
/// A chunk of the rolling checkpoint (see <see cref="CheckpointCycle"/>): these objects as they are
/// at this point of the journal. <paramref name="Final"/> ends a cycle: replayed from the cycle's
/// start, the journal holds the whole state from here on.
/// </summary>
public sealed record ObjectsCheckpointed(IReadOnlyList<SnapshotEntry> Objects, bool Final) : IKubeEmuMessage;

/// <summary>
/// The snapshot that marks where the last complete checkpoint cycle starts: recovery begins with an
/// empty keyspace and replays the journal from the next sequence number, its chunks included.
/// </summary>
public sealed record StoreCheckpoint(long ResourceVersion) : IKubeEmuMessage;
