using System.Threading.Channels;
using Akka.Actor;
using Akka.Event;
using Akka.KubeEmu.Actors.Api;
using Akka.KubeEmu.Actors.Store;

namespace Akka.KubeEmu.Host.ApiServer.Watch;

/// <summary>
/// Bridges one HTTP watch to the Store: subscribes, and pushes what arrives into a channel the
/// request handler drains.
/// <para>
/// When the Store goes away (it moved to another control plane, or it stopped for a hand-over)
/// the stream stays open: the relay watches the next Store from the last resourceVersion it
/// passed on, as kube-apiserver's watch cache re-establishes its etcd watch, so `kubectl get -w`
/// against a surviving API server sees the changes made after a failover. A Store that no longer
/// has that resourceVersion answers 410 Expired, which reaches the client as an ERROR event (it
/// lists and watches again). A resumed request the next Store does not accept within
/// <see cref="ResumeRetry"/> is asked again (the first may have gone to the Store that died, if the
/// singleton proxy had not yet seen it go): the watch cache does not end its clients' watches while
/// it waits for etcd either.
/// </para>
/// <para>
/// A batch is acknowledged to the Store only once the handler has written it to the response
/// (<see cref="Written"/>), so a client that stops reading stops the acknowledgements and the
/// Store lets go of its watch; the channel therefore never holds more than the Store's limit of
/// unacknowledged events, and one that is full anyway ends the watch too.
/// </para>
/// </summary>
public sealed class WatchRelay : ReceiveActor, IWithTimers
{
    /// <summary>The handler has written a batch of <paramref name="Events"/> events to the response.</summary>
    public sealed record Written(int Events);

    /// <summary>A BOOKMARK for the handler to write: every change up to <paramref name="ResourceVersion"/> has been sent.</summary>
    public sealed record Bookmark(string ResourceVersion, bool InitialEventsEnd);

    /// <summary>
    /// When the relay asks the Store for a bookmark: every <paramref name="Frequency"/> (a minute in
    /// kube-apiserver) and 2 s before the watch's <paramref name="Deadline"/>, so that a watch quiet
    /// until its timeout still ends with a recent resourceVersion.
    /// </summary>
    public sealed record BookmarkSchedule(TimeSpan Frequency, TimeSpan Deadline);

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>How long a resumed watch waits for the next Store's answer before asking again.</summary>
    public static readonly TimeSpan ResumeRetry = TimeSpan.FromSeconds(2);

    private readonly IActorRef _store;
    private readonly ChannelWriter<object> _out;
    private readonly TimeSpan _acceptTimeout;
    private WatchObjects _request;
    private readonly WatchOptions _options;
    private readonly BookmarkSchedule _bookmarks;
    private IActorRef? _serving;
    private bool _accepted;
    private bool _initialEventsEndSent;

    /// <summary>The resourceVersion after which the client has seen everything: where a resumed watch starts.</summary>
    private string? _seen;

    public WatchRelay(IActorRef store, WatchObjects request, WatchOptions options, BookmarkSchedule bookmarks, ChannelWriter<object> output, TimeSpan acceptTimeout)
    {
        _store = store;
        _request = request;
        _options = options;
        _bookmarks = bookmarks;
        _out = output;
        _acceptTimeout = acceptTimeout;
        SetReceiveTimeout(acceptTimeout);

        Receive<WatchAccepted>(a =>
        {
            SetReceiveTimeout(null);
            _serving = Sender;
            Context.Watch(Sender);
            if (_accepted) return;
            _accepted = true;
            _seen = a.ResourceVersion;
            _out.TryWrite(a);
            if (_options.InitialEventsEnd) RequestProgress();
            if (_options.Bookmarks) ScheduleBookmarks();
        });
        Receive<WatchProgress>(p =>
        {
            _seen = p.ResourceVersion;
            var initialEnd = _options.InitialEventsEnd && !_initialEventsEndSent;
            _initialEventsEndSent = true;
            if (_options.Bookmarks && !_out.TryWrite(new Bookmark(p.ResourceVersion, initialEnd))) Finish();
        });
        Receive<RequestBookmark>(_ => RequestProgress());
        Receive<StoreFailure>(f =>
        {
            // Said in the log when it ends a watch the client had running (a resume the next Store refused).
            if (_accepted)
                Context.GetLogger().Warning("Watch of {0} from resourceVersion {1} ended by the Store: {2}", _request.Resource, _seen, f.Status.Message);
            _out.TryWrite(f);
            Finish();
        });
        Receive<WatchEvents>(e =>
        {
            if (e.Events.Count > 0) _seen = e.Events[^1].ResourceVersion() ?? _seen;
            if (!_out.TryWrite(e)) Finish();
        });
        Receive<Written>(w => _serving?.Tell(new WatchAck(_request.Resource, _request.WatchId, w.Events), Self));
        // A null status: the Store stopped (hand-over). 429: this client read too slowly; it watches again itself.
        Receive<WatchEnded>(e => e.Status is null, _ => Resume());
        Receive<WatchEnded>(_ => Finish());
        Receive<Terminated>(t => t.ActorRef.Equals(_serving), _ => Resume());
        Receive<ReceiveTimeout>(_ => _accepted, _ =>
        {
            // Resuming: ask again under a new id, and let go of the request that went unanswered.
            _store.Tell(new CancelWatch(_request.Resource, _request.WatchId), ActorRefs.NoSender);
            _request = _request with { WatchId = NewWatchId() };
            _store.Tell(_request, Self);
        });
        Receive<ReceiveTimeout>(_ =>
        {
            _out.TryWrite(new StoreFailure(ApiStatus.Timeout("the store did not accept the watch in time")));
            Finish();
        });
    }

    private void RequestProgress() => _serving?.Tell(new RequestWatchProgress(_request.Resource, _request.WatchId), Self);

    private void ScheduleBookmarks()
    {
        Timers.StartPeriodicTimer("bookmark", RequestBookmark.Instance, _bookmarks.Frequency);
        if (_bookmarks.Deadline > TimeSpan.FromSeconds(2))
            Timers.StartSingleTimer("pre-timeout bookmark", RequestBookmark.Instance, _bookmarks.Deadline - TimeSpan.FromSeconds(2));
    }

    private sealed class RequestBookmark
    {
        public static readonly RequestBookmark Instance = new();
    }

    /// <summary>Watches the next Store (the proxy holds the request until one runs) from what the client has seen.</summary>
    private void Resume()
    {
        if (_serving is { } gone) Context.Unwatch(gone);
        _serving = null;
        if (!_accepted || _seen is null)
        {
            Finish();
            return;
        }
        _request = _request with { WatchId = NewWatchId(), ResourceVersion = _seen };
        SetReceiveTimeout(ResumeRetry);
        _store.Tell(_request, Self);
    }

    private static string NewWatchId() => Guid.NewGuid().ToString("N");

    public static Props Props(IActorRef store, WatchObjects request, WatchOptions options, BookmarkSchedule bookmarks, ChannelWriter<object> output, TimeSpan acceptTimeout) =>
        Akka.Actor.Props.Create(() => new WatchRelay(store, request, options, bookmarks, output, acceptTimeout));

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
