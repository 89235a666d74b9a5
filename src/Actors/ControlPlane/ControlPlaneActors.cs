using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Akka.KubeEmu.Actors.Controllers;
using Akka.KubeEmu.Actors.Scheduling;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Actors.Timing;
using Akka.KubeEmu.Cluster.Bootstrap;

namespace Akka.KubeEmu.Actors.ControlPlane;

/// <summary>
/// The control plane's cluster singletons (Store, Scheduler, ControllerManager), each running
/// on the oldest control-plane member and failing over to the next, and the proxies through
/// which every process reaches them.
/// </summary>
public static class ControlPlaneActors
{
    public const string StoreName = "store";
    public const string SchedulerName = "scheduler";
    public const string ControllerManagerName = "controller-manager";

    /// <summary>Starts the singleton managers on a control-plane member; returns the Store proxy.</summary>
    /// <param name="caPem">The cluster CA certificate, published to every namespace as kube-root-ca.crt.</param>
    public static IActorRef Start(ActorSystem system, TimingProfile timing, TimeProvider time, string caPem = "", int apiPort = 6443)
    {
        var store = StoreProxy(system);
        var settings = StoreSettings.From(system.Settings.Config);
        Singleton(system, StoreName, StoreActor.Props(settings, time));
        Singleton(system, SchedulerName, Scheduler.Props(store, time));
        Singleton(system, ControllerManagerName, ControllerManager.Props(store, timing, time, caPem, apiPort));
        return store;
    }

    /// <summary>The Store as seen from any process: a proxy that finds the singleton and buffers while it moves.</summary>
    public static IActorRef StoreProxy(ActorSystem system, string name = "store-proxy") =>
        system.ActorOf(ClusterSingletonProxy.Props($"/user/{StoreName}",
            ClusterSingletonProxySettings.Create(system).WithRole(ClusterRoles.ControlPlane)), name);

    private static void Singleton(ActorSystem system, string name, Props props) =>
        system.ActorOf(ClusterSingletonManager.Props(props, PoisonPill.Instance,
            ClusterSingletonManagerSettings.Create(system).WithRole(ClusterRoles.ControlPlane)), name);
}
