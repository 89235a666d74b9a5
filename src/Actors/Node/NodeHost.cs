using Akka.Actor;
using Akka.KubeEmu.Actors.Node.Agent;
using Akka.KubeEmu.Actors.Node.Kubelet;

namespace Akka.KubeEmu.Actors.Node;

/// <summary>
/// The root of a node process: one NodeAgent and one Kubelet per emulated node (several for
/// "hollow nodes", where a process failure is a rack failure).
/// </summary>
public sealed class NodeHost : ReceiveActor
{
    public NodeHost(NodeHostSettings settings)
    {
        foreach (var node in settings.Nodes)
        {
            var images = new NodeImages();
            Context.ActorOf(NodeAgent.Props(settings, node, images), $"agent-{node.Name}");
            Context.ActorOf(Kubelet.Kubelet.Props(settings, node, images), $"kubelet-{node.Name}");
        }
    }

    public static Props Props(NodeHostSettings settings) => Akka.Actor.Props.Create(() => new NodeHost(settings));
}
