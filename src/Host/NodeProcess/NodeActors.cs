using Akka.Actor;
using Akka.KubeEmu.Actors.Timing;

namespace Akka.KubeEmu.Host.NodeProcess;

/// <summary>Starts the node side (NodeHost with one NodeAgent and Kubelet per emulated node).</summary>
public static class NodeActors
{
    public static void Start(ActorSystem system, IActorRef store, NodeSettings settings, TimingProfile timing, TimeProvider time)
    {
        // Wired to NodeHost once the node actors land.
    }
}
