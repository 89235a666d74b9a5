using System.Text.RegularExpressions;
using Akka.Actor;
using Akka.KubeEmu.Actors.Node.ContainerRuntime;
using Akka.KubeEmu.Actors.Timing;

namespace Akka.KubeEmu.Actors.Node;

/// <summary>One emulated node: its name and a small number that places its IPs and pod CIDR.</summary>
public sealed partial record NodeSpec(string Name, int Index)
{
    /// <summary>"node-3" is index 3; a name without exactly one number gets a stable hash.</summary>
    public static NodeSpec For(string name)
    {
        var numbers = Digits().Matches(name);
        if (numbers.Count == 1 && int.TryParse(numbers[0].Value, out var n) && n < NodeNetwork.MaxIndex) return new NodeSpec(name, n);
        var hash = 2166136261u;
        foreach (var c in name) hash = (hash ^ c) * 16777619u;
        return new NodeSpec(name, (int)(hash % NodeNetwork.MaxIndex));
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}

/// <summary>Everything a node process's <see cref="NodeHost"/> needs.</summary>
/// <param name="Store">The Store (a ClusterSingletonProxy in production).</param>
/// <param name="Nodes">The emulated nodes of this process (several = hollow nodes).</param>
/// <param name="Capacity">What each node reports (HOCON kubeemu.node).</param>
/// <param name="Timing">The timing profile.</param>
/// <param name="Time">Source of timestamps; timers go through the Akka scheduler.</param>
/// <param name="AkkaAddress">This process's Akka address, published as the kubeemu.io/akka-address annotation.</param>
/// <param name="Images">The simulated image registry.</param>
/// <param name="Logs">containerLogMaxSize / containerLogMaxFiles; null: the kubelet's defaults (10Mi, 5).</param>
/// <param name="InternalIpBase">Node addresses are this + index + 2 (HOCON kubeemu.node.internal-ip-base).</param>
/// <param name="Traffic">Real sockets for NodePorts and the pod network; null: none (unit specs).</param>
/// <param name="Volumes">Where volume data lives on disk (HOCON kubeemu.volumes); null: in memory (unit specs).</param>
public sealed record NodeHostSettings(
    IActorRef Store,
    IReadOnlyList<NodeSpec> Nodes,
    NodeCapacity Capacity,
    TimingProfile Timing,
    TimeProvider Time,
    string AkkaAddress,
    ImageCatalog Images,
    Logs.ContainerLogSettings? Logs = null,
    string InternalIpBase = NodeNetwork.DefaultInternalIpBase,
    Network.TrafficSettings? Traffic = null,
    Volumes.VolumeSettings? Volumes = null);
