using Akka.Actor;

namespace Akka.KubeEmu.Tests.Node;

/// <summary>
/// Stands between node actors and the Store like a ClusterSingletonProxy: forwards (keeping the
/// sender) to the current store, drops everything while closed (a control plane that is away).
/// </summary>
public sealed class StoreProxy : ReceiveActor
{
    public sealed record Open(IActorRef Store);

    public sealed class Close
    {
        public static readonly Close Instance = new();
    }

    private IActorRef? _target;

    public StoreProxy(IActorRef? initial)
    {
        _target = initial;
        Receive<Open>(o => _target = o.Store);
        Receive<Close>(_ => _target = null);
        ReceiveAny(m => _target?.Forward(m));
    }

    public static Props Props(IActorRef? initial) => Akka.Actor.Props.Create(() => new StoreProxy(initial));
}
