using Akka.Actor;

namespace Akka.KubeEmu.Host.VirtualTime;

/// <summary>
/// One emulated node process of the virtual-time cluster: its NodeHost (the NodeAgent and Kubelet
/// of one Node) behind its own <see cref="StoreLink"/>, and the Akka address membership knows it
/// by (a new one per incarnation, as a restarted process is a new member).
/// </summary>
internal sealed class VirtualNodeProcess(string name, int incarnation, string address, IActorRef link, IActorRef host)
{
    public string Name => name;

    public int Incarnation => incarnation;

    public string Address => address;

    public IActorRef Link => link;

    public IActorRef Host => host;

    /// <summary>Read and written under the cluster's lock: faults come from the test, downing from the membership actor.</summary>
    public NodeProcessState State { get; set; } = NodeProcessState.Running;
}

internal enum NodeProcessState
{
    Running,
    /// <summary>Cut off from the control plane and unreachable, until thawed or downed.</summary>
    Frozen,
    /// <summary>Killed, or downed (its actors stopped).</summary>
    Gone,
}
