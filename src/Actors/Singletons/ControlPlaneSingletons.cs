using Akka.Actor;
using Akka.Cluster.Tools.Singleton;
using Akka.KubeEmu.Actors.Controllers;
using Akka.KubeEmu.Actors.Scheduling;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Actors.Timing;
using Akka.KubeEmu.Cluster.Bootstrap;

namespace Akka.KubeEmu.Actors.Singletons;

/// <summary>
/// The control plane's cluster singletons (Store, Scheduler, ControllerManager), each running
/// on the oldest control-plane member and failing over to the next, and the proxies through
/// which every process reaches them. Each runs under <see cref="SingletonSupervision"/> and is
/// stopped by its own termination message, never a PoisonPill: the Store stops only once its
/// accepted writes are durable.
/// </summary>
public static class ControlPlaneSingletons
{
    public const string StoreName = "store";
    public const string SchedulerName = "scheduler";
    public const string ControllerManagerName = "controller-manager";

    /// <summary>Starts the singleton managers on a control-plane member; returns the Store proxy.</summary>
    /// <param name="caPem">The cluster CA certificate, published to every namespace as kube-root-ca.crt.</param>
    public static IActorRef Start(ActorSystem system, TimingProfile timing, TimeProvider time, string caPem = "", int apiPort = 6443)
    {
        var store = StoreProxy(system);
        system.ActorOf(JournalWarmup.Props(), JournalWarmup.Name);
        StartStore(system, StoreSettings.From(system.Settings.Config), time);
        Singleton(system, SchedulerName, Scheduler.Props(store, time), Scheduler.Shutdown.Instance);
        Singleton(system, ControllerManagerName, ControllerManager.Props(store, timing, time, caPem, apiPort), ControllerManager.Shutdown.Instance);
        return store;
    }

    /// <summary>The Store singleton's manager alone, as <see cref="Start"/> runs it; a longer <paramref name="minBackoff"/> slows its restarts.</summary>
    public static IActorRef StartStore(ActorSystem system, StoreSettings settings, TimeProvider time, TimeSpan? minBackoff = null) =>
        Singleton(system, StoreName, StoreActor.Props(settings, time), StoreActor.Shutdown.Instance, minBackoff);

    /// <summary>The Store as seen from any process: a proxy that finds the singleton and buffers while it moves.</summary>
    public static IActorRef StoreProxy(ActorSystem system, string name = "store-proxy") =>
        system.ActorOf(ClusterSingletonProxy.Props($"/user/{StoreName}",
            ClusterSingletonProxySettings.Create(system).WithRole(ClusterRoles.ControlPlane)), name);

    private static IActorRef Singleton(ActorSystem system, string name, Props props, object terminationMessage, TimeSpan? minBackoff = null) =>
        system.ActorOf(ClusterSingletonManager.Props(
            SingletonSupervision.Props(props, name, terminationMessage, minBackoff),
            terminationMessage,
            ClusterSingletonManagerSettings.Create(system).WithRole(ClusterRoles.ControlPlane)), name);
}
