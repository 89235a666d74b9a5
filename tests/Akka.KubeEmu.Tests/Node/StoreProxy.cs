using Akka.Actor;
using Akka.KubeEmu.Actors.Store;

namespace Akka.KubeEmu.Tests.Node;

/// <summary>
/// Stands between node actors and the Store like a ClusterSingletonProxy: forwards (keeping the
/// sender) to the current store, drops everything while closed (a control plane that is away),
/// keeping what it dropped for <see cref="Dropped"/>. It can also hold back watch updates
/// (<see cref="HoldWatchUpdates"/>): a busy Store's watches lag behind its answers.
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

    /// <summary>From now on every watch's batches with a MODIFIED event, and all after them, wait for <see cref="ReleaseWatches"/>.</summary>
    public sealed class HoldWatchUpdates
    {
        public static readonly HoldWatchUpdates Instance = new();
    }

    public sealed class ReleaseWatches
    {
        public static readonly ReleaseWatches Instance = new();
    }

    /// <summary>Asks for the messages forwarded to the Store so far (a list of them in reply).</summary>
    public sealed class Forwarded
    {
        public static readonly Forwarded Instance = new();
    }

    private IActorRef? _target;
    private readonly List<object> _dropped = [];
    private readonly List<object> _forwarded = [];
    private readonly List<IActorRef> _relays = [];
    private bool _holding;

    public StoreProxy(IActorRef? initial)
    {
        _target = initial;
        Receive<Open>(o => _target = o.Store);
        Receive<Close>(_ => _target = null);
        Receive<Dropped>(_ => Sender.Tell(_dropped.ToArray()));
        Receive<Forwarded>(_ => Sender.Tell(_forwarded.ToArray()));
        Receive<HoldWatchUpdates>(h =>
        {
            _holding = true;
            _relays.ForEach(r => r.Tell(h));
        });
        Receive<ReleaseWatches>(r =>
        {
            _holding = false;
            _relays.ForEach(relay => relay.Tell(r));
        });
        Receive<WatchObjects>(w =>
        {
            if (_target is null)
            {
                _dropped.Add(w);
                return;
            }
            _forwarded.Add(w);
            var relay = Context.ActorOf(Akka.Actor.Props.Create(() => new WatchRelay(Sender, _holding)));
            _relays.Add(relay);
            _target.Tell(w, relay);
        });
        ReceiveAny(m =>
        {
            if (_target is null) _dropped.Add(m);
            else
            {
                _forwarded.Add(m);
                _target.Forward(m);
            }
        });
    }

    public static Props Props(IActorRef? initial) => Akka.Actor.Props.Create(() => new StoreProxy(initial));

    // Passes the Store's watch messages on with the Store as sender (acknowledgements go to it), holding updates when asked.
    private sealed class WatchRelay : ReceiveActor
    {
        private readonly Queue<(object Message, IActorRef Sender)> _held = new();

        public WatchRelay(IActorRef subscriber, bool holding)
        {
            Receive<HoldWatchUpdates>(_ => holding = true);
            Receive<ReleaseWatches>(_ =>
            {
                holding = false;
                while (_held.TryDequeue(out var h)) subscriber.Tell(h.Message, h.Sender);
            });
            ReceiveAny(m =>
            {
                if (_held.Count > 0 || (holding && m is WatchEvents e && e.Events.Any(ev => ev.Type == "MODIFIED"))) _held.Enqueue((m, Sender));
                else subscriber.Forward(m);
            });
        }
    }
}
