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
