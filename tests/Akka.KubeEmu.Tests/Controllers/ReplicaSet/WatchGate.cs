using Akka.Actor;
using Akka.KubeEmu.Actors.Store;

namespace Akka.KubeEmu.Tests.Controllers.ReplicaSet;

/// <summary>
/// Stands between informers and the Store and can hold back the watch events of one resource (a
/// slow or stalled watch), as a lagging watch cache would; everything else passes straight through.
/// Watches keep the Store as the sender of what they receive, so acknowledgements and the watch on
/// the Store go to the real Store.
/// </summary>
public sealed class WatchGate : ReceiveActor
{
    public sealed record Hold(string Resource);

    public sealed record Release(string Resource);

    private readonly Dictionary<string, (IActorRef Subscriber, string Resource)> _watches = new(StringComparer.Ordinal);
    private readonly HashSet<string> _held = new(StringComparer.Ordinal);
    private readonly List<(string Resource, IActorRef To, object Message, IActorRef From)> _buffer = [];
    private IActorRef? _lastSubscriber;

    public WatchGate(IActorRef store)
    {
        Receive<Hold>(h => _held.Add(h.Resource));
        Receive<Release>(r =>
        {
            _held.Remove(r.Resource);
            foreach (var held in _buffer.Where(b => b.Resource == r.Resource).ToArray())
            {
                held.To.Tell(held.Message, held.From);
                _buffer.Remove(held);
            }
        });
        Receive<WatchObjects>(w =>
        {
            _watches[w.WatchId] = (Sender, w.Resource);
            _lastSubscriber = Sender;
            store.Tell(w, Self);
        });
        Receive<WatchAccepted>(a => Relay(a.WatchId, a, hold: false));
        Receive<WatchEvents>(e => Relay(e.WatchId, e, hold: true));
        Receive<WatchEnded>(e => Relay(e.WatchId, e, hold: true));
        // Only watches are sent with the gate as sender: a failure is a refused watch.
        Receive<StoreFailure>(f => _lastSubscriber?.Tell(f, Sender));
        ReceiveAny(m => store.Forward(m));
    }

    public static Props Props(IActorRef store) => Akka.Actor.Props.Create(() => new WatchGate(store));

    private void Relay(string watchId, object message, bool hold)
    {
        if (!_watches.TryGetValue(watchId, out var watch)) return;
        if (hold && _held.Contains(watch.Resource)) _buffer.Add((watch.Resource, watch.Subscriber, message, Sender));
        else watch.Subscriber.Tell(message, Sender);
    }
}
