using Akka.Actor;
using Akka.Event;
using Akka.KubeEmu.Actors.Flowcontrol;
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
/// client-go's Reflector as a child actor, and the emulator's only list+watch loop (informers and
/// kubelets use it): list, then watch from the list's resourceVersion. A watch that ends (the
/// Store restarted, failed over, or let go of us for being slow) is resumed from the last
/// resourceVersion seen; only when that is too old (410 Gone) or the list fails does it list again,
/// with back-off (client-go's 800 ms..30 s, shortened here to 200 ms..5 s). Every batch is acknowledged
/// once handed to the parent, which is the Store's measure of whether this watcher keeps up.
/// It keeps no cache: the parent does, from <see cref="ReflectorReplace"/> and <see cref="ReflectorEvents"/>.
/// A partition can cut the Store's member off and heal without either side being restarted:
/// Akka.Remote drops what the Store sent meanwhile, the watch itself stays open and later events
/// arrive again. So when the member serving the watch is reachable again, the watch starts over
/// from the last resourceVersion seen before that member was found unreachable (events sent in
/// between are seen again, some twice; the parent's cache takes them as updates).
/// </summary>
public sealed class Reflector : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IActorRef _store;
    private readonly ReflectorSpec _spec;
    private readonly TimeProvider _time;
    private readonly IActorRef _target;
    private readonly Backoff _backoff = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5));
    private string _watchId = "";
    private string? _lastResourceVersion;
    private IActorRef? _serving;

    /// <summary>The serving member found unreachable, and the last resourceVersion seen before.</summary>
    private (Address Member, string? ResourceVersion)? _silent;

    /// <param name="target">Who receives the lists and events; the parent when null.</param>
    public Reflector(IActorRef store, ReflectorSpec spec, TimeProvider? time = null, IActorRef? target = null)
    {
        _store = store;
        _spec = spec;
        _time = time ?? TimeProvider.System;
        _target = target ?? Context.Parent;
        Listing();
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IActorRef store, ReflectorSpec spec, TimeProvider? time = null, IActorRef? target = null) =>
        Akka.Actor.Props.Create(() => new Reflector(store, spec, time, target));

    private bool Clustered => Context.System is ExtendedActorSystem { Provider: Akka.Cluster.ClusterActorRefProvider };

    protected override void PreStart()
    {
        if (Clustered)
            Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, Akka.Cluster.ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
                typeof(Akka.Cluster.ClusterEvent.IReachabilityEvent));
        Self.Tell(Relist.Instance);
    }

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
            // A whole list replaces whatever a partition may have kept from the cache.
            _silent = null;
            _target.Tell(new ReflectorReplace(_spec.Name, list.Items));
            StartWatch(list.ResourceVersion);
        });
        Receive<StoreFailure>(f => Relisting($"list failed: {f.Status.Message}"));
        Receive<ReceiveTimeout>(_ => Relisting("list timed out"));
        Ignore();
    }

    private void StartWatch(string resourceVersion)
    {
        _lastResourceVersion = resourceVersion;
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
            _backoff.Reset();
            if (_serving is not null && !_serving.Equals(Sender)) Context.Unwatch(_serving);
            _serving = Sender;
            Context.Watch(Sender);
        });
        Receive<WatchEvents>(e => e.WatchId == _watchId, e =>
        {
            if (e.Events.Count == 0) return;
            _target.Tell(new ReflectorEvents(_spec.Name, e.Events));
            _lastResourceVersion = e.Events[^1].ResourceVersion() ?? _lastResourceVersion;
            Sender.Tell(new WatchAck(_spec.Resource, _watchId, e.Events.Count));
        });
        Receive<WatchEnded>(e => e.WatchId == _watchId, e => Lost(e.Status?.Code == 410, "watch ended"));
        Receive<StoreFailure>(f => Lost(f.Status.Code == 410, $"watch refused: {f.Status.Message}"));
        Receive<Terminated>(t => t.ActorRef.Equals(_serving), _ => ResumeWatch("the store went away"));
        Receive<ReceiveTimeout>(_ => ResumeWatch("watch was not accepted in time"));
        Receive<Rewatch>(_ => StartWatch(_lastResourceVersion ?? "0"));
        Receive<Akka.Cluster.ClusterEvent.UnreachableMember>(e =>
        {
            if (_silent is null && _serving is not null && _serving.Path.Address.Equals(e.Member.Address))
                _silent = (e.Member.Address, _lastResourceVersion);
        });
        Receive<Akka.Cluster.ClusterEvent.ReachableMember>(e => _silent is { } s && s.Member.Equals(e.Member.Address), _ =>
        {
            var from = _silent!.Value.ResourceVersion ?? _lastResourceVersion ?? "0";
            _silent = null;
            Timers.Cancel("retry");
            _log.Info("reflector {0}: the store's member is reachable again; watching again from {1}, what was sent meanwhile may be lost", _spec.Name, from);
            CancelWatch();
            StartWatch(from);
        });
        Ignore();
    }

    private void Ignore()
    {
        Receive<WatchEvents>(_ => { });
        Receive<WatchAccepted>(_ => { });
        Receive<WatchEnded>(_ => { });
        Receive<Terminated>(_ => { });
        Receive<Rewatch>(_ => { });
        Receive<Akka.Cluster.ClusterEvent.IReachabilityEvent>(_ => { });
    }

    private void Lost(bool expired, string why)
    {
        if (expired) Relisting(why);
        else ResumeWatch(why);
    }

    /// <summary>Watches again from the last resourceVersion seen, after a back-off.</summary>
    private void ResumeWatch(string why)
    {
        var delay = Forget(why);
        Timers.StartSingleTimer("retry", Rewatch.Instance, delay);
    }

    private void Relisting(string why)
    {
        var delay = Forget(why);
        Timers.StartSingleTimer("retry", Relist.Instance, delay);
        Become(Listing);
    }

    private TimeSpan Forget(string why)
    {
        SetReceiveTimeout(null);
        var delay = _backoff.NextDelay(_time.GetUtcNow());
        _log.Debug("reflector {0}: {1}; again in {2}", _spec.Name, why, delay);
        CancelWatch();
        return delay;
    }

    private void CancelWatch()
    {
        if (_serving is not null)
        {
            _serving.Tell(new CancelWatch(_spec.Resource, _watchId));
            Context.Unwatch(_serving);
            _serving = null;
        }
        _watchId = "";
    }

    protected override void PostStop()
    {
        if (Clustered) Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);
        CancelWatch();
    }

    private sealed class Relist
    {
        public static readonly Relist Instance = new();
    }

    private sealed class Rewatch
    {
        public static readonly Rewatch Instance = new();
    }
}
