using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Cluster;
using Akka.KubeEmu.Cluster.Serialization;

namespace Akka.KubeEmu.Actors.Store;

// The Store speaks in GroupResource names ("pods", "deployments.apps") and Kubernetes JSON.
// Every request is answered with exactly one reply: StoreObject, StoreList or StoreFailure.

public interface IStoreCommand : IKubeEmuMessage
{
    string Resource { get; }
}

/// <summary>Creates the object; metadata.namespace/name (or generateName) name it.</summary>
public sealed record CreateObject(string Resource, RawJson Object, bool DryRun = false) : IStoreCommand;

/// <summary>
/// Replaces the object named by its metadata. A set metadata.resourceVersion is a precondition
/// (409 when stale). <paramref name="Subresource"/> "status" replaces only .status; "finalize"
/// (namespaces) only spec.finalizers.
/// </summary>
public sealed record UpdateObject(string Resource, RawJson Object, string? Subresource = null, bool DryRun = false) : IStoreCommand;

/// <summary>
/// Deletes the object, or marks it deleted (deletionTimestamp) while finalizers or a pod's grace
/// period hold it. <paramref name="PropagationPolicy"/> (Orphan, Background, Foreground; null: the
/// resource's default or the garbage collector finalizer it already has) decides which of the
/// garbage collector's finalizers it gets (<see cref="GarbageCollectionPolicy"/>).
/// </summary>
public sealed record DeleteObject(
    string Resource,
    string Namespace,
    string Name,
    long? GracePeriodSeconds = null,
    string? PreconditionUid = null,
    string? PreconditionResourceVersion = null,
    bool DryRun = false,
    string? PropagationPolicy = null) : IStoreCommand;

public sealed record GetObject(string Resource, string Namespace, string Name) : IStoreCommand;

/// <summary>
/// Lists objects; a null namespace lists all namespaces. Limit 0 means no limit.
/// <paramref name="ResourceVersion"/> and <paramref name="ResourceVersionMatch"/> (Exact,
/// NotOlderThan) choose the state read as kube-apiserver does (<see cref="ListRead"/>).
/// <paramref name="Immediate"/>: answered from the current state at once instead of after the
/// pending writes are durable, for admission lookups. Safe because what they decide is only ever
/// acknowledged through a later write, which the ordered journal makes durable after those.
/// </summary>
public sealed record ListObjects(
    string Resource,
    string? Namespace = null,
    string? LabelSelector = null,
    string? FieldSelector = null,
    int Limit = 0,
    string? Continue = null,
    string? ResourceVersion = null,
    string? ResourceVersionMatch = null,
    bool Immediate = false) : IStoreCommand;

/// <summary>
/// Drops the change window up to <paramref name="ResourceVersion"/> (the current one when null),
/// as etcd's compaction does: watches, exact lists and continue tokens older than it answer 410
/// Expired. Replies <see cref="WindowCompacted"/>.
/// </summary>
public sealed record CompactWindow(long? ResourceVersion = null) : IKubeEmuMessage;

/// <summary>The window now starts after <paramref name="ResourceVersion"/>.</summary>
public sealed record WindowCompacted(long ResourceVersion) : IKubeEmuMessage;

/// <summary>
/// Subscribes the sender to changes. ResourceVersion null or "0" starts with synthetic ADDED
/// events for the current objects; otherwise replays changes after it (410 Gone when it has
/// left the window). Replies WatchAccepted or StoreFailure, then WatchEvents batches.
/// </summary>
public sealed record WatchObjects(
    string Resource,
    string WatchId,
    string? Namespace = null,
    string? LabelSelector = null,
    string? FieldSelector = null,
    string? ResourceVersion = null) : IStoreCommand;

/// <summary>
/// The subscriber has taken <paramref name="Events"/> more events of the watch off its hands. The
/// Store lets go of a watcher that falls too far behind (ending its watch with WatchEnded), as
/// kube-apiserver's watch cache drops a watcher whose buffer is full; the subscriber then watches
/// again from the last resourceVersion it saw.
/// </summary>
public sealed record WatchAck(string Resource, string WatchId, int Events) : IStoreCommand;

/// <summary>
/// Asks for a <see cref="WatchProgress"/> on a watch: the resourceVersion up to which its
/// subscriber has been sent every change that concerns it (what a BOOKMARK event carries).
/// </summary>
public sealed record RequestWatchProgress(string Resource, string WatchId) : IStoreCommand;

/// <summary>Every change up to <paramref name="ResourceVersion"/> that concerns the watch has been sent before this.</summary>
public sealed record WatchProgress(string WatchId, string ResourceVersion) : IKubeEmuMessage;

/// <summary>Ends a watch. Watches also end when their subscriber terminates.</summary>
public sealed record CancelWatch(string Resource, string WatchId) : IStoreCommand;

/// <param name="Removed">A delete that removed the object (its last state is <paramref name="Object"/>), not one that only marked it for deletion.</param>
public sealed record StoreObject(RawJson Object, bool Removed = false) : IKubeEmuMessage;

public sealed record StoreList(IReadOnlyList<RawJson> Items, string ResourceVersion, string? Continue, long? RemainingItemCount) : IKubeEmuMessage;

public sealed record StoreFailure(ApiStatus Status) : IKubeEmuMessage;

public sealed record WatchAccepted(string WatchId, string ResourceVersion) : IKubeEmuMessage;

/// <summary>Type is ADDED, MODIFIED or DELETED, as in a Kubernetes watch stream.</summary>
public sealed record WatchEvent(string Type, RawJson Object);

public sealed record WatchEvents(string WatchId, IReadOnlyList<WatchEvent> Events) : IKubeEmuMessage;

/// <summary>
/// The store ended the watch: it stopped (null status: list and watch again), or it let go of a
/// subscriber that left too many events unacknowledged (429 TooManyRequests: watch again from the
/// last resourceVersion seen). Never 410, which would mean the resourceVersion is gone.
/// </summary>
public sealed record WatchEnded(string WatchId, ApiStatus? Status) : IKubeEmuMessage;
