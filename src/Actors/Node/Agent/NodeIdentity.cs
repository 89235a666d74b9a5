using Akka.KubeEmu.Actors.Node.Shared;

namespace Akka.KubeEmu.Actors.Node.Agent;

/// <summary>
/// The machine identity in node.status.nodeInfo: machineID and systemUUID are stable per node
/// name (the same "machine" after a restart), bootID is new every time the process starts.
/// </summary>
public sealed record NodeIdentity(string MachineId, string SystemUuid, string BootId)
{
    public static NodeIdentity For(string nodeName) => new(
        Ids.Sha256Hex("machine-id/" + nodeName)[..32],
        Ids.StableGuid("system-uuid/" + nodeName).ToString(),
        Guid.NewGuid().ToString());
}

/// <summary>An entry of node.status.images.</summary>
public sealed record NodeImage(IReadOnlyList<string> Names, long SizeBytes);
