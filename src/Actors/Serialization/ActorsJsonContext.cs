using System.Text.Json.Serialization;
using Akka.KubeEmu.Actors.Node.Exec;
using Akka.KubeEmu.Actors.Node.Logs;
using Akka.KubeEmu.Actors.Store;

namespace Akka.KubeEmu.Actors.Serialization;

/// <summary>Source-generated JSON metadata for every cross-process message of this assembly.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateObject))]
[JsonSerializable(typeof(UpdateObject))]
[JsonSerializable(typeof(DeleteObject))]
[JsonSerializable(typeof(GetObject))]
[JsonSerializable(typeof(ListObjects))]
[JsonSerializable(typeof(CompactWindow))]
[JsonSerializable(typeof(WindowCompacted))]
[JsonSerializable(typeof(WatchObjects))]
[JsonSerializable(typeof(CancelWatch))]
[JsonSerializable(typeof(WatchAck))]
[JsonSerializable(typeof(RequestWatchProgress))]
[JsonSerializable(typeof(WatchProgress))]
[JsonSerializable(typeof(StoreObject))]
[JsonSerializable(typeof(StoreList))]
[JsonSerializable(typeof(StoreFailure))]
[JsonSerializable(typeof(WatchAccepted))]
[JsonSerializable(typeof(WatchEvents))]
[JsonSerializable(typeof(WatchEnded))]
[JsonSerializable(typeof(ObjectStored))]
[JsonSerializable(typeof(ObjectRemoved))]
[JsonSerializable(typeof(StoreSnapshot))]
[JsonSerializable(typeof(ObjectsCheckpointed))]
[JsonSerializable(typeof(StoreCheckpoint))]
[JsonSerializable(typeof(ContainerLogRequest))]
[JsonSerializable(typeof(ContainerLogAnswer))]
[JsonSerializable(typeof(ExecStart))]
[JsonSerializable(typeof(ExecStarted))]
[JsonSerializable(typeof(ExecInput))]
[JsonSerializable(typeof(ExecOutput))]
[JsonSerializable(typeof(ExecExited))]
[JsonSerializable(typeof(ExecCancel))]
internal sealed partial class ActorsJsonContext : JsonSerializerContext;
