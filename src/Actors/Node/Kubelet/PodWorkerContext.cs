using System.Collections.Concurrent;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Events;
using Akka.KubeEmu.Actors.Node.Runtime;
using Akka.KubeEmu.Actors.Timing;

namespace Akka.KubeEmu.Actors.Node.Kubelet;

/// <summary>
/// The images present on one node (containerd's image store). Owned by the node's Kubelet and
/// shared with its pod workers, which only add to it; thread-safe for that reason.
/// </summary>
public sealed class NodeImages
{
    private readonly ConcurrentDictionary<string, bool> _present = new(StringComparer.Ordinal);

    public bool Has(string fullName) => _present.ContainsKey(fullName);

    public void Add(string fullName) => _present[fullName] = true;

    public IReadOnlyCollection<string> All => _present.Keys.ToArray();
}

/// <summary>What every pod worker of a node shares: the store, the recorder, the clock and the node's facts.</summary>
public sealed record PodWorkerContext(
    StoreClient Store,
    EventRecorder Events,
    TimingProfile Timing,
    TimeProvider Time,
    ImageCatalog Catalog,
    NodeImages Images,
    string NodeName,
    string HostIp);
