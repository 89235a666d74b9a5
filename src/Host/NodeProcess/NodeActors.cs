using Akka.Actor;
using Akka.KubeEmu.Actors.Node;
using Akka.KubeEmu.Actors.Node.ContainerRuntime;
using Akka.KubeEmu.Actors.Timing;

namespace Akka.KubeEmu.Host.NodeProcess;

/// <summary>Starts the node side: a NodeHost with one NodeAgent and Kubelet per emulated node.</summary>
public static class NodeActors
{
    public static IActorRef Start(ActorSystem system, IActorRef store, NodeSettings settings, TimingProfile timing, TimeProvider time)
    {
        var hostSettings = new NodeHostSettings(
            store,
            settings.NodeNames.Select(NodeSpec.For).ToArray(),
            NodeCapacity.From(system.Settings.Config),
            timing,
            time,
            Akka.Cluster.Cluster.Get(system).SelfAddress.ToString(),
            ImageCatalog.LoadDefault(),
            Actors.Node.Logs.ContainerLogSettings.From(system.Settings.Config),
            system.Settings.Config.GetString("kubeemu.node.internal-ip-base", NodeNetwork.DefaultInternalIpBase),
            Actors.Node.Network.TrafficSettings.From(system.Settings.Config),
            Actors.Node.Volumes.VolumeSettings.From(system.Settings.Config));
        return system.ActorOf(NodeHost.Props(hostSettings), "node-host");
    }
}
