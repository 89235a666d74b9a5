using Akka.Actor;

namespace Akka.KubeEmu.Tests.Node;

/// <summary>
/// Stands between node actors and the Store like a ClusterSingletonProxy: forwards (keeping the
/// sender) to the current store, drops everything while closed (a control plane that is away),
/// keeping what it dropped for <see cref="Dropped"/>.
/// </summary>
public sealed class StoreProxy : ReceiveActor
{
    public sealed record Open(IActorRef Store);

    public sealed class Close
    {
        public static readonly Close Instance = new();
    }

    /// <summary>Asks for the messages dropped so far (a list of them in reply).</summary>
    public sealed class Dropped
    {
        public static readonly Dropped Instance = new();
    }

    private IActorRef? _target;
    private readonly List<object> _dropped = [];

    public StoreProxy(IActorRef? initial)
    {
        _target = initial;
        Receive<Open>(o => _target = o.Store);
        Receive<Close>(_ => _target = null);
        Receive<Dropped>(_ => Sender.Tell(_dropped.ToArray()));
        ReceiveAny(m =>
        {
            if (_target is null) _dropped.Add(m);
            else _target.Forward(m);
        });
    }

    public static Props Props(IActorRef? initial) => Akka.Actor.Props.Create(() => new StoreProxy(initial));
}
