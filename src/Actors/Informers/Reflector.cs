using Akka.Actor;
using Akka.Event;
using Akka.KubeEmu.Actors.Store;
using Akka.KubeEmu.Cluster.Serialization;

namespace Akka.KubeEmu.Actors.Informers;

/// <summary>The full state after a (re)list: the parent replaces its cache (DeltaFIFO.Replace).</summary>
public sealed record ReflectorReplace(string Name, IReadOnlyList<RawJson> Items);

/// <summary>Changes since the last message, in order.</summary>
public sealed record ReflectorEvents(string Name, IReadOnlyList<WatchEvent> Events);

/// <summary>What a reflector lists and watches.</summary>
public sealed record ReflectorSpec(string Name, string Resource, string? Namespace = null, string? LabelSelector = null, string? FieldSelector = null);

/// <summary>
/// client-go's Reflector as a child actor: list, then watch from the list's resourceVersion, and
/// start over (with backoff) whenever the watch ends, is too old (410), or the store goes away.
/// It keeps no cache: the parent does, from <see cref="ReflectorReplace"/> and
/// <see cref="ReflectorEvents"/>, so each controller owns its state.
/// </summary>
public sealed class Reflector : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _store;
    private readonly ReflectorSpec _spec;
    private TimeSpan _backoff = MinBackoff;
    private string _watchId = "";
    private IActorRef? _serving;

    public Reflector(IActorRef store, ReflectorSpec spec)
    {
        _store = store;
        _spec = spec;
        Listing();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef store, ReflectorSpec spec) => Akka.Actor.Props.Create(() => new Reflector(store, spec));

    protected override void PreStart() => Self.Tell(Relist.Instance);

    private void Listing()
    {
        Receive<Relist>(_ =>
        {
            _store.Tell(new ListObjects(_spec.Resource, _spec.Namespace, _spec.LabelSelector, _spec.FieldSelector), Self);
            SetReceiveTimeout(RequestTimeout);
        });
        Receive<StoreList>(list =>
        {
            SetReceiveTimeout(null);
            Context.Parent.Tell(new ReflectorReplace(_spec.Name, list.Items));
            StartWatch(list.ResourceVersion);
        });
        Receive<StoreFailure>(f => Retry($"list failed: {f.Status.Message}"));
        Receive<ReceiveTimeout>(_ => Retry("list timed out"));
        Ignore();
    }

    private void StartWatch(string resourceVersion)
    {
        _watchId = Guid.NewGuid().ToString("N");
        _store.Tell(new WatchObjects(_spec.Resource, _watchId, _spec.Namespace, _spec.LabelSelector, _spec.FieldSelector, resourceVersion), Self);
        SetReceiveTimeout(RequestTimeout);
        Become(Watching);
    }

    private void Watching()
    {
        Receive<WatchAccepted>(a => a.WatchId == _watchId, _ =>
        {
            SetReceiveTimeout(null);
            _backoff = MinBackoff;
            if (_serving is not null) Context.Unwatch(_serving);
            _serving = Sender;
            Context.Watch(Sender);
        });
        Receive<WatchEvents>(e => e.WatchId == _watchId, e => Context.Parent.Tell(new ReflectorEvents(_spec.Name, e.Events)));
        Receive<WatchEnded>(e => e.WatchId == _watchId, _ => Retry("watch ended"));
        Receive<StoreFailure>(f => Retry($"watch failed: {f.Status.Message}"));
        Receive<Terminated>(t => t.ActorRef.Equals(_serving), _ => Retry("store went away"));
        Receive<ReceiveTimeout>(_ => Retry("watch was not accepted in time"));
        Ignore();
    }

    private void Ignore()
    {
        Receive<WatchEvents>(_ => { });
        Receive<WatchAccepted>(_ => { });
        Receive<WatchEnded>(_ => { });
        Receive<Terminated>(_ => { });
    }

    private void Retry(string why)
    {
        SetReceiveTimeout(null);
        _log.Debug("reflector {0}: {1}; relisting in {2}", _spec.Name, why, _backoff);
        if (_serving is not null)
        {
            _serving.Tell(new CancelWatch(_spec.Resource, _watchId));
            Context.Unwatch(_serving);
            _serving = null;
        }
        _watchId = "";
        Timers.StartSingleTimer("relist", Relist.Instance, _backoff);
        _backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, _backoff.Ticks * 2));
        Become(Listing);
    }

    protected override void PostStop()
    {
        if (_serving is not null) _serving.Tell(new CancelWatch(_spec.Resource, _watchId));
    }

    private sealed class Relist
    {
        public static readonly Relist Instance = new();
    }
}
