using Akka.Actor;
using Akka.KubeEmu.Actors.Controllers.Bootstrap;
using Akka.KubeEmu.Actors.Controllers.Namespace;
using Akka.KubeEmu.Actors.Controllers.NodeLifecycle;
using Akka.KubeEmu.Actors.Timing;
using Akka.KubeEmu.Cluster.Membership;

namespace Akka.KubeEmu.Actors.Controllers;

/// <summary>
/// kube-controller-manager: a cluster singleton whose children are the controllers. A
/// controller that throws is restarted on its own; its reflectors list again.
/// </summary>
public sealed class ControllerManager : ReceiveActor
{
    public ControllerManager(IActorRef store, TimingProfile timing, TimeProvider time)
    {
        Context.ActorOf(SystemNamespaces.Props(store), "system-namespaces");
        Context.ActorOf(NodeLifecycleController.Props(store, timing, time, subscriber => MembershipMonitor.Props(subscriber)), "node-lifecycle");
        Context.ActorOf(NamespaceController.Props(store), "namespace");
    }

    public static Props Props(IActorRef store, TimingProfile timing, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new ControllerManager(store, timing, time));
}
