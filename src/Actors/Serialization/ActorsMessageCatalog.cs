using Akka.KubeEmu.Cluster.Serialization;

namespace Akka.KubeEmu.Actors.Serialization;

/// <summary>
/// The manifests of this assembly's messages. Journal manifests (store.event.*, store.snapshot)
/// are part of the on-disk format: never rename or reuse one, and never give one a wire codec.
/// </summary>
public sealed class ActorsMessageCatalog : IMessageCatalog
{
    private static readonly ActorsJsonContext Json = ActorsJsonContext.Default;

    public IEnumerable<MessageType> Messages =>
    [
        new("store.create", Json.CreateObject, new CreateObjectCodec()),
        new("store.update", Json.UpdateObject, new UpdateObjectCodec()),
        new("store.delete", Json.DeleteObject),
        new("store.get", Json.GetObject),
        new("store.list", Json.ListObjects),
        new("store.compact", Json.CompactWindow),
        new("store.compacted", Json.WindowCompacted),
        new("store.watch", Json.WatchObjects),
        new("store.watch.cancel", Json.CancelWatch),
        new("store.watch.ack", Json.WatchAck),
        new("store.object", Json.StoreObject, new StoreObjectCodec()),
        new("store.objects", Json.StoreList),
        new("store.failure", Json.StoreFailure),
        new("store.watch.accepted", Json.WatchAccepted),
        new("store.watch.events", Json.WatchEvents, new WatchEventsCodec()),
        new("store.watch.ended", Json.WatchEnded),
        new("store.event.stored", Json.ObjectStored),
        new("store.event.removed", Json.ObjectRemoved),
        new("store.snapshot", Json.StoreSnapshot),
        new("store.event.checkpointed", Json.ObjectsCheckpointed),
        new("store.checkpoint", Json.StoreCheckpoint),
        new("store.watch.progress.request", Json.RequestWatchProgress),
        new("store.watch.progress", Json.WatchProgress),
        new("node.logs.request", Json.ContainerLogRequest),
        new("node.logs.answer", Json.ContainerLogAnswer),
        new("node.exec.start", Json.ExecStart),
        new("node.exec.started", Json.ExecStarted),
        new("node.exec.input", Json.ExecInput),
        new("node.exec.output", Json.ExecOutput),
        new("node.exec.exited", Json.ExecExited),
        new("node.exec.cancel", Json.ExecCancel),
    ];
}
