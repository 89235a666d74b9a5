using Akka.Actor;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Store;

namespace Akka.KubeEmu.Host.VirtualTime;

/// <summary>
/// An emulated node process's way to the Store in the virtual-time cluster, where every process
/// shares one ActorSystem: it forwards, until the kit cuts it (a kill, a freeze). Cut, nothing the
/// node writes or reads reaches the control plane: its Lease is not renewed, its status not
/// posted. A request is answered at once with the timeout a lost connection would end in, so that
/// the node retries on its own (virtual) back-off instead of waiting for a real-time ask timeout
/// while virtual time races on. The bookkeeping of the watches the Store feeds the node (acks,
/// progress requests, cancels) still passes: it writes nothing.
/// </summary>
internal sealed class StoreLink : ReceiveActor
{
    private static readonly ApiStatus Lost = ApiStatus.Timeout("the store did not answer in time; the request may still be applied");

    private readonly IActorRef _store;
    private bool _cut;

    public StoreLink(IActorRef store)
    {
        _store = store;
        Receive<Cut>(_ => _cut = true);
        Receive<Restore>(_ => _cut = false);
        Receive<WatchAck>(m => _store.Forward(m));
        Receive<RequestWatchProgress>(m => _store.Forward(m));
        Receive<CancelWatch>(m => _store.Forward(m));
        ReceiveAny(m =>
        {
            if (!_cut) _store.Forward(m);
            else if (m is IStoreCommand) Sender.Tell(new StoreFailure(Lost));
        });
    }

    public static Props Props(IActorRef store) => Akka.Actor.Props.Create(() => new StoreLink(store));

    public sealed record Cut
    {
        public static readonly Cut Instance = new();
    }

    public sealed record Restore
    {
        public static readonly Restore Instance = new();
    }
}
