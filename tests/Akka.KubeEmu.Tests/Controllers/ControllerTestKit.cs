using Akka.Actor;
using Akka.KubeEmu.Actors.Api.Defaulting;
using Akka.KubeEmu.Actors.Api.Rest;
using Akka.KubeEmu.Actors.Client;
using Akka.KubeEmu.Actors.Controllers.Framework;
using Akka.KubeEmu.Actors.Informers;
using Akka.KubeEmu.Actors.Workqueue;

namespace Akka.KubeEmu.Tests.Controllers;

/// <summary>What controller specs set up: a ControllerContext over a Store, as the ControllerManager builds it.</summary>
public static class ControllerTestKit
{
    private static int _factories;

    /// <param name="api">Where the controllers' requests go (the Store unless a spec puts something in between).</param>
    /// <param name="timeout">How long a request waits for the Store before it is a 504.</param>
    public static ControllerContext Context(ActorSystem system, IActorRef store, TimeProvider time, WorkqueueMetrics? metrics = null,
        IActorRef? api = null, TimeSpan? timeout = null) =>
        new(new ApiClient(new RestStorage(new StoreClient(api ?? store, timeout ?? TimeSpan.FromSeconds(10)),
                new KubernetesPipeline(new AdmissionSettings(300))), "kube-controller-manager"),
            new SharedInformerFactory(system, $"controllers-{Interlocked.Increment(ref _factories)}", store, time), time, metrics);
}

/// <summary>
/// Stands between API clients and the Store and loses the first <c>times</c> requests that
/// <c>drop</c> picks (a Store that does not answer: the request times out), telling
/// <c>notify</c> of each; the rest pass, sender kept.
/// </summary>
public sealed class FlakyStore : ReceiveActor
{
    public sealed record Dropped(object Request);

    private int _left;

    public FlakyStore(IActorRef store, Func<object, bool> drop, int times, IActorRef? notify)
    {
        _left = times;
        ReceiveAny(m =>
        {
            if (_left > 0 && drop(m))
            {
                _left--;
                notify?.Tell(new Dropped(m));
                return;
            }
            store.Forward(m);
        });
    }

    public static Props Props(IActorRef store, Func<object, bool> drop, int times = 1, IActorRef? notify = null) =>
        Akka.Actor.Props.Create(() => new FlakyStore(store, drop, times, notify));
}
