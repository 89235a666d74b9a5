using System.Threading.Channels;
using Akka.Actor;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Store;

namespace Akka.KubeEmu.Host.ApiServer.Watch;

/// <summary>
/// Bridges one HTTP watch to the Store: subscribes, and pushes what arrives into a channel the
/// request handler drains. The store's death (failover, restart) ends the stream, as an
/// apiserver restart ends a real watch; clients then list and watch again.
/// <para>
/// A batch is acknowledged to the Store only once the handler has written it to the response
/// (<see cref="Written"/>), so a client that stops reading stops the acknowledgements and the
/// Store lets go of its watch; the channel therefore never holds more than the Store's limit of
/// unacknowledged events, and one that is full anyway ends the watch too.
/// </para>
/// </summary>
public sealed class WatchRelay : ReceiveActor
{
    /// <summary>The handler has written a batch of <paramref name="Events"/> events to the response.</summary>
    public sealed record Written(int Events);

    private readonly IActorRef _store;
    private readonly WatchObjects _request;
    private readonly ChannelWriter<object> _out;
    private IActorRef? _serving;

    public WatchRelay(IActorRef store, WatchObjects request, ChannelWriter<object> output, TimeSpan acceptTimeout)
    {
        _store = store;
        _request = request;
        _out = output;
        SetReceiveTimeout(acceptTimeout);

        Receive<WatchAccepted>(a =>
        {
            SetReceiveTimeout(null);
            _serving = Sender;
            Context.Watch(Sender);
            _out.TryWrite(a);
        });
        Receive<StoreFailure>(f =>
        {
            _out.TryWrite(f);
            Finish();
        });
        Receive<WatchEvents>(e =>
        {
            if (!_out.TryWrite(e)) Finish();
        });
        Receive<Written>(w => _serving?.Tell(new WatchAck(_request.Resource, _request.WatchId, w.Events), Self));
        Receive<WatchEnded>(_ => Finish());
        Receive<Terminated>(_ => Finish());
        Receive<ReceiveTimeout>(_ =>
        {
            _out.TryWrite(new StoreFailure(ApiStatus.Timeout("the store did not accept the watch in time")));
            Finish();
        });
    }

    public static Props Props(IActorRef store, WatchObjects request, ChannelWriter<object> output, TimeSpan acceptTimeout) =>
        Akka.Actor.Props.Create(() => new WatchRelay(store, request, output, acceptTimeout));

    protected override void PreStart() => _store.Tell(_request, Self);

    protected override void PostStop()
    {
        (_serving ?? _store).Tell(new CancelWatch(_request.Resource, _request.WatchId), ActorRefs.NoSender);
        _out.TryComplete();
    }

    private void Finish()
    {
        _out.TryComplete();
        Context.Stop(Self);
    }
}
